#pragma once

#include "core/control/api/api_types.h"

#include <functional>
#include <vector>

namespace portico::control {
class ControlPlane;
}

namespace portico::control::api {

class ApiServer;

/// A module's control-API endpoints: adds routes to the router; handlers may keep references to
/// the ControlPlane (and to objects the module owns on the control thread). Runs once, on the
/// control thread, before the API answers its first request and before the providers start.
using ApiRegistration = std::function<void(ApiRouter &, ControlPlane &)>;

/// On the control thread, before ControlPlane::start(): registers Traefik's read-only endpoints
/// and then `registrations` on `server`; when `server` listens, also adds the `internal` provider
/// (`api@internal` → the server's URL) to `plane` and publishes the instance file.
void installApi(
    ApiServer &server, ControlPlane &plane, const std::vector<ApiRegistration> &registrations);

} // namespace portico::control::api
