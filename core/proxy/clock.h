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

} // namespace portico::proxy
