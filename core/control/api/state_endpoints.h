#pragma once

#include "core/config/static_spec.h"
#include "core/control/api/api_types.h"
#include "core/control/api/api_wiring.h"

#include <functional>
#include <map>

namespace portico::provider {
class RunProvider;
class StateProvider;
} // namespace portico::provider

namespace portico::control {
struct RuntimeState;
}

namespace portico::control::api {

/// What the state endpoints act on. Everything lives on the control thread and outlives the
/// router the endpoints are registered on.
struct StateEndpointsContext
{
    provider::StateProvider *state = nullptr;
    provider::RunProvider *runs = nullptr;
    /// The last merged state, to resolve router names for pausing; null: names are taken as given.
    std::function<const RuntimeState *()> runtime;
    /// The URL a host is reached at through Portico (`https://app.localhost`); null: `http://HOST`.
    std::function<QString(const QString &host)> urlFor;
};

/// Registers Portico's endpoints for routes made by people:
/// `GET /api/portico/aliases`, `PUT|DELETE /api/portico/aliases/{name}` (body `{"target": "3000"}`
/// or a URL), `PUT|DELETE /api/portico/routers/{name}/pause`, `GET /api/portico/runs`,
/// `GET /api/portico/hosts` (every router's Host names and URLs),
/// `POST /api/portico/runs` (`{name, port, pid}` → `{id, url}`) and `DELETE
/// /api/portico/runs/{id}`. Changes need the token (Access::Mutating); mistakes answer 400/404/409
/// quoting the value.
void registerStateEndpoints(ApiRouter &router, StateEndpointsContext context);

/// The URL a host is reached at through the default entry points: `https://HOST[:port]` through
/// one with TLS when there is one, else `http://HOST[:port]` (ports as bound; default ports left
/// out).
std::function<QString(const QString &host)> routeUrls(
    const std::vector<config::EntryPointSpec> &entryPoints, std::map<QString, quint16> boundPorts);

/// The registration (api_wiring.h) that puts the state endpoints on the API and feeds `state`'s
/// paused routers to the control plane. `state` and `runs` must be providers of that plane.
ApiRegistration stateRegistration(provider::StateProvider &state, provider::RunProvider &runs,
    std::function<QString(const QString &host)> urlFor);

} // namespace portico::control::api
