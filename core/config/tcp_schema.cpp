#include "core/config/schema.h"

#include <limits>

namespace portico::config {

bool TcpServerSpec::split(QString *host, quint16 *port) const
{
    const qsizetype colon = address.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    QString name = address.left(colon);
    if (name.startsWith(u'[') && name.endsWith(u']'))
        name = name.mid(1, name.size() - 2);
    else if (name.contains(u':'))
        return false; // an IPv6 address needs brackets before the port
    bool ok = false;
    const uint number = QStringView(address).sliced(colon + 1).toUInt(&ok);
    if (!ok || number == 0 || number > 65535 || name.isEmpty() || name.contains(u'/'))
        return false;
    if (host)
        *host = name;
    if (port)
        *port = quint16(number);
    return true;
}

} // namespace portico::config

namespace portico::config::schema {

namespace {

/// `tls`: `passthrough` (forward the encrypted bytes), `options`, `certResolver` and `domains`
/// (accepted as for HTTP routers); `tls: true` and `tls: {}` terminate TLS.
void readTcpRouterTls(const Node &node, TcpRouterSpec &spec)
{
    Errors &errors = spec.origin.errors;
    if (node.isScalar()) {
        bool enabled = false;
        if (readBool(node, enabled, errors) && enabled)
            spec.tls = TcpRouterTlsSpec {};
        return;
    }
    TcpRouterTlsSpec tls;
    MapReader r(node, errors, &spec.origin, QStringLiteral("tls."));
    readBool(r.take(QStringLiteral("passthrough")), tls.passthrough, errors);
    readString(r.take(QStringLiteral("options")), tls.options, errors);
    readString(r.take(QStringLiteral("certResolver")), tls.certResolver, errors);
    readTlsDomains(r.take(QStringLiteral("domains")), tls.domains, errors);
    r.finish();
    spec.tls = tls;
}

/// `tcp.routers.<name>`: `rule` and `service` (required), `middlewares`, `priority` (0 = the
/// rule's length), `entryPoints` (empty = the asDefault ones), `tls`, `ruleSyntax` (v3 only).
TcpRouterSpec readTcpRouter(const Node::Entry &entry)
{
    TcpRouterSpec spec;
    spec.name = entry.key;
    spec.origin = originOf(entry);
    Errors &errors = spec.origin.errors;
    MapReader r(entry.value, errors, &spec.origin);
    const Node rule = r.take(QStringLiteral("rule"));
    readString(rule, spec.rule, errors);
    const Node service = r.take(QStringLiteral("service"));
    readString(service, spec.service, errors);
    readStringList(r.take(QStringLiteral("middlewares")), spec.middlewares, errors);
    readInt(r.take(QStringLiteral("priority")), spec.priority,
        std::numeric_limits<qint64>::min() + 1, std::numeric_limits<qint64>::max() - 1000, errors);
    readStringList(r.take(QStringLiteral("entryPoints")), spec.entryPoints, errors);
    const Node tls = r.take(QStringLiteral("tls"));
    if (tls.isDefined())
        readTcpRouterTls(tls, spec);
    QString syntax;
    const Node ruleSyntax = r.take(QStringLiteral("ruleSyntax"));
    if (readString(ruleSyntax, syntax, errors)
        && syntax.compare(QLatin1String("v3"), Qt::CaseInsensitive) != 0
        && syntax.compare(QLatin1String("default"), Qt::CaseInsensitive) != 0)
        addError(errors, ruleSyntax,
            QStringLiteral("rule syntax \"%1\" is not supported").arg(syntax),
            QStringLiteral("only the v3 syntax is supported; remove ruleSyntax"));
    r.finish();
    if (entry.value.isMap() || !entry.value.isDefined() || entry.value.isNull()) {
        requireField(entry, rule, spec.rule, errors);
        requireField(entry, service, spec.service, errors);
    }
    return spec;
}

/// `servers[]`: each `address` (`host:port`, required) and `tls` (dial the server with TLS).
void readTcpServers(const Node &node, TcpLoadBalancerSpec &lb, Origin &origin)
{
    Errors &errors = origin.errors;
    if (!node.isDefined() || node.isNull())
        return;
    if (!node.isSequence()) {
        addError(errors, node, QStringLiteral("expected a list, got %1").arg(node.kindName()));
        return;
    }
    int index = 0;
    for (const Node &element : node.elements()) {
        TcpServerSpec server;
        const QString prefix = QStringLiteral("loadBalancer.servers[%1].").arg(index++);
        MapReader r(element, errors, &origin, prefix);
        const Node address = r.take(QStringLiteral("address"));
        if (readString(address, server.address, errors) && !server.split(nullptr, nullptr))
            addError(errors, address,
                QStringLiteral("invalid server address \"%1\"").arg(server.address),
                server.address.contains(QLatin1String("://"))
                    ? QStringLiteral("TCP servers take host:port without a scheme, e.g. "
                                     "\"127.0.0.1:5432\"")
                    : QStringLiteral("expected host:port, e.g. \"127.0.0.1:5432\" or "
                                     "\"[::1]:5432\""));
        else if (!address.isDefined() || address.isNull())
            addError(errors, element, QStringLiteral("missing \"address\""),
                element.find(QStringLiteral("url")).isDefined()
                    ? QStringLiteral("TCP servers use address: host:port instead of url")
                    : QString());
        readBool(r.take(QStringLiteral("tls")), server.tls, errors);
        r.ignore({ QStringLiteral("url") }); // reported above with its hint
        r.finish();
        lb.servers.push_back(server);
    }
}

/// `loadBalancer`: `servers` (round robin), `terminationDelay` (milliseconds to keep reading after
/// one side closed; default 100, negative = no limit) and `serversTransport` (accepted, not used
/// yet).
TcpLoadBalancerSpec readTcpLoadBalancer(const Node &node, Origin &origin)
{
    TcpLoadBalancerSpec lb;
    Errors &errors = origin.errors;
    MapReader r(node, errors, &origin, QStringLiteral("loadBalancer."));
    const Node servers = r.take(QStringLiteral("servers"));
    readTcpServers(servers, lb, origin);
    qint64 delay = lb.terminationDelay.count();
    if (readInt(r.take(QStringLiteral("terminationDelay")), delay, std::numeric_limits<int>::min(),
            std::numeric_limits<int>::max(), errors))
        lb.terminationDelay = milliseconds(delay);
    readString(r.take(QStringLiteral("serversTransport")), lb.serversTransport, errors);
    r.unsupported({ QStringLiteral("healthCheck"), QStringLiteral("proxyProtocol") });
    r.finish();
    if (lb.servers.empty() && !servers.isSequence())
        addError(errors, node, QStringLiteral("missing \"servers\""),
            QStringLiteral("for example servers: [{address: \"127.0.0.1:5432\"}]"));
    return lb;
}

/// `weighted.services[]`: `name` (a TCP service) and `weight` (default 1).
TcpWeightedSpec readTcpWeighted(const Node &node, Origin &origin)
{
    TcpWeightedSpec weighted;
    Errors &errors = origin.errors;
    MapReader r(node, errors, &origin, QStringLiteral("weighted."));
    const Node services = r.take(QStringLiteral("services"));
    for (const Node &element : services.elements()) {
        TcpWeightedSpec::Child child;
        MapReader c(element, errors);
        const Node name = c.take(QStringLiteral("name"));
        if (!readString(name, child.name, errors) || child.name.isEmpty())
            addError(errors, element, QStringLiteral("missing \"name\""));
        readInt(c.take(QStringLiteral("weight")), child.weight, 0, 1000000, errors);
        c.finish();
        weighted.services.push_back(child);
    }
    if (!services.isSequence())
        addError(errors, services.isDefined() ? services : node,
            QStringLiteral("expected a list of services"),
            QStringLiteral("for example services: [{name: db-a, weight: 3}]"));
    r.unsupported({ QStringLiteral("healthCheck") });
    r.finish();
    return weighted;
}

/// `tcp.services.<name>`: exactly one of `loadBalancer` and `weighted`.
TcpServiceSpec readTcpService(const Node::Entry &entry)
{
    TcpServiceSpec spec;
    spec.name = entry.key;
    spec.origin = originOf(entry);
    Errors &errors = spec.origin.errors;
    MapReader r(entry.value, errors, &spec.origin);
    const Node lb = r.take(QStringLiteral("loadBalancer"));
    const Node weighted = r.take(QStringLiteral("weighted"));
    if (lb.isDefined())
        spec.loadBalancer = readTcpLoadBalancer(lb, spec.origin);
    if (weighted.isDefined())
        spec.weighted = readTcpWeighted(weighted, spec.origin);
    r.finish();
    if (lb.isDefined() && weighted.isDefined())
        addError(errors, entry.keyNode,
            QStringLiteral("more than one service kind: \"loadBalancer\" and \"weighted\""),
            QStringLiteral("define two services and name one from the other"));
    else if (!lb.isDefined() && !weighted.isDefined() && entry.value.isMap())
        addError(errors, entry.keyNode, QStringLiteral("the service has no kind"),
            QStringLiteral("add loadBalancer: {servers: [{address: \"host:port\"}]}"));
    return spec;
}

/// `tcp.middlewares.<name>`: `ipAllowList.sourceRange` (or the deprecated `ipWhiteList`) and
/// `inFlightConn.amount`.
TcpMiddlewareSpec readTcpMiddleware(const Node::Entry &entry)
{
    TcpMiddlewareSpec spec;
    spec.name = entry.key;
    spec.origin = originOf(entry);
    Errors &errors = spec.origin.errors;
    MapReader r(entry.value, errors, &spec.origin);
    const QStringList present = r.presentKeys();
    for (const QString &kind : { QStringLiteral("ipAllowList"), QStringLiteral("ipWhiteList") }) {
        const Node node = r.take(kind);
        if (!node.isDefined())
            continue;
        spec.kind = QStringLiteral("ipAllowList");
        MapReader m(node, errors, &spec.origin, kind + u'.');
        readStringList(m.take(QStringLiteral("sourceRange")), spec.sourceRange, errors);
        m.finish();
    }
    const Node inFlight = r.take(QStringLiteral("inFlightConn"));
    if (inFlight.isDefined()) {
        if (!spec.kind.isEmpty())
            addError(errors, inFlight,
                QStringLiteral("more than one middleware kind: \"%1\" and \"inFlightConn\"")
                    .arg(spec.kind));
        spec.kind = QStringLiteral("inFlightConn");
        MapReader m(inFlight, errors, &spec.origin, QStringLiteral("inFlightConn."));
        readInt(m.take(QStringLiteral("amount")), spec.amount, 1, 1000000000, errors);
        m.finish();
    }
    r.finish();
    if (present.isEmpty())
        addError(errors, entry.keyNode, QStringLiteral("no middleware kind given"),
            QStringLiteral("TCP middlewares are ipAllowList and inFlightConn"));
    return spec;
}

} // namespace

void readTcp(const Node &node, DynamicConfig &config)
{
    Errors &errors = config.errors;
    MapReader r(node, errors);
    for (const Node::Entry &entry : namedEntries(r.take(QStringLiteral("routers")), errors))
        config.tcpRouters.push_back(readTcpRouter(entry));
    for (const Node::Entry &entry : namedEntries(r.take(QStringLiteral("services")), errors))
        config.tcpServices.push_back(readTcpService(entry));
    for (const Node::Entry &entry : namedEntries(r.take(QStringLiteral("middlewares")), errors))
        config.tcpMiddlewares.push_back(readTcpMiddleware(entry));
    r.unsupported({ QStringLiteral("serversTransports") });
    r.finish();
}

} // namespace portico::config::schema
