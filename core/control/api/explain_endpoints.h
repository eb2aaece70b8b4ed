#pragma once

#include "core/control/api/api_wiring.h"

#include <QString>

#include <functional>
#include <map>

namespace portico::control::api {

/// The ports the entry points are bound to, by name.
using BoundPorts = std::map<QString, quint16>;

/// Registers `GET /api/portico/explain?url=URL[&method=M][&header=Name:value]...
/// [&entryPoint=NAME][&clientIp=IP]`: how the routing in force treats that request
/// (control/explain.h), as JSON. 400 quoting the value for a bad URL, header or entry point.
void registerExplainEndpoints(ApiRouter &router, const ControlPlane &plane, BoundPorts ports);

/// The registration (api_wiring.h) of registerExplainEndpoints; `ports` is called once, when the
/// registration runs (after the entry points are bound).
ApiRegistration explainRegistration(std::function<BoundPorts()> ports);

} // namespace portico::control::api
