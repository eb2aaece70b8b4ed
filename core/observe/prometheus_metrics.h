#pragma once

#include "core/observe/exchange_record.h"

#include <QByteArray>
#include <QObject>

#include <functional>
#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace portico::observe {

/// Traefik's Prometheus metrics (names, labels and buckets as Traefik v3 exposes them, so
/// existing dashboards work): entry point, router and service request counters and duration
/// histograms, request/response bytes, open connections, config reloads. Fed by
/// CaptureHub::exchangesFinished; rendered in the Prometheus text exposition format 0.0.4.
/// Every member function is thread-safe (an internal mutex): the hub's thread records, the
/// control thread renders.
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
        /// headerLabels: label name → request header, on `*_requests_total` only.
        std::vector<std::pair<QByteArray, QByteArray>> headerLabels = {};
        bool addInternals = false; ///< metrics.addInternals: count `@internal` services too
    };

    /// One server under a health check (`traefik_service_server_up`).
    struct ServerUp
    {
        QString service;
        QString url;
        bool up = true;
    };

    explicit PrometheusMetrics(Options options, QObject *parent = nullptr);
    ~PrometheusMetrics() override;

    /// Counts the finished exchanges (thread: the hub's, or any, serialised by the caller).
    void record(const portico::observe::RecordBatch &records);
    /// A configuration was applied (`traefik_config_reloads_total`, `..._last_success_...`).
    void configReloaded(bool success);
    /// The current text exposition (`text/plain; version=0.0.4`).
    QByteArray render() const;
    /// Replaces every `traefik_service_server_up` series (servers under a health check only).
    void setServersUp(const std::vector<ServerUp> &servers);
    /// `traefik_open_connections{entrypoint,protocol="TCP"}` of an entry point.
    void setOpenConnections(const QString &entryPoint, qint64 count);
    /// (entry point, open connections) pairs, e.g. from proxy::ConnectionGauges::counts().
    using OpenConnectionsSource = std::function<std::vector<std::pair<QString, qint64>>()>;
    /// Reads `traefik_open_connections` from `source` at every render() (on the rendering
    /// thread, so the source must be thread-safe): a scrape sees the counts of that moment.
    void setOpenConnectionsSource(OpenConnectionsSource source);
    /// The value of one counter or gauge series (tests, the GUI); 0 when it does not exist.
    double value(const QByteArray &name, const std::map<QByteArray, QByteArray> &labels) const;

    /// The content type of render()'s output.
    static QByteArray contentType();

private:
    class Registry;
    std::unique_ptr<Registry> m_registry;
    Options m_options;
    OpenConnectionsSource m_openConnections; ///< guarded by the registry's mutex
};

} // namespace portico::observe
