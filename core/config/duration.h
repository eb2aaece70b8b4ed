#pragma once

#include "core/common/expected.h"

#include <QString>

#include <chrono>

namespace portico::config {

/// Parses a Traefik duration: a bare integer is a number of seconds (`30`), anything else is a Go
/// duration (`100ms`, `1m30s`, `1.5h`, `-1s`; units ns, us, µs, ms, s, m, h). The result has
/// millisecond resolution: a non-zero value below one millisecond rounds up to 1 ms so that it
/// never turns into "disabled". Errors carry a message and hint but no location.
Expected<std::chrono::milliseconds> parseDuration(const QString &text);

} // namespace portico::config
