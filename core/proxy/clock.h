#pragma once

#include <QtGlobal>

#include <chrono>

#ifdef __linux__
#include <time.h>
#endif

namespace portico::proxy {

/// Monotonic milliseconds for timeouts. Several reads per request: on Linux the coarse clock
/// (the last timer tick, a few ms resolution, read from the vDSO without a TSC read, which is
/// slow under virtualisation); timeouts are checked by a 100 ms sweep anyway.
inline qint64 nowMs()
{
#ifdef __linux__
    timespec ts;
    ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return qint64(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
#else
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
#endif
}

/// Monotonic microseconds (capture timings).
inline qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace portico::proxy
