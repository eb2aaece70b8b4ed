#pragma once

#include "core/config/static_spec.h"
#include "core/control/runtime_state.h"

#include <QJsonArray>
#include <QJsonObject>

#include <chrono>

namespace portico::control::api {

/// Traefik's API objects (pkg/api) built from the runtime state: same field names and shapes, so
/// Traefik's dashboard and scripts read them. `rawdata` wants them without name/provider/type.
enum class Detail { Item, Raw };

/// A Go duration string as Traefik writes durations: `100ms`, `10s`, `1m30s`, `0s`.
QString goDuration(std::chrono::milliseconds duration);

/// `/api/http/routers/{name}`: entryPoints, middlewares, service, rule, priority, tls, error,
/// status, using, name, provider, priorityStr (+ Portico's `paused`).
QJsonObject routerJson(const RouterState &router, Detail detail = Detail::Item);
/// `/api/http/services/{name}`: loadBalancer, error, status, usedBy, name, provider, type,
/// serverStatus. Internal services (`api@internal`) have no type, as in Traefik.
QJsonObject serviceJson(const ServiceState &service, Detail detail = Detail::Item);
/// `/api/http/middlewares/{name}`: `<kind>: {options}`, error, status, usedBy, name, provider,
/// type (the kind lower-cased).
QJsonObject middlewareJson(const MiddlewareState &middleware, Detail detail = Detail::Item);
/// `/api/entrypoints/{name}`: the static entry point plus `name`.
QJsonObject entryPointJson(
    const config::EntryPointSpec &entryPoint, std::chrono::milliseconds graceTimeout);

/// `/api/overview`: per-section totals, warnings (status warning) and errors (disabled), the
/// features and the configured providers (Go field names: `Docker`, `File`, Portico's `Ports`).
QJsonObject overviewJson(const RuntimeState &state, const config::StaticConfig &config);
/// `/api/rawdata`: maps keyed by qualified name; empty maps are left out.
QJsonObject rawDataJson(const RuntimeState &state);

} // namespace portico::control::api
