#pragma once

#include "core/observe/exchange_record.h"

#include <QByteArray>
#include <QObject>

#include <memory>

namespace portico::observe {

/// Traefik's Prometheus metrics (names, labels and buckets as Traefik v3 exposes them, so
/// existing dashboards work): entry point, router and service request counters and duration
/// histograms, request/response bytes, open connections, config reloads. Fed by
/// CaptureHub::exchangesFinished; rendered in the Prometheus text exposition format 0.0.4.
class PrometheusMetrics final : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        bool entryPointLabels = true; ///< metrics.prometheus.addEntryPointsLabels
        bool routerLabels = false; ///< addRoutersLabels
        bool serviceLabels = true; ///< addServicesLabels
        std::vector<double> buckets { 0.1, 0.3, 1.2, 5.0 };
    };

    explicit PrometheusMetrics(Options options, QObject *parent = nullptr);
    ~PrometheusMetrics() override;

    /// Counts the finished exchanges (thread: the hub's, or any, serialised by the caller).
    void record(const portico::observe::RecordBatch &records);
    /// A configuration was applied (`traefik_config_reloads_total`, `..._last_success_...`).
    void configReloaded(bool success);
    /// The current text exposition (`text/plain; version=0.0.4`).
    QByteArray render() const;

private:
    class Registry;
    std::unique_ptr<Registry> m_registry;
    Options m_options;
};

} // namespace portico::observe
