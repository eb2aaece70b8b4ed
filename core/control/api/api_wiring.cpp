#include "core/control/api/api_wiring.h"

#include "core/common/log.h"
#include "core/control/api/api_server.h"
#include "core/control/api/internal_provider.h"
#include "core/control/api/traefik_endpoints.h"
#include "core/control/control_plane.h"

namespace portico::control::api {

void installApi(
    ApiServer &server, ControlPlane &plane, const std::vector<ApiRegistration> &registrations)
{
    registerTraefikEndpoints(server.router(), plane);
    for (const ApiRegistration &registration : registrations)
        registration(server.router(), plane);
    if (!server.isListening())
        return;
    plane.addProvider(std::make_unique<InternalProvider>(server.url(), plane.staticConfig()));
    if (auto published = server.publishInstance(); !published)
        qCCritical(lcControl).noquote() << published.error().toString();
}

} // namespace portico::control::api
