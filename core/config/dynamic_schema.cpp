#include "core/config/schema.h"

#include <limits>

namespace portico::config::schema {

Origin originOf(const Node::Entry &entry)
{
    Origin origin;
    origin.where = entry.keyNode.location();
    return origin;
}

void requireField(const Node::Entry &entry, const Node &node, const QString &value, Errors &errors)
{
    if (node.isDefined() && !node.isNull() && !node.isScalar())
        return;
    if (value.trimmed().isEmpty())
        addError(errors, entry.keyNode,
            QStringLiteral("missing \"%1\"").arg(node.path().section(u'.', -1)));
}

void readTlsDomains(const Node &node, std::vector<RouterTlsSpec::Domain> &domains, Errors &errors)
{
    if (!node.isDefined() || node.isNull())
        return;
    if (!node.isSequence()) {
        addError(errors, node, QStringLiteral("expected a list, got %1").arg(node.kindName()));
        return;
    }
    for (const Node &element : node.elements()) {
        RouterTlsSpec::Domain domain;
        MapReader r(element, errors);
        readString(r.take(QStringLiteral("main")), domain.main, errors);
        readStringList(r.take(QStringLiteral("sans")), domain.sans, errors);
        r.finish();
        domains.push_back(domain);
    }
}

namespace {

/// `tls`: its presence (even `tls: {}`) makes the router answer HTTPS only.
void readRouterTls(const Node &node, RouterSpec &spec)
{
    Errors &errors = spec.origin.errors;
    if (node.isScalar()) {
        bool enabled = false;
        if (readBool(node, enabled, errors) && enabled)
            spec.tls = RouterTlsSpec {};
        return;
    }
    RouterTlsSpec tls;
    MapReader r(node, errors, &spec.origin, QStringLiteral("tls."));
    readString(r.take(QStringLiteral("options")), tls.options, errors);
    readString(r.take(QStringLiteral("certResolver")), tls.certResolver, errors);
    readTlsDomains(r.take(QStringLiteral("domains")), tls.domains, errors);
    r.finish();
    spec.tls = tls;
}

/// `ruleSyntax`: only the v3 syntax exists here (v2 syntax is deprecated in Traefik v3).
void readRuleSyntax(const Node &node, Errors &errors)
{
    QString syntax;
    if (!readString(node, syntax, errors))
        return;
    if (syntax.compare(QLatin1String("v3"), Qt::CaseInsensitive) != 0
        && syntax.compare(QLatin1String("default"), Qt::CaseInsensitive) != 0)
        addError(errors, node, QStringLiteral("rule syntax \"%1\" is not supported").arg(syntax),
            QStringLiteral("only the v3 syntax is supported; remove ruleSyntax"));
}

/// `http.routers.<name>`: `rule` and `service` (required), `middlewares` (applied in order),
/// `priority` (0 = the rule's length), `entryPoints` (empty = the asDefault ones), `tls`,
/// `ruleSyntax` (v3 only) and `observability` (accepted, ignored).
RouterSpec readRouter(const Node::Entry &entry)
{
    RouterSpec spec;
    spec.name = entry.key;
    spec.origin = originOf(entry);
    Errors &errors = spec.origin.errors;
    MapReader r(entry.value, errors, &spec.origin);
    const Node rule = r.take(QStringLiteral("rule"));
    readString(rule, spec.rule, errors);
    const Node service = r.take(QStringLiteral("service"));
    readString(service, spec.service, errors);
    readStringList(r.take(QStringLiteral("middlewares")), spec.middlewares, errors);
    // Traefik refuses priorities above MaxInt64 - 1000 (the band it keeps for internal routers).
    readInt(r.take(QStringLiteral("priority")), spec.priority,
        std::numeric_limits<qint64>::min() + 1, std::numeric_limits<qint64>::max() - 1000, errors);
    readStringList(r.take(QStringLiteral("entryPoints")), spec.entryPoints, errors);
    const Node tls = r.take(QStringLiteral("tls"));
    if (tls.isDefined())
        readRouterTls(tls, spec);
    readRuleSyntax(r.take(QStringLiteral("ruleSyntax")), errors);
    r.ignore({ QStringLiteral("observability") });
    r.finish();
    if (entry.value.isMap() || !entry.value.isDefined() || entry.value.isNull()) {
        requireField(entry, rule, spec.rule, errors);
        requireField(entry, service, spec.service, errors);
    }
    return spec;
}

/// `http.middlewares.<name>`: exactly one kind key; its options are parsed later by the
/// middleware registry, which knows every kind.
MiddlewareSpec readMiddleware(const Node::Entry &entry)
{
    MiddlewareSpec spec;
    spec.name = entry.key;
    spec.origin = originOf(entry);
    Errors &errors = spec.origin.errors;
    if (!entry.value.isMap()) {
        addError(errors,
            entry.value.isDefined() && !entry.value.isNull() ? entry.value : entry.keyNode,
            QStringLiteral("expected a mapping with one middleware kind, got %1")
                .arg(entry.value.kindName()),
            QStringLiteral("for example stripPrefix: {prefixes: [\"/api\"]}"));
        return spec;
    }
    const std::vector<Node::Entry> kinds = entry.value.entries();
    if (kinds.empty()) {
        addError(errors, entry.keyNode, QStringLiteral("no middleware kind given"));
        return spec;
    }
    spec.kind = kinds.front().key;
    spec.options = kinds.front().value;
    SourceLocation where = kinds.front().keyNode.location();
    spec.origin.fields[spec.kind] = where;
    for (size_t i = 1; i < kinds.size(); ++i)
        addError(errors, kinds[i].keyNode,
            QStringLiteral("more than one middleware kind: \"%1\" and \"%2\"")
                .arg(spec.kind, kinds[i].key),
            QStringLiteral("define one middleware per kind and chain them in the router"));
    return spec;
}

void readHttp(const Node &node, DynamicConfig &config)
{
    Errors &errors = config.errors;
    MapReader r(node, errors);
    for (const Node::Entry &entry : namedEntries(r.take(QStringLiteral("routers")), errors))
        config.routers.push_back(readRouter(entry));
    for (const Node::Entry &entry : namedEntries(r.take(QStringLiteral("services")), errors))
        config.services.push_back(readService(entry));
    for (const Node::Entry &entry : namedEntries(r.take(QStringLiteral("middlewares")), errors))
        config.middlewares.push_back(readMiddleware(entry));
    for (const Node::Entry &entry :
        namedEntries(r.take(QStringLiteral("serversTransports")), errors))
        config.serversTransports.push_back(readServersTransportObject(entry));
    r.finish();
}

} // namespace

void readDynamic(const Node &root, DynamicConfig &config)
{
    MapReader r(root, config.errors);
    readHttp(r.take(QStringLiteral("http")), config);
    readTls(r.take(QStringLiteral("tls")), config);
    readTcp(r.take(QStringLiteral("tcp")), config);
    r.unsupported({ QStringLiteral("udp") });
    r.refuse({ QStringLiteral("entryPoints"), QStringLiteral("providers"), QStringLiteral("api"),
                 QStringLiteral("log"), QStringLiteral("accessLog"), QStringLiteral("global"),
                 QStringLiteral("serversTransport"), QStringLiteral("certificatesResolvers"),
                 QStringLiteral("metrics"), QStringLiteral("ping"), QStringLiteral("tracing"),
                 QStringLiteral("experimental"), QStringLiteral("portico") },
        QStringLiteral("\"%1\" belongs in the static configuration"),
        QStringLiteral("dynamic configuration files hold http routers, services and "
                       "middlewares"));
    r.finish();
    sortByPosition(config.errors);
    for (RouterSpec &router : config.routers)
        sortByPosition(router.origin.errors);
    for (ServiceSpec &service : config.services)
        sortByPosition(service.origin.errors);
    for (MiddlewareSpec &middleware : config.middlewares)
        sortByPosition(middleware.origin.errors);
    for (TlsOptionsSpec &options : config.tlsOptions)
        sortByPosition(options.origin.errors);
    for (TcpRouterSpec &router : config.tcpRouters)
        sortByPosition(router.origin.errors);
    for (TcpServiceSpec &service : config.tcpServices)
        sortByPosition(service.origin.errors);
    for (TcpMiddlewareSpec &middleware : config.tcpMiddlewares)
        sortByPosition(middleware.origin.errors);
    for (ServersTransportObjectSpec &transport : config.serversTransports)
        sortByPosition(transport.origin.errors);
}

} // namespace portico::config::schema
