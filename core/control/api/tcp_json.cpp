#include "core/control/api/tcp_json.h"

namespace portico::control::api {

namespace {

void setList(QJsonObject &object, const QString &key, const QStringList &values)
{
    if (!values.isEmpty())
        object.insert(key, QJsonArray::fromStringList(values));
}

void setString(QJsonObject &object, const QString &key, const QString &value)
{
    if (!value.isEmpty())
        object.insert(key, value);
}

/// error (texts with Portico's hints, de-duplicated), status, and for items name and provider.
void addRuntime(QJsonObject &object, const ObjectState &state, Detail detail)
{
    QStringList texts;
    for (const Error &e : state.errors) {
        const QString text
            = e.hint.isEmpty() ? e.message : e.message + QStringLiteral(" (") + e.hint + u')';
        if (!texts.contains(text))
            texts << text;
    }
    setList(object, QStringLiteral("error"), texts);
    object.insert(QStringLiteral("status"), statusName(state.status));
    if (detail == Detail::Item) {
        object.insert(QStringLiteral("name"), state.name);
        object.insert(QStringLiteral("provider"), state.provider);
    }
}

QJsonObject tlsJson(const config::TcpRouterTlsSpec &tls)
{
    QJsonObject object { { QStringLiteral("passthrough"), tls.passthrough } };
    setString(object, QStringLiteral("options"), tls.options);
    setString(object, QStringLiteral("certResolver"), tls.certResolver);
    QJsonArray domains;
    for (const auto &domain : tls.domains) {
        QJsonObject d;
        setString(d, QStringLiteral("main"), domain.main);
        setList(d, QStringLiteral("sans"), domain.sans);
        domains.append(d);
    }
    if (!domains.isEmpty())
        object.insert(QStringLiteral("domains"), domains);
    return object;
}

} // namespace

QJsonObject tcpRouterJson(const TcpRouterState &router, Detail detail)
{
    const config::TcpRouterSpec &spec = router.spec;
    QJsonObject object;
    setList(object, QStringLiteral("entryPoints"), spec.entryPoints);
    setList(object, QStringLiteral("middlewares"), router.middlewares);
    setString(object, QStringLiteral("service"), spec.service);
    setString(object, QStringLiteral("rule"), spec.rule);
    object.insert(QStringLiteral("priority"), router.priority);
    if (spec.tls)
        object.insert(QStringLiteral("tls"), tlsJson(*spec.tls));
    addRuntime(object, router, detail);
    setList(object, QStringLiteral("using"), router.using_);
    if (detail == Detail::Item)
        object.insert(QStringLiteral("priorityStr"), QString::number(router.priority));
    return object;
}

QJsonObject tcpServiceJson(const TcpServiceState &service, Detail detail)
{
    const config::TcpServiceSpec &spec = service.spec;
    QJsonObject object;
    QString type;
    if (spec.loadBalancer) {
        QJsonArray servers;
        for (const config::TcpServerSpec &server : spec.loadBalancer->servers) {
            QJsonObject s { { QStringLiteral("address"), server.address } };
            if (server.tls)
                s.insert(QStringLiteral("tls"), true);
            servers.append(s);
        }
        QJsonObject lb { { QStringLiteral("servers"), servers },
            { QStringLiteral("terminationDelay"),
                qint64(spec.loadBalancer->terminationDelay.count()) } };
        setString(lb, QStringLiteral("serversTransport"), spec.loadBalancer->serversTransport);
        object.insert(QStringLiteral("loadBalancer"), lb);
        type = QStringLiteral("loadbalancer");
    } else if (spec.weighted) {
        QJsonArray services;
        for (const auto &child : spec.weighted->services)
            services.append(QJsonObject { { QStringLiteral("name"), child.name },
                { QStringLiteral("weight"), child.weight } });
        object.insert(
            QStringLiteral("weighted"), QJsonObject { { QStringLiteral("services"), services } });
        type = QStringLiteral("weighted");
    }
    addRuntime(object, service, detail);
    setList(object, QStringLiteral("usedBy"), service.usedBy);
    if (detail == Detail::Item)
        setString(object, QStringLiteral("type"), type);
    QJsonObject status;
    for (const auto &[address, up] : service.serverStatus)
        status.insert(address, up);
    if (!status.isEmpty())
        object.insert(QStringLiteral("serverStatus"), status);
    return object;
}

QJsonObject tcpMiddlewareJson(const TcpMiddlewareState &middleware, Detail detail)
{
    const config::TcpMiddlewareSpec &spec = middleware.spec;
    QJsonObject object;
    if (spec.kind == u"ipAllowList")
        object.insert(QStringLiteral("ipAllowList"),
            QJsonObject {
                { QStringLiteral("sourceRange"), QJsonArray::fromStringList(spec.sourceRange) } });
    else if (spec.kind == u"inFlightConn")
        object.insert(QStringLiteral("inFlightConn"),
            QJsonObject { { QStringLiteral("amount"), spec.amount } });
    addRuntime(object, middleware, detail);
    setList(object, QStringLiteral("usedBy"), middleware.usedBy);
    if (detail == Detail::Item)
        setString(object, QStringLiteral("type"), spec.kind.toLower());
    return object;
}

void addTcpRawData(QJsonObject &rawData, const RuntimeState &state)
{
    QJsonObject routers, services, middlewares;
    for (const auto &[name, router] : state.tcpRouters)
        routers.insert(name, tcpRouterJson(router, Detail::Raw));
    for (const auto &[name, service] : state.tcpServices)
        services.insert(name, tcpServiceJson(service, Detail::Raw));
    for (const auto &[name, middleware] : state.tcpMiddlewares)
        middlewares.insert(name, tcpMiddlewareJson(middleware, Detail::Raw));
    if (!routers.isEmpty())
        rawData.insert(QStringLiteral("tcpRouters"), routers);
    if (!services.isEmpty())
        rawData.insert(QStringLiteral("tcpServices"), services);
    if (!middlewares.isEmpty())
        rawData.insert(QStringLiteral("tcpMiddlewares"), middlewares);
}

} // namespace portico::control::api
