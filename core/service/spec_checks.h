#pragma once

#include "core/common/expected.h"
#include "core/config/dynamic_spec.h"

namespace portico::service {

/// Checks `loadBalancer.strategy`: wrr is built; p2c, hrw and leasttime are valid Traefik
/// strategies that fall back to wrr here (with a warning); anything else is an error.
Expected<void> checkStrategy(const QString &strategy, const QString &service);

/// Checks `loadBalancer.healthCheck`; error paths are relative to the service.
Expected<void> checkHealthCheck(const config::HealthCheckSpec &spec);

} // namespace portico::service
