#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"
#include "core/provider/docker/container_info.h"

#include <optional>

namespace portico::provider::docker {

/// Where to send a container's traffic for container port `port` (nullopt: Traefik's choice,
/// the lowest exposed port). A port published on loopback or on every interface is reached as
/// `127.0.0.1:<host port>` (Docker Desktop cannot reach container IPs from the host); otherwise
/// the container's IP on `network` (label `traefik.docker.network`, else the provider's
/// `network`, else its first network), or 127.0.0.1 in host network mode. Returns
/// `host:port` (IPv6 bracketed) or an error such as "no port to route to".
Expected<QString> serverAddress(const ContainerInfo &container,
    const config::DockerProviderSpec &spec, std::optional<int> port, const QString &network);

} // namespace portico::provider::docker
