#include "core/provider/docker/container_info.h"

#include <QJsonArray>

#include <algorithm>

namespace portico::provider::docker {

namespace {

std::vector<PortBinding> readBindings(const QJsonValue &value)
{
    std::vector<PortBinding> bindings;
    for (const QJsonValue &entry : value.toArray()) {
        const QJsonObject binding = entry.toObject();
        bool ok = false;
        const int hostPort = binding.value(QLatin1String("HostPort")).toString().toInt(&ok);
        if (ok && hostPort > 0)
            bindings.push_back({ binding.value(QLatin1String("HostIp")).toString(), hostPort });
    }
    return bindings;
}

/// `NetworkSettings.Ports`: keys `80/tcp` (every exposed port), values the host bindings or null.
std::vector<ExposedPort> readPorts(const QJsonObject &ports)
{
    std::vector<ExposedPort> out;
    for (auto it = ports.begin(); it != ports.end(); ++it) {
        const QString key = it.key();
        bool ok = false;
        const int port = key.section(u'/', 0, 0).toInt(&ok);
        if (!ok || port <= 0)
            continue;
        QString protocol = key.section(u'/', 1, 1);
        out.push_back({ port, protocol.isEmpty() ? QStringLiteral("tcp") : protocol,
            readBindings(it.value()) });
    }
    std::stable_sort(out.begin(), out.end(),
        [](const ExposedPort &a, const ExposedPort &b) { return a.port < b.port; });
    return out;
}

std::vector<NetworkAttachment> readNetworks(const QJsonObject &networks)
{
    std::vector<NetworkAttachment> out;
    for (auto it = networks.begin(); it != networks.end(); ++it) {
        const QJsonObject net = it.value().toObject();
        out.push_back({ it.key(), net.value(QLatin1String("IPAddress")).toString(),
            net.value(QLatin1String("GlobalIPv6Address")).toString() });
    }
    return out;
}

QString readHealth(const QJsonObject &state)
{
    // Docker says State.Health; some podman versions said State.Healthcheck.
    QJsonValue health = state.value(QLatin1String("Health"));
    if (!health.isObject())
        health = state.value(QLatin1String("Healthcheck"));
    return health.toObject().value(QLatin1String("Status")).toString();
}

} // namespace

bool ContainerInfo::serving() const
{
    if (state != QLatin1String("running"))
        return false;
    // No health check reports an empty status (podman: sometimes "" or missing).
    return health.isEmpty() || health == QLatin1String("healthy");
}

const NetworkAttachment *ContainerInfo::network(const QString &wanted) const
{
    for (const NetworkAttachment &attachment : networks) {
        if (attachment.name == wanted)
            return &attachment;
    }
    return nullptr;
}

std::optional<ContainerInfo> parseContainerInfo(const QJsonObject &inspect)
{
    ContainerInfo info;
    info.id = inspect.value(QLatin1String("Id")).toString();
    if (info.id.isEmpty())
        return std::nullopt;
    info.name = inspect.value(QLatin1String("Name")).toString();
    if (info.name.startsWith(u'/'))
        info.name.remove(0, 1);
    const QJsonObject labels = inspect.value(QLatin1String("Config"))
                                   .toObject()
                                   .value(QLatin1String("Labels"))
                                   .toObject();
    for (auto it = labels.begin(); it != labels.end(); ++it)
        info.labels[it.key()] = it.value().toString();
    const QJsonObject state = inspect.value(QLatin1String("State")).toObject();
    info.state = state.value(QLatin1String("Status")).toString();
    if (state.value(QLatin1String("Paused")).toBool())
        info.state = QStringLiteral("paused");
    info.health = readHealth(state);
    info.networkMode = inspect.value(QLatin1String("HostConfig"))
                           .toObject()
                           .value(QLatin1String("NetworkMode"))
                           .toString();
    const QJsonObject settings = inspect.value(QLatin1String("NetworkSettings")).toObject();
    info.networks = readNetworks(settings.value(QLatin1String("Networks")).toObject());
    info.ports = readPorts(settings.value(QLatin1String("Ports")).toObject());
    return info;
}

} // namespace portico::provider::docker
