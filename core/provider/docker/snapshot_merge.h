#pragma once

#include "core/config/dynamic_spec.h"
#include "core/provider/docker/container_config.h"

#include <vector>

namespace portico::provider::docker {

/// Merges the containers' configurations into the provider's snapshot as Traefik does, in order
/// of ContainerRoutes::key: same-named load-balancer services (compose replicas) pool their
/// servers when every other setting is equal; other same-named objects must be equal. A conflict
/// keeps the first definition, disabled with "… defined multiple times with different
/// configurations" (Traefik drops it; keeping it shows the reason in the API).
config::DynamicConfig mergeContainers(std::vector<ContainerRoutes> containers);

} // namespace portico::provider::docker
