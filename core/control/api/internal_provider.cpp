#include "core/control/api/internal_provider.h"

#include <algorithm>
#include <limits>

namespace portico::control::api {

namespace {

/// Traefik's `prometheus@internal` service (GET /metrics on the control API) and, unless
/// manualRouting, its router ``PathPrefix(`/metrics`)`` with priority MaxInt on
/// `metrics.prometheus.entryPoint` (when that entry point exists).
void addPrometheus(
    const QUrl &apiUrl, const config::StaticConfig &config, config::DynamicConfig &out)
{
    if (!config.metrics || !config.metrics->prometheus)
        return;
    const config::PrometheusSpec &spec = *config.metrics->prometheus;
    config::ServiceSpec service;
    service.name = QStringLiteral("prometheus");
    service.loadBalancer = config::LoadBalancerSpec {};
    service.loadBalancer->servers.push_back(config::ServerSpec { apiUrl.toString(), 1, false });
    out.services.push_back(std::move(service));
    const bool hasEntryPoint = std::any_of(config.entryPoints.begin(), config.entryPoints.end(),
        [&](const config::EntryPointSpec &ep) { return ep.name == spec.entryPoint; });
    if (spec.manualRouting || !hasEntryPoint)
        return;
    config::RouterSpec router;
    router.name = QStringLiteral("prometheus");
    router.rule = QStringLiteral("PathPrefix(`/metrics`)");
    router.service = QStringLiteral("prometheus");
    router.priority = std::numeric_limits<qint64>::max();
    router.entryPoints = QStringList { spec.entryPoint };
    out.routers.push_back(std::move(router));
}

} // namespace

InternalProvider::InternalProvider(QUrl apiUrl, const config::StaticConfig &config, QObject *parent)
    : provider::Provider(parent)
    , m_snapshot(snapshot(apiUrl, config))
{ }

void InternalProvider::start()
{
    Q_EMIT snapshotReady(m_snapshot);
}

config::DynamicConfig InternalProvider::snapshot(
    const QUrl &apiUrl, const config::StaticConfig &config)
{
    config::DynamicConfig out;
    config::ServiceSpec api;
    api.name = QStringLiteral("api");
    api.loadBalancer = config::LoadBalancerSpec {};
    api.loadBalancer->servers.push_back(config::ServerSpec { apiUrl.toString(), 1, false });
    out.services.push_back(std::move(api));

    // Portico's own name for its API, on the default entry points. Priority 1: any router of the
    // user's for the same name wins.
    config::RouterSpec portico;
    portico.name = QStringLiteral("portico");
    portico.rule = QStringLiteral("Host(`portico.localhost`)");
    portico.service = QStringLiteral("api");
    portico.priority = 1;
    out.routers.push_back(std::move(portico));

    // Traefik: with api.insecure the API is routed on entry point `traefik`, priority MaxInt-1.
    const bool hasTraefikEntryPoint
        = std::any_of(config.entryPoints.begin(), config.entryPoints.end(),
            [](const config::EntryPointSpec &ep) { return ep.name == u"traefik"; });
    if (config.api && config.api->insecure && hasTraefikEntryPoint) {
        config::RouterSpec router;
        router.name = QStringLiteral("api");
        router.rule = QStringLiteral("PathPrefix(`/api`)");
        router.service = QStringLiteral("api");
        router.priority = std::numeric_limits<qint64>::max() - 1;
        router.entryPoints = QStringList { QStringLiteral("traefik") };
        out.routers.push_back(std::move(router));
    }
    addPrometheus(apiUrl, config, out);
    return out;
}

} // namespace portico::control::api
