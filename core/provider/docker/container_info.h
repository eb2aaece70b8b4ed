#pragma once

#include <QJsonObject>
#include <QString>

#include <map>
#include <optional>
#include <vector>

namespace portico::provider::docker {

/// A host binding of a container port (`-p 127.0.0.1:8080:80`).
struct PortBinding
{
    QString hostIp; ///< empty, `0.0.0.0` or `::` bind every interface
    int hostPort = 0;
};

/// One container port (`80/tcp`) and where it is published on the host.
struct ExposedPort
{
    int port = 0;
    QString protocol; ///< `tcp` or `udp`
    std::vector<PortBinding> bindings;
};

/// A network the container is attached to, with its addresses there.
struct NetworkAttachment
{
    QString name;
    QString ipv4;
    QString ipv6; ///< global IPv6 address, when the network has one
};

/// What the provider needs to know about one container, read from `GET /containers/{id}/json`
/// (Docker Engine API v1.41; podman's compatible API gives the same shape).
struct ContainerInfo
{
    QString id;
    QString name; ///< without the leading `/`
    std::map<QString, QString> labels;
    QString state; ///< `running`, `paused`, `exited`, `created`, …
    QString health; ///< empty without a health check, else `starting`, `healthy`, `unhealthy`
    QString networkMode; ///< `bridge`, `host`, `container:<id>`, a network name, …
    std::vector<NetworkAttachment> networks; ///< in the engine's order
    std::vector<ExposedPort> ports; ///< sorted by port number

    /// True when traffic may be sent to it: running, not paused, not unhealthy/starting.
    bool serving() const;
    /// The network named `name`, if the container is attached to it.
    const NetworkAttachment *network(const QString &name) const;
};

/// Reads an inspect document; an object without `Id` gives nullopt.
std::optional<ContainerInfo> parseContainerInfo(const QJsonObject &inspect);

} // namespace portico::provider::docker
