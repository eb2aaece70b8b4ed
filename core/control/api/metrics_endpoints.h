#pragma once

#include "core/config/static_spec.h"
#include "core/control/api/api_wiring.h"

#include <memory>

class QObject;

namespace portico::proxy {
class ConnectionGauges;
}

namespace portico::observe {
class CaptureHub;
class PrometheusMetrics;
} // namespace portico::observe

namespace portico::control::api {

/// The Prometheus metrics `metrics.prometheus` describes (buckets, label switches,
/// headerLabels, addInternals); null when Prometheus is not configured.
std::shared_ptr<observe::PrometheusMetrics> makePrometheusMetrics(
    const config::StaticConfig &config);

/// Registers `GET /metrics` (the text exposition, as Traefik's `prometheus@internal` serves it;
/// the internal provider routes to it) and feeds `metrics` from the control plane: each build
/// counts as a config reload, and health-checked servers become `traefik_service_server_up`.
/// Requests are counted elsewhere: connect CaptureHub::exchangesFinished to
/// PrometheusMetrics::record.
ApiRegistration metricsRegistration(std::shared_ptr<observe::PrometheusMetrics> metrics);

/// All of it for a core: the metrics of `config`, counting `hub`'s finished exchanges (queued to
/// `context`'s thread; no hub: only the configuration families), `traefik_open_connections`
/// from `gauges` (the ProxyServer's; null: not exported), and the registration of
/// `GET /metrics`. An empty registration when `metrics.prometheus` is not configured.
ApiRegistration prometheusRegistration(const config::StaticConfig &config, observe::CaptureHub *hub,
    QObject *context, std::shared_ptr<const proxy::ConnectionGauges> gauges = nullptr);

} // namespace portico::control::api
