#include "core/control/api/metrics_endpoints.h"

#include "core/control/control_plane.h"
#include "core/observe/capture_hub.h"
#include "core/observe/prometheus_metrics.h"
#include "core/proxy/connection_gauges.h"

namespace portico::control::api {

namespace {

/// Servers under a health check only, as Traefik exports them.
std::vector<observe::PrometheusMetrics::ServerUp> serversUp(const RuntimeState &state)
{
    std::vector<observe::PrometheusMetrics::ServerUp> out;
    for (const auto &[name, service] : state.services) {
        if (!service.spec.loadBalancer || !service.spec.loadBalancer->healthCheck)
            continue;
        for (const auto &[url, status] : service.serverStatus)
            out.push_back({ name, url, status == u"UP" });
    }
    return out;
}

} // namespace

std::shared_ptr<observe::PrometheusMetrics> makePrometheusMetrics(
    const config::StaticConfig &config)
{
    if (!config.metrics || !config.metrics->prometheus)
        return nullptr;
    const config::PrometheusSpec &spec = *config.metrics->prometheus;
    observe::PrometheusMetrics::Options options;
    options.entryPointLabels = spec.addEntryPointsLabels;
    options.routerLabels = spec.addRoutersLabels;
    options.serviceLabels = spec.addServicesLabels;
    options.buckets = spec.buckets;
    options.addInternals = config.metrics->addInternals;
    for (const auto &[label, header] : spec.headerLabels)
        options.headerLabels.emplace_back(label.toUtf8(), header.toUtf8());
    return std::make_shared<observe::PrometheusMetrics>(options);
}

ApiRegistration metricsRegistration(std::shared_ptr<observe::PrometheusMetrics> metrics)
{
    return [metrics](ApiRouter &router, ControlPlane &plane) {
        router.add(
            "GET", QStringLiteral("/metrics"), Access::ReadOnly, [metrics](const ApiRequest &) {
                ApiResponse response;
                response.contentType = observe::PrometheusMetrics::contentType();
                response.body = metrics->render();
                return response;
            });
        // Direct connections: the plane and these slots run on the control thread.
        QObject::connect(&plane, &ControlPlane::routingTableReady, &plane,
            [metrics](const proxy::RoutingTablePtr &) { metrics->configReloaded(true); });
        QObject::connect(&plane, &ControlPlane::stateChanged, &plane,
            [metrics](const RuntimeState &state) { metrics->setServersUp(serversUp(state)); });
    };
}

ApiRegistration prometheusRegistration(const config::StaticConfig &config, observe::CaptureHub *hub,
    QObject *context, std::shared_ptr<const proxy::ConnectionGauges> gauges)
{
    auto metrics = makePrometheusMetrics(config);
    if (!metrics)
        return {};
    if (gauges)
        metrics->setOpenConnectionsSource([gauges] { return gauges->counts(); });
    if (hub)
        QObject::connect(hub, &observe::CaptureHub::exchangesFinished, context,
            [metrics](const observe::RecordBatch &records) { metrics->record(records); });
    return metricsRegistration(std::move(metrics));
}

} // namespace portico::control::api
