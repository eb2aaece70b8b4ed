#include "core/control/api/traefik_json.h"

#include "core/control/api/tcp_json.h"

#include <QJsonValue>

namespace portico::control::api {

namespace {

QJsonArray stringArray(const QStringList &values)
{
    return QJsonArray::fromStringList(values);
}

/// Sets `key` only when the list is non-empty (Go's `omitempty`).
void setList(QJsonObject &object, const QString &key, const QStringList &values)
{
    if (!values.isEmpty())
        object.insert(key, stringArray(values));
}

void setString(QJsonObject &object, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

/// Traefik's error texts are bare messages; Portico adds its hint (`did you mean ...`).
QStringList errorTexts(const std::vector<Error> &errors)
{
    QStringList texts;
    for (const Error &e : errors) {
        const QString text
            = e.hint.isEmpty() ? e.message : e.message + QStringLiteral(" (") + e.hint + u')';
        if (!texts.contains(text))
            texts << text;
    }
    return texts;
}

/// The runtime fields every object carries: error, status and (for item views) name, provider.
void addRuntime(QJsonObject &object, const ObjectState &state, Detail detail)
{
    setList(object, QStringLiteral("error"), errorTexts(state.errors));
    object.insert(QStringLiteral("status"), statusName(state.status));
    if (detail == Detail::Item) {
        object.insert(QStringLiteral("name"), state.name);
        object.insert(QStringLiteral("provider"), state.provider);
    }
}

QJsonValue scalarJson(const QString &text)
{
    if (text == u"true" || text == u"false")
        return text == u"true";
    bool ok = false;
    const qint64 number = text.toLongLong(&ok);
    if (ok && QString::number(number) == text)
        return number;
    return text;
}

/// A middleware's options as JSON: mappings, sequences, and scalars typed like YAML would.
QJsonValue nodeJson(const config::Node &node)
{
    if (node.isMap()) {
        QJsonObject object;
        for (const auto &entry : node.entries())
            object.insert(entry.key, nodeJson(entry.value));
        return object;
    }
    if (node.isSequence()) {
        QJsonArray array;
        for (const config::Node &element : node.elements())
            array.append(nodeJson(element));
        return array;
    }
    if (node.isScalar())
        return scalarJson(node.scalar());
    return QJsonObject {};
}

QJsonObject healthCheckJson(const config::HealthCheckSpec &hc)
{
    QJsonObject object;
    setString(object, QStringLiteral("scheme"), hc.scheme);
    setString(object, QStringLiteral("mode"), hc.mode);
    setString(object, QStringLiteral("path"), hc.path);
    setString(object, QStringLiteral("method"), hc.method);
    setString(object, QStringLiteral("hostname"), hc.hostname);
    if (hc.port != 0)
        object.insert(QStringLiteral("port"), hc.port);
    if (hc.status != 0)
        object.insert(QStringLiteral("status"), hc.status);
    object.insert(QStringLiteral("interval"), goDuration(hc.interval));
    if (hc.unhealthyInterval.count() != 0)
        object.insert(QStringLiteral("unhealthyInterval"), goDuration(hc.unhealthyInterval));
    object.insert(QStringLiteral("timeout"), goDuration(hc.timeout));
    object.insert(QStringLiteral("followRedirects"), hc.followRedirects);
    QJsonObject headers;
    for (const auto &[name, value] : hc.headers)
        headers.insert(name, value);
    if (!headers.isEmpty())
        object.insert(QStringLiteral("headers"), headers);
    return object;
}

QJsonObject loadBalancerJson(const config::LoadBalancerSpec &lb)
{
    QJsonArray servers;
    for (const config::ServerSpec &server : lb.servers) {
        QJsonObject s { { QStringLiteral("url"), server.url } };
        if (server.weight != 1)
            s.insert(QStringLiteral("weight"), server.weight);
        if (server.preservePath)
            s.insert(QStringLiteral("preservePath"), true);
        servers.append(s);
    }
    QJsonObject object {
        { QStringLiteral("servers"), servers },
        { QStringLiteral("strategy"), lb.strategy },
        { QStringLiteral("passHostHeader"), lb.passHostHeader },
        { QStringLiteral("responseForwarding"),
            QJsonObject { { QStringLiteral("flushInterval"), goDuration(lb.flushInterval) } } },
    };
    if (lb.healthCheck)
        object.insert(QStringLiteral("healthCheck"), healthCheckJson(*lb.healthCheck));
    if (lb.stickyCookie) {
        const config::StickyCookieSpec &c = *lb.stickyCookie;
        QJsonObject cookie { { QStringLiteral("secure"), c.secure },
            { QStringLiteral("httpOnly"), c.httpOnly }, { QStringLiteral("path"), c.path } };
        setString(cookie, QStringLiteral("name"), c.name);
        setString(cookie, QStringLiteral("sameSite"), c.sameSite);
        setString(cookie, QStringLiteral("domain"), c.domain);
        if (c.maxAge != 0)
            cookie.insert(QStringLiteral("maxAge"), c.maxAge);
        object.insert(
            QStringLiteral("sticky"), QJsonObject { { QStringLiteral("cookie"), cookie } });
    }
    setString(object, QStringLiteral("serversTransport"), lb.serversTransport);
    return object;
}

QJsonObject tlsJson(const config::RouterTlsSpec &tls)
{
    // Traefik shows an empty `options` as "default" in API output.
    QJsonObject object { { QStringLiteral("options"),
        tls.options.isEmpty() ? QStringLiteral("default") : tls.options } };
    setString(object, QStringLiteral("certResolver"), tls.certResolver);
    QJsonArray domains;
    for (const auto &domain : tls.domains) {
        QJsonObject d { { QStringLiteral("main"), domain.main } };
        setList(d, QStringLiteral("sans"), domain.sans);
        domains.append(d);
    }
    if (!domains.isEmpty())
        object.insert(QStringLiteral("domains"), domains);
    return object;
}

QJsonObject sectionCounts(int total, int warnings, int errors)
{
    return QJsonObject { { QStringLiteral("total"), total },
        { QStringLiteral("warnings"), warnings }, { QStringLiteral("errors"), errors } };
}

template <typename Map> QJsonObject countsOf(const Map &objects)
{
    int warnings = 0;
    int errors = 0;
    for (const auto &[name, object] : objects) {
        warnings += object.status == Status::Warning ? 1 : 0;
        errors += object.status == Status::Disabled ? 1 : 0;
    }
    return sectionCounts(int(objects.size()), warnings, errors);
}

} // namespace

QString goDuration(std::chrono::milliseconds duration)
{
    qint64 ms = duration.count();
    if (ms == 0)
        return QStringLiteral("0s");
    QString out = ms < 0 ? QStringLiteral("-") : QString();
    ms = qAbs(ms);
    if (ms < 1000)
        return out + QString::number(ms) + QStringLiteral("ms");
    const qint64 hours = ms / 3600000;
    const qint64 minutes = ms / 60000 % 60;
    const qint64 seconds = ms / 1000 % 60;
    const qint64 millis = ms % 1000;
    if (hours > 0)
        out += QString::number(hours) + u'h';
    if (hours > 0 || minutes > 0)
        out += QString::number(minutes) + u'm';
    out += QString::number(seconds);
    if (millis != 0) {
        QString fraction = QStringLiteral("%1").arg(millis, 3, 10, QLatin1Char('0'));
        while (fraction.endsWith(u'0'))
            fraction.chop(1);
        out += u'.' + fraction;
    }
    return out + u's';
}

QJsonObject routerJson(const RouterState &router, Detail detail)
{
    const config::RouterSpec &spec = router.spec;
    QJsonObject object;
    // Traefik fills an empty entryPoints with the default ones; `using` is that list here.
    object.insert(QStringLiteral("entryPoints"),
        stringArray(spec.entryPoints.isEmpty() ? router.using_ : spec.entryPoints));
    setList(object, QStringLiteral("middlewares"), router.middlewares);
    setString(object, QStringLiteral("service"), spec.service);
    object.insert(QStringLiteral("rule"), spec.rule);
    object.insert(QStringLiteral("priority"), router.priority);
    if (spec.tls)
        object.insert(QStringLiteral("tls"), tlsJson(*spec.tls));
    addRuntime(object, router, detail);
    setList(object, QStringLiteral("using"), router.using_);
    if (router.paused)
        object.insert(QStringLiteral("paused"), true); // Portico: toggled off, serves a page
    if (detail == Detail::Item)
        object.insert(QStringLiteral("priorityStr"), QString::number(router.priority));
    return object;
}

QJsonObject serviceJson(const ServiceState &service, Detail detail)
{
    QJsonObject object;
    const bool internal = service.provider == u"internal";
    if (service.spec.loadBalancer && !internal)
        object.insert(QStringLiteral("loadBalancer"), loadBalancerJson(*service.spec.loadBalancer));
    addRuntime(object, service, detail);
    setList(object, QStringLiteral("usedBy"), service.usedBy);
    if (detail == Detail::Item && service.spec.loadBalancer && !internal)
        object.insert(QStringLiteral("type"), QStringLiteral("loadbalancer"));
    if (!service.serverStatus.empty() && !internal) {
        QJsonObject status;
        for (const auto &[url, upDown] : service.serverStatus)
            status.insert(url, upDown);
        object.insert(QStringLiteral("serverStatus"), status);
    }
    return object;
}

QJsonObject middlewareJson(const MiddlewareState &middleware, Detail detail)
{
    QJsonObject object;
    if (!middleware.spec.kind.isEmpty())
        object.insert(middleware.spec.kind, nodeJson(middleware.spec.options));
    addRuntime(object, middleware, detail);
    setList(object, QStringLiteral("usedBy"), middleware.usedBy);
    if (detail == Detail::Item && !middleware.spec.kind.isEmpty())
        object.insert(QStringLiteral("type"), middleware.spec.kind.toLower());
    return object;
}

QJsonObject entryPointJson(const config::EntryPointSpec &ep, std::chrono::milliseconds graceTimeout)
{
    QJsonObject respondingTimeouts { { QStringLiteral("readTimeout"),
                                         goDuration(ep.respondingTimeouts.readTimeout) },
        { QStringLiteral("idleTimeout"), goDuration(ep.respondingTimeouts.idleTimeout) } };
    if (ep.respondingTimeouts.writeTimeout.count() != 0)
        respondingTimeouts.insert(
            QStringLiteral("writeTimeout"), goDuration(ep.respondingTimeouts.writeTimeout));
    QJsonObject forwarded;
    if (ep.forwardedHeaders.insecure)
        forwarded.insert(QStringLiteral("insecure"), true);
    setList(forwarded, QStringLiteral("trustedIPs"), ep.forwardedHeaders.trustedIPs);
    QJsonObject http { { QStringLiteral("sanitizePath"), true },
        { QStringLiteral("maxHeaderBytes"), ep.maxHeaderBytes } };
    setList(http, QStringLiteral("middlewares"), ep.middlewares);
    if (ep.tls)
        http.insert(QStringLiteral("tls"), tlsJson(*ep.tls));
    if (ep.redirection) {
        http.insert(QStringLiteral("redirections"),
            QJsonObject { { QStringLiteral("entryPoint"),
                QJsonObject { { QStringLiteral("to"), ep.redirection->to },
                    { QStringLiteral("scheme"), ep.redirection->scheme },
                    { QStringLiteral("permanent"), ep.redirection->permanent },
                    { QStringLiteral("priority"), ep.redirection->priority } } } });
    }
    QJsonObject object {
        { QStringLiteral("address"), ep.address },
        { QStringLiteral("transport"),
            QJsonObject {
                { QStringLiteral("lifeCycle"),
                    QJsonObject { { QStringLiteral("graceTimeOut"), goDuration(graceTimeout) } } },
                { QStringLiteral("respondingTimeouts"), respondingTimeouts } } },
        { QStringLiteral("forwardedHeaders"), forwarded },
        { QStringLiteral("http"), http },
        { QStringLiteral("name"), ep.name },
    };
    if (ep.asDefault)
        object.insert(QStringLiteral("asDefault"), true);
    return object;
}

QJsonObject overviewJson(const RuntimeState &state, const config::StaticConfig &config)
{
    const QJsonObject none = sectionCounts(0, 0, 0);
    QJsonObject object {
        { QStringLiteral("http"),
            QJsonObject { { QStringLiteral("routers"), countsOf(state.routers) },
                { QStringLiteral("services"), countsOf(state.services) },
                { QStringLiteral("middlewares"), countsOf(state.middlewares) } } },
        { QStringLiteral("tcp"),
            QJsonObject { { QStringLiteral("routers"), countsOf(state.tcpRouters) },
                { QStringLiteral("services"), countsOf(state.tcpServices) },
                { QStringLiteral("middlewares"), countsOf(state.tcpMiddlewares) } } },
        { QStringLiteral("udp"),
            QJsonObject {
                { QStringLiteral("routers"), none }, { QStringLiteral("services"), none } } },
        { QStringLiteral("features"),
            QJsonObject { { QStringLiteral("tracing"), QString() },
                { QStringLiteral("metrics"), QString() },
                { QStringLiteral("accessLog"), config.accessLog.has_value() } } },
    };
    // Go field names in Traefik's struct order, then Portico's own discovery.
    QStringList providers;
    if (config.dockerProvider)
        providers << QStringLiteral("Docker");
    if (config.fileProvider)
        providers << QStringLiteral("File");
    if (config.portsProvider)
        providers << QStringLiteral("Ports");
    setList(object, QStringLiteral("providers"), providers);
    return object;
}

QJsonObject rawDataJson(const RuntimeState &state)
{
    QJsonObject routers;
    for (const auto &[name, router] : state.routers)
        routers.insert(name, routerJson(router, Detail::Raw));
    QJsonObject services;
    for (const auto &[name, service] : state.services)
        services.insert(name, serviceJson(service, Detail::Raw));
    QJsonObject middlewares;
    for (const auto &[name, middleware] : state.middlewares)
        middlewares.insert(name, middlewareJson(middleware, Detail::Raw));
    QJsonObject object;
    if (!routers.isEmpty())
        object.insert(QStringLiteral("routers"), routers);
    if (!services.isEmpty())
        object.insert(QStringLiteral("services"), services);
    if (!middlewares.isEmpty())
        object.insert(QStringLiteral("middlewares"), middlewares);
    addTcpRawData(object, state);
    return object;
}

} // namespace portico::control::api
