#include "core/config/schema.h"

#include <QUrl>

namespace portico::config::schema {

namespace {

const QStringList serviceKinds
    = { QStringLiteral("loadBalancer"), QStringLiteral("weighted"), QStringLiteral("mirroring"),
          QStringLiteral("failover"), QStringLiteral("highestRandomWeight") };

/// `servers[].url`: an absolute http, https or h2c URL with a host.
void checkServerUrl(const Node &node, const QString &url, Errors &errors)
{
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    const bool schemeOk = scheme == QLatin1String("http") || scheme == QLatin1String("https")
        || scheme == QLatin1String("h2c");
    if (!parsed.isValid() || !schemeOk || parsed.host().isEmpty())
        addError(errors, node, QStringLiteral("invalid server URL \"%1\"").arg(url),
            QStringLiteral("expected a URL such as \"http://127.0.0.1:8080\""));
}

/// `servers[]`: the upstream servers, each `url` (required), `weight` (default 1) and
/// `preservePath` (keep the URL's path prefix when forwarding).
void readServers(const Node &node, LoadBalancerSpec &lb, Origin &origin)
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
        ServerSpec server;
        const QString prefix = QStringLiteral("loadBalancer.servers[%1].").arg(index++);
        MapReader r(element, errors, &origin, prefix);
        const Node url = r.take(QStringLiteral("url"));
        if (readString(url, server.url, errors))
            checkServerUrl(url, server.url, errors);
        else if (!url.isDefined() || url.isNull())
            addError(errors, element, QStringLiteral("missing \"url\""));
        readInt(r.take(QStringLiteral("weight")), server.weight, 0, 1000000, errors);
        readBool(r.take(QStringLiteral("preservePath")), server.preservePath, errors);
        r.finish();
        lb.servers.push_back(server);
    }
}

/// `healthCheck`: active checks of every server (see HealthCheckSpec for the defaults).
HealthCheckSpec readHealthCheck(const Node &node, Origin &origin)
{
    HealthCheckSpec hc;
    Errors &errors = origin.errors;
    MapReader r(node, errors, &origin, QStringLiteral("loadBalancer.healthCheck."));
    readChoice(r.take(QStringLiteral("scheme")), hc.scheme,
        { QStringLiteral("http"), QStringLiteral("https"), QStringLiteral("h2c") }, errors);
    const Node mode = r.take(QStringLiteral("mode"));
    if (readChoice(mode, hc.mode, { QStringLiteral("http"), QStringLiteral("grpc") }, errors)
        && hc.mode == QLatin1String("grpc"))
        addError(errors, mode, QStringLiteral("health check mode \"grpc\" is not supported yet"));
    readString(r.take(QStringLiteral("path")), hc.path, errors);
    readString(r.take(QStringLiteral("method")), hc.method, errors);
    readInt(r.take(QStringLiteral("status")), hc.status, 100, 599, errors);
    readInt(r.take(QStringLiteral("port")), hc.port, 1, 65535, errors);
    const Node interval = r.take(QStringLiteral("interval"));
    if (readDuration(interval, hc.interval, errors) && hc.interval.count() == 0)
        addError(errors, interval, QStringLiteral("health check interval must be positive"));
    readDuration(r.take(QStringLiteral("unhealthyInterval")), hc.unhealthyInterval, errors);
    readDuration(r.take(QStringLiteral("timeout")), hc.timeout, errors);
    readString(r.take(QStringLiteral("hostname")), hc.hostname, errors);
    readBool(r.take(QStringLiteral("followRedirects")), hc.followRedirects, errors);
    const Node headers = r.take(QStringLiteral("headers"));
    for (const Node::Entry &header : namedEntries(headers, errors)) {
        QString value;
        if (readString(header.value, value, errors))
            hc.headers.emplace_back(header.key, value);
    }
    r.finish();
    return hc;
}

/// `sticky.cookie`: session affinity through a cookie naming the chosen server.
void readSticky(const Node &node, LoadBalancerSpec &lb, Origin &origin)
{
    Errors &errors = origin.errors;
    MapReader r(node, errors, &origin, QStringLiteral("loadBalancer.sticky."));
    const Node cookieNode = r.take(QStringLiteral("cookie"));
    if (cookieNode.isDefined()) {
        StickyCookieSpec cookie;
        MapReader c(cookieNode, errors, &origin, QStringLiteral("loadBalancer.sticky.cookie."));
        readString(c.take(QStringLiteral("name")), cookie.name, errors);
        readBool(c.take(QStringLiteral("secure")), cookie.secure, errors);
        readBool(c.take(QStringLiteral("httpOnly")), cookie.httpOnly, errors);
        readChoice(c.take(QStringLiteral("sameSite")), cookie.sameSite,
            { QStringLiteral("none"), QStringLiteral("lax"), QStringLiteral("strict") }, errors);
        readInt(c.take(QStringLiteral("maxAge")), cookie.maxAge, -1, 1 << 30, errors);
        readString(c.take(QStringLiteral("path")), cookie.path, errors);
        readString(c.take(QStringLiteral("domain")), cookie.domain, errors);
        c.finish();
        lb.stickyCookie = cookie;
    }
    r.finish();
}

/// `strategy`: only weighted round robin (`wrr`, the default) is implemented.
void readStrategy(const Node &node, LoadBalancerSpec &lb, Errors &errors)
{
    QString strategy;
    if (!readChoice(node, strategy,
            { QStringLiteral("wrr"), QStringLiteral("p2c"), QStringLiteral("hrw"),
                QStringLiteral("leasttime") },
            errors))
        return;
    if (strategy != QLatin1String("wrr"))
        addError(errors, node,
            QStringLiteral("load-balancing strategy \"%1\" is not supported yet").arg(strategy),
            QStringLiteral("use \"wrr\""));
    else
        lb.strategy = strategy;
}

/// `loadBalancer`: `servers`, `passHostHeader` (default true), `healthCheck`, `sticky.cookie`,
/// `strategy` (wrr), `responseForwarding.flushInterval` (default 100ms) and `serversTransport`.
LoadBalancerSpec readLoadBalancer(const Node &node, Origin &origin)
{
    LoadBalancerSpec lb;
    Errors &errors = origin.errors;
    MapReader r(node, errors, &origin, QStringLiteral("loadBalancer."));
    readServers(r.take(QStringLiteral("servers")), lb, origin);
    readBool(r.take(QStringLiteral("passHostHeader")), lb.passHostHeader, errors);
    const Node healthCheck = r.take(QStringLiteral("healthCheck"));
    if (healthCheck.isDefined())
        lb.healthCheck = readHealthCheck(healthCheck, origin);
    readSticky(r.take(QStringLiteral("sticky")), lb, origin);
    readStrategy(r.take(QStringLiteral("strategy")), lb, errors);
    MapReader forwarding(r.take(QStringLiteral("responseForwarding")), errors);
    // A negative flushInterval means "flush after every write", as in Traefik.
    readDuration(forwarding.take(QStringLiteral("flushInterval")), lb.flushInterval, errors, true);
    forwarding.finish();
    readString(r.take(QStringLiteral("serversTransport")), lb.serversTransport, errors);
    r.finish();
    return lb;
}

} // namespace

ServiceSpec readService(const Node::Entry &entry)
{
    ServiceSpec spec;
    spec.name = entry.key;
    spec.origin.where = entry.keyNode.location();
    Errors &errors = spec.origin.errors;
    MapReader r(entry.value, errors, &spec.origin);
    int kinds = 0;
    for (const QString &kind : serviceKinds)
        kinds += r.has(kind) ? 1 : 0;
    const Node loadBalancer = r.take(QStringLiteral("loadBalancer"));
    if (loadBalancer.isDefined())
        spec.loadBalancer = readLoadBalancer(loadBalancer, spec.origin);
    r.unsupported(serviceKinds.mid(1));
    r.finish();
    if (kinds > 1)
        addError(errors, entry.keyNode, QStringLiteral("more than one service kind"),
            QStringLiteral("a service is exactly one of: ")
                + serviceKinds.join(QStringLiteral(", ")));
    else if (kinds == 0
        && (entry.value.isMap() || !entry.value.isDefined() || entry.value.isNull()))
        addError(errors, entry.keyNode, QStringLiteral("missing service kind"),
            QStringLiteral("for example loadBalancer: {servers: [{url: "
                           "\"http://127.0.0.1:8080\"}]}"));
    return spec;
}

} // namespace portico::config::schema
