#pragma once

#include "core/control/api/api_types.h"

#include <QJsonArray>

namespace portico::control {
class ControlPlane;
}

namespace portico::control::api {

/// Registers Traefik's read-only API (GET only): /api/overview, /api/entrypoints[/{name}],
/// /api/http/{routers,services,middlewares}[/{name}], /api/rawdata, /api/version. Handlers read
/// `plane`'s current state on the control thread; `plane` must outlive the router.
void registerTraefikEndpoints(ApiRouter &router, const ControlPlane &plane);

/// Traefik's list handling (pkg/api): filter by `search` (name, and rule for routers), `status`,
/// `serviceName`, `middlewareName` and Portico's `provider`; sort by `sortBy`/`direction`; page
/// with `page`/`per_page` (defaults 1 and 100) and answer `X-Next-Page`; 400 on bad paging.
/// `kind` is `routers`, `services`, `middlewares` or `entrypoints`.
ApiResponse listResponse(QJsonArray items, const QUrlQuery &query, const QString &kind);

} // namespace portico::control::api
