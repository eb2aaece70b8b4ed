#pragma once

#include "core/config/static_spec.h"

namespace portico::app {

/// Applies `log.level` / `log.noColor` (Traefik's levels: DEBUG, INFO, WARN, ERROR) to Qt's
/// logging: one line per message, `2026-11-29T12:00:00Z ERR message`.
void configureLogging(const config::LogSpec &log);

} // namespace portico::app
