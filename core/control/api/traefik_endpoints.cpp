#include "core/control/api/traefik_endpoints.h"

#include "core/control/api/tcp_json.h"
#include "core/control/api/traefik_json.h"
#include "core/control/control_plane.h"

#include <QDateTime>
#include <QJsonObject>

#include <algorithm>
#include <variant>

namespace portico::control::api {

namespace {

using SortKey = std::variant<qint64, QString>;

/// The value Traefik sorts by for `sortBy` (unknown values sort by name).
SortKey sortKey(const QJsonObject &item, const QString &sortBy, const QString &kind)
{
    if (sortBy == u"priority" && kind == u"routers")
        return item.value(QStringLiteral("priority")).toInteger();
    if (sortBy == u"entryPoints" && kind == u"routers")
        return qint64(item.value(QStringLiteral("entryPoints")).toArray().size());
    if (sortBy == u"servers" && kind == u"services")
        return qint64(item.value(QStringLiteral("loadBalancer"))
                          .toObject()
                          .value(QStringLiteral("servers"))
                          .toArray()
                          .size());
    static const QStringList textKeys { QStringLiteral("provider"), QStringLiteral("status"),
        QStringLiteral("rule"), QStringLiteral("service"), QStringLiteral("type") };
    if (kind != u"entrypoints" && textKeys.contains(sortBy))
        return item.value(sortBy).toString();
    return item.value(QStringLiteral("name")).toString();
}

bool matchesFilters(const QJsonObject &item, const QUrlQuery &query, const QString &kind)
{
    const QString search = query.queryItemValue(QStringLiteral("search"), QUrl::FullyDecoded);
    const QString status = query.queryItemValue(QStringLiteral("status"), QUrl::FullyDecoded);
    const QString provider = query.queryItemValue(QStringLiteral("provider"), QUrl::FullyDecoded);
    const QString serviceName
        = query.queryItemValue(QStringLiteral("serviceName"), QUrl::FullyDecoded);
    const QString middlewareName
        = query.queryItemValue(QStringLiteral("middlewareName"), QUrl::FullyDecoded);
    const QString name = item.value(QStringLiteral("name")).toString();
    const bool routers = kind == u"routers";
    if (!search.isEmpty() && !name.contains(search, Qt::CaseInsensitive)
        && !(routers
            && item.value(QStringLiteral("rule")).toString().contains(search, Qt::CaseInsensitive)))
        return false;
    if (!status.isEmpty()
        && item.value(QStringLiteral("status")).toString().compare(status, Qt::CaseInsensitive)
            != 0)
        return false;
    if (!provider.isEmpty() && item.value(QStringLiteral("provider")).toString() != provider)
        return false;
    if (routers && !serviceName.isEmpty()) {
        const QString service = item.value(QStringLiteral("service")).toString();
        // Traefik: a qualified service must match exactly, else the part before `@` does.
        if (service.contains(u'@') ? service != serviceName
                                   : serviceName.section(u'@', 0, 0) != service)
            return false;
    }
    if (routers && !middlewareName.isEmpty()
        && !item.value(QStringLiteral("middlewares")).toArray().contains(middlewareName))
        return false;
    return true;
}

/// A paging parameter: its value, or 0 when it is not a positive integer (Traefik reports 0).
int pagingValue(const QUrlQuery &query, const QString &key, int fallback, bool &ok)
{
    if (!query.hasQueryItem(key)) {
        ok = true;
        return fallback;
    }
    const int value = query.queryItemValue(key).toInt(&ok);
    ok = ok && value > 0;
    return ok ? value : qMax(0, value);
}

template <typename Map, typename ToJson>
ApiHandler listHandler(
    const ControlPlane &plane, const QString &kind, Map RuntimeState::*member, ToJson toJson)
{
    return [&plane, kind, member, toJson](const ApiRequest &request) {
        QJsonArray items;
        for (const auto &[name, object] : plane.state().*member)
            items.append(toJson(object, Detail::Item));
        return listResponse(std::move(items), request.query, kind);
    };
}

template <typename Map, typename ToJson>
ApiHandler itemHandler(
    const ControlPlane &plane, const QString &what, Map RuntimeState::*member, ToJson toJson)
{
    return [&plane, what, member, toJson](const ApiRequest &request) {
        const Map &objects = plane.state().*member;
        const auto it = objects.find(request.captures.value(0));
        if (it == objects.end())
            return ApiResponse::error(
                404, what + QStringLiteral(" not found: ") + request.captures.value(0));
        return ApiResponse::json(QJsonDocument(toJson(it->second, Detail::Item)));
    };
}

QJsonArray entryPointItems(const ControlPlane &plane)
{
    const config::StaticConfig &config = plane.staticConfig();
    QJsonArray items;
    for (const config::EntryPointSpec &ep : config.entryPoints)
        items.append(entryPointJson(ep, config.graceTimeout));
    return items;
}

/// RFC 3339 with the fraction Go's RFC3339Nano writes (trailing zeros dropped).
QString rfc3339(const QDateTime &time)
{
    QString text = time.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz"));
    while (text.endsWith(u'0'))
        text.chop(1);
    if (text.endsWith(u'.'))
        text.chop(1);
    return text + u'Z';
}

/// /api/tcp/{routers,services,middlewares}[/{name}] (tcp_json.h), with the same list handling.
void registerTcpEndpoints(ApiRouter &router, const ControlPlane &plane)
{
    const QByteArray get = QByteArrayLiteral("GET");
    const auto routerFn = [](const TcpRouterState &s, Detail d) { return tcpRouterJson(s, d); };
    const auto serviceFn = [](const TcpServiceState &s, Detail d) { return tcpServiceJson(s, d); };
    const auto middlewareFn
        = [](const TcpMiddlewareState &s, Detail d) { return tcpMiddlewareJson(s, d); };
    router.add(get, QStringLiteral("/api/tcp/routers"), Access::ReadOnly,
        listHandler(plane, QStringLiteral("routers"), &RuntimeState::tcpRouters, routerFn));
    router.add(get, QStringLiteral("/api/tcp/routers/{name}"), Access::ReadOnly,
        itemHandler(plane, QStringLiteral("router"), &RuntimeState::tcpRouters, routerFn));
    router.add(get, QStringLiteral("/api/tcp/services"), Access::ReadOnly,
        listHandler(plane, QStringLiteral("services"), &RuntimeState::tcpServices, serviceFn));
    router.add(get, QStringLiteral("/api/tcp/services/{name}"), Access::ReadOnly,
        itemHandler(plane, QStringLiteral("service"), &RuntimeState::tcpServices, serviceFn));
    router.add(get, QStringLiteral("/api/tcp/middlewares"), Access::ReadOnly,
        listHandler(
            plane, QStringLiteral("middlewares"), &RuntimeState::tcpMiddlewares, middlewareFn));
    router.add(get, QStringLiteral("/api/tcp/middlewares/{name}"), Access::ReadOnly,
        itemHandler(
            plane, QStringLiteral("middleware"), &RuntimeState::tcpMiddlewares, middlewareFn));
}

} // namespace

ApiResponse listResponse(QJsonArray items, const QUrlQuery &query, const QString &kind)
{
    QJsonArray filtered;
    for (const QJsonValue &item : std::as_const(items)) {
        if (kind == u"entrypoints" || matchesFilters(item.toObject(), query, kind))
            filtered.append(item);
    }
    std::vector<QJsonObject> sorted;
    for (const QJsonValue &item : std::as_const(filtered))
        sorted.push_back(item.toObject());
    const QString sortBy = kind == u"entrypoints" ? QStringLiteral("name")
                                                  : query.queryItemValue(QStringLiteral("sortBy"));
    const bool ascending = kind == u"entrypoints"
        || !query.hasQueryItem(QStringLiteral("direction"))
        || query.queryItemValue(QStringLiteral("direction")) == u"asc";
    std::stable_sort(sorted.begin(), sorted.end(), [&](const QJsonObject &a, const QJsonObject &b) {
        const SortKey x = sortKey(a, sortBy, kind);
        const SortKey y = sortKey(b, sortBy, kind);
        const QString nx = a.value(QStringLiteral("name")).toString();
        const QString ny = b.value(QStringLiteral("name")).toString();
        const bool less = x != y ? x < y : nx < ny; // ties by name, same direction (Traefik)
        const bool greater = x != y ? y < x : ny < nx;
        return ascending ? less : greater;
    });

    bool pageOk = false;
    bool perPageOk = false;
    const int page = pagingValue(query, QStringLiteral("page"), 1, pageOk);
    const int perPage = pagingValue(query, QStringLiteral("per_page"), 100, perPageOk);
    if (!perPageOk)
        return ApiResponse::error(
            400, QStringLiteral("invalid request: per_page: %1").arg(perPage));
    if (!pageOk)
        return ApiResponse::error(400, QStringLiteral("invalid request: page: %1").arg(page));
    const qint64 total = qint64(sorted.size());
    const qint64 start = qint64(page - 1) * perPage;
    if (start != 0 && start >= total)
        return ApiResponse::error(
            400, QStringLiteral("invalid request: page: %1, per_page: %2").arg(page).arg(perPage));
    QJsonArray pageItems;
    for (qint64 i = start; i < qMin(total, start + perPage); ++i)
        pageItems.append(sorted[size_t(i)]);
    ApiResponse response = ApiResponse::json(QJsonDocument(pageItems));
    const qint64 next = qint64(page) * perPage < total ? page + 1 : 1;
    response.headers.append({ QByteArrayLiteral("X-Next-Page"), QByteArray::number(next) });
    return response;
}

void registerTraefikEndpoints(ApiRouter &router, const ControlPlane &plane)
{
    const QByteArray get = QByteArrayLiteral("GET");
    const QDateTime started = QDateTime::currentDateTimeUtc();
    router.add(
        get, QStringLiteral("/api/overview"), Access::ReadOnly, [&plane](const ApiRequest &) {
            return ApiResponse::json(
                QJsonDocument(overviewJson(plane.state(), plane.staticConfig())));
        });
    router.add(get, QStringLiteral("/api/rawdata"), Access::ReadOnly, [&plane](const ApiRequest &) {
        return ApiResponse::json(QJsonDocument(rawDataJson(plane.state())));
    });
    router.add(
        get, QStringLiteral("/api/version"), Access::ReadOnly, [started](const ApiRequest &) {
            return ApiResponse::json(QJsonDocument(
                QJsonObject { { QStringLiteral("Version"), QStringLiteral(PORTICO_VERSION) },
                    { QStringLiteral("Codename"), QStringLiteral("portico") },
                    { QStringLiteral("startDate"), rfc3339(started) } }));
        });
    router.add(get, QStringLiteral("/api/entrypoints"), Access::ReadOnly,
        [&plane](const ApiRequest &request) {
            return listResponse(
                entryPointItems(plane), request.query, QStringLiteral("entrypoints"));
        });
    router.add(get, QStringLiteral("/api/entrypoints/{name}"), Access::ReadOnly,
        [&plane](const ApiRequest &request) {
            for (const QJsonValue &item : entryPointItems(plane)) {
                if (item[QStringLiteral("name")].toString() == request.captures.value(0))
                    return ApiResponse::json(QJsonDocument(item.toObject()));
            }
            return ApiResponse::error(
                404, QStringLiteral("entry point not found: ") + request.captures.value(0));
        });
    const auto routerJsonFn = [](const RouterState &s, Detail d) { return routerJson(s, d); };
    const auto serviceJsonFn = [](const ServiceState &s, Detail d) { return serviceJson(s, d); };
    const auto middlewareJsonFn
        = [](const MiddlewareState &s, Detail d) { return middlewareJson(s, d); };
    router.add(get, QStringLiteral("/api/http/routers"), Access::ReadOnly,
        listHandler(plane, QStringLiteral("routers"), &RuntimeState::routers, routerJsonFn));
    router.add(get, QStringLiteral("/api/http/routers/{name}"), Access::ReadOnly,
        itemHandler(plane, QStringLiteral("router"), &RuntimeState::routers, routerJsonFn));
    router.add(get, QStringLiteral("/api/http/services"), Access::ReadOnly,
        listHandler(plane, QStringLiteral("services"), &RuntimeState::services, serviceJsonFn));
    router.add(get, QStringLiteral("/api/http/services/{name}"), Access::ReadOnly,
        itemHandler(plane, QStringLiteral("service"), &RuntimeState::services, serviceJsonFn));
    router.add(get, QStringLiteral("/api/http/middlewares"), Access::ReadOnly,
        listHandler(
            plane, QStringLiteral("middlewares"), &RuntimeState::middlewares, middlewareJsonFn));
    router.add(get, QStringLiteral("/api/http/middlewares/{name}"), Access::ReadOnly,
        itemHandler(
            plane, QStringLiteral("middleware"), &RuntimeState::middlewares, middlewareJsonFn));
    registerTcpEndpoints(router, plane);
}

} // namespace portico::control::api
