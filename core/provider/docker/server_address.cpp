#include "core/provider/docker/server_address.h"

#include "core/common/log.h"

#include <QHostAddress>

namespace portico::provider::docker {

namespace {

QString hostPort(const QString &host, int port)
{
    const QString h = host.contains(u':') ? u'[' + host + u']' : host;
    return h + u':' + QString::number(port);
}

/// The host address of a published binding Portico can dial on this machine, if any.
std::optional<QString> publishedAddress(
    const ExposedPort &exposed, const config::DockerProviderSpec &spec)
{
    for (const PortBinding &binding : exposed.bindings) {
        const QHostAddress ip(binding.hostIp);
        const bool wildcard = binding.hostIp.isEmpty() || ip == QHostAddress::AnyIPv4
            || ip == QHostAddress::AnyIPv6 || ip == QHostAddress::Any;
        if (wildcard || ip == QHostAddress::LocalHost)
            return hostPort(QStringLiteral("127.0.0.1"), binding.hostPort);
        if (ip == QHostAddress::LocalHostIPv6)
            return hostPort(QStringLiteral("::1"), binding.hostPort);
        if (spec.useBindPortIP && !ip.isNull())
            return hostPort(binding.hostIp, binding.hostPort);
    }
    return std::nullopt;
}

/// The container's IP on the wanted network, else on its first network that has one.
std::optional<QString> networkIp(const ContainerInfo &container, const QString &wanted)
{
    if (!wanted.isEmpty()) {
        if (const NetworkAttachment *net = container.network(wanted)) {
            if (!net->ipv4.isEmpty() || !net->ipv6.isEmpty())
                return net->ipv4.isEmpty() ? net->ipv6 : net->ipv4;
        } else {
            qCInfo(lcProvider, "docker: container \"%s\" is not on network \"%s\"; using its first",
                qPrintable(container.name), qPrintable(wanted));
        }
    }
    for (const NetworkAttachment &net : container.networks) {
        if (!net.ipv4.isEmpty() || !net.ipv6.isEmpty())
            return net.ipv4.isEmpty() ? net.ipv6 : net.ipv4;
    }
    return std::nullopt;
}

} // namespace

Expected<QString> serverAddress(const ContainerInfo &container,
    const config::DockerProviderSpec &spec, std::optional<int> port, const QString &network)
{
    if (!port) {
        // Traefik: the numerically lowest exposed port, published or not, tcp or udp.
        if (container.ports.empty())
            return Error { QStringLiteral("no port to route to: the container exposes none"), {},
                QStringLiteral("expose a port or set the label "
                               "traefik.http.services.<name>.loadbalancer.server.port") };
        port = container.ports.front().port;
    }
    for (const ExposedPort &exposed : container.ports) {
        if (exposed.port == *port && exposed.protocol == QLatin1String("tcp")) {
            if (std::optional<QString> published = publishedAddress(exposed, spec))
                return *published;
        }
    }
    if (container.networkMode == QLatin1String("host"))
        return hostPort(QStringLiteral("127.0.0.1"), *port);
    const std::optional<QString> ip
        = networkIp(container, network.isEmpty() ? spec.network : network);
    if (!ip)
        return Error { QStringLiteral("no IP address for the container and port %1 is not "
                                      "published on the host")
                           .arg(*port),
            {}, QStringLiteral("publish the port, e.g. -p 127.0.0.1::%1").arg(*port) };
    return hostPort(*ip, *port);
}

} // namespace portico::provider::docker
