#pragma once

#include "core/control/api/api_types.h"

namespace portico::provider::ports {
class PortsProvider;
}

namespace portico::control::api {

/// Registers the discovered dev servers' endpoints on `router`; `provider` must outlive it:
/// `GET /api/portico/proposals` (the list), `PUT /api/portico/proposals/{id}/publish` (optional
/// body `{"name": "shop"}`) and `DELETE /api/portico/proposals/{id}/publish`.
void registerPortsEndpoints(ApiRouter &router, provider::ports::PortsProvider &provider);

} // namespace portico::control::api
