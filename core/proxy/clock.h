#pragma once

#include <QtGlobal>

#include <chrono>

namespace portico::proxy {

/// Monotonic milliseconds for timeouts (steady clock; a vDSO call, cheap per request).
inline qint64 nowMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

/// Monotonic microseconds (capture timings).
inline qint64 nowUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace portico::proxy
