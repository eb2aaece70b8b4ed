#pragma once

#include "core/control/api/traefik_json.h"

namespace portico::control::api {

/// `/api/tcp/routers/{name}`: entryPoints, middlewares, service, rule, priority,
/// tls:{passthrough (always present), options, certResolver, domains}, error, status, using,
/// name, provider, priorityStr (Traefik pkg/api, section 1.9 of traefik-interfaces.md).
QJsonObject tcpRouterJson(const TcpRouterState &router, Detail detail = Detail::Item);
/// `/api/tcp/services/{name}`: loadBalancer:{servers:[{address, tls}], terminationDelay,
/// serversTransport} or weighted:{services:[{name, weight}]}, error, status, usedBy, name,
/// provider, type, serverStatus keyed by address.
QJsonObject tcpServiceJson(const TcpServiceState &service, Detail detail = Detail::Item);
/// `/api/tcp/middlewares/{name}`: `ipAllowList:{sourceRange}` or `inFlightConn:{amount}`, then
/// error, status, usedBy, name, provider, type.
QJsonObject tcpMiddlewareJson(const TcpMiddlewareState &middleware, Detail detail = Detail::Item);

/// Adds `tcpRouters`, `tcpServices` and `tcpMiddlewares` to a rawdata object (empty maps left out).
void addTcpRawData(QJsonObject &rawData, const RuntimeState &state);

} // namespace portico::control::api
