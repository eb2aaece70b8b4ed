#pragma once

#include "core/config/dynamic_spec.h"
#include "core/config/static_spec.h"
#include "core/provider/docker/container_info.h"

#include <optional>

namespace portico::provider::docker {

/// One container's share of the Docker provider's configuration.
struct ContainerRoutes
{
    QString key; ///< `<Name>-<id>`: containers are merged in this order, as in Traefik
    config::DynamicConfig config;
};

/// Turns one container's labels into routers, services and middlewares exactly as Traefik's
/// Docker provider does (defaults: a service and a router named after the container, the
/// `defaultRule`, auto-linking of the only service). Labels are read through the same schema as
/// file-provider YAML, so they get the same checks; errors say
/// `container "web1" label "traefik.http.routers.x.rule": …`, and a container with any bad
/// label keeps its routers but every one of them carries the errors (so they are disabled).
/// nullopt when the container is not routed: `traefik.enable=false` (or exposedByDefault off),
/// not running, paused, or not healthy (unless allowEmptyServices keeps it without servers).
std::optional<ContainerRoutes> containerConfig(
    const ContainerInfo &container, const config::DockerProviderSpec &spec);

/// The base name Traefik derives for a container: the compose `service_project` when both
/// compose labels are present, else the container name; normalised (see normalizeName).
QString containerBaseName(const ContainerInfo &container);

} // namespace portico::provider::docker
