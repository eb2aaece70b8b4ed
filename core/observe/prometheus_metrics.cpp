#include "core/observe/prometheus_metrics.h"

#include "core/observe/metric_registry.h"
#include "core/observe/traefik_labels.h"

#include <QDateTime>

#include <mutex>

namespace portico::observe {

namespace {

// Family names and HELP texts exactly as Traefik v3 exposes them
// (docs/traefik-interfaces.md §3.2).
struct FamilyInfo
{
    const char *name;
    MetricType type;
    const char *help;
};

constexpr FamilyInfo kFamilies[] = {
    { "traefik_config_reloads_total", MetricType::Counter, "Config reloads" },
    { "traefik_config_last_reload_success", MetricType::Gauge, "Last config reload success" },
    { "traefik_open_connections", MetricType::Gauge,
        "How many open connections exist, by entryPoint and protocol" },
    { "traefik_entrypoint_requests_total", MetricType::Counter,
        "How many HTTP requests processed on an entrypoint, partitioned by status code, protocol, "
        "and method." },
    { "traefik_entrypoint_requests_tls_total", MetricType::Counter,
        "How many HTTP requests with TLS processed on an entrypoint, partitioned by TLS Version "
        "and TLS cipher Used." },
    { "traefik_entrypoint_request_duration_seconds", MetricType::Histogram,
        "How long it took to process the request on an entrypoint, partitioned by status code, "
        "protocol, and method." },
    { "traefik_entrypoint_requests_bytes_total", MetricType::Counter,
        "The total size of requests in bytes handled by an entrypoint, partitioned by status "
        "code, protocol, and method." },
    { "traefik_entrypoint_responses_bytes_total", MetricType::Counter,
        "The total size of responses in bytes handled by an entrypoint, partitioned by status "
        "code, protocol, and method." },
    { "traefik_router_requests_total", MetricType::Counter,
        "How many HTTP requests are processed on a router, partitioned by service, status code, "
        "protocol, and method." },
    { "traefik_router_requests_tls_total", MetricType::Counter,
        "How many HTTP requests with TLS are processed on a router, partitioned by service, TLS "
        "Version, and TLS cipher Used." },
    { "traefik_router_request_duration_seconds", MetricType::Histogram,
        "How long it took to process the request on a router, partitioned by service, status "
        "code, protocol, and method." },
    { "traefik_router_requests_bytes_total", MetricType::Counter,
        "The total size of requests in bytes handled by a router, partitioned by service, status "
        "code, protocol, and method." },
    { "traefik_router_responses_bytes_total", MetricType::Counter,
        "The total size of responses in bytes handled by a router, partitioned by service, "
        "status code, protocol, and method." },
    { "traefik_service_requests_total", MetricType::Counter,
        "How many HTTP requests processed on a service, partitioned by status code, protocol, and "
        "method." },
    { "traefik_service_requests_tls_total", MetricType::Counter,
        "How many HTTP requests with TLS processed on a service, partitioned by TLS version and "
        "TLS cipher." },
    { "traefik_service_request_duration_seconds", MetricType::Histogram,
        "How long it took to process the request on a service, partitioned by status code, "
        "protocol, and method." },
    { "traefik_service_retries_total", MetricType::Counter,
        "How many request retries happened on a service." },
    { "traefik_service_server_up", MetricType::Gauge,
        "service server is up, described by gauge value of 0 or 1." },
    { "traefik_service_requests_bytes_total", MetricType::Counter,
        "The total size of requests in bytes received by a service, partitioned by status code, "
        "protocol, and method." },
    { "traefik_service_responses_bytes_total", MetricType::Counter,
        "The total size of responses in bytes returned by a service, partitioned by status code, "
        "protocol, and method." },
};

/// One layer (entry point, router, service) of the per-request families.
struct Layer
{
    QByteArray prefix; ///< `traefik_entrypoint`, `traefik_router`, `traefik_service`
    Labels labels; ///< the layer's own labels (`entrypoint`, `router`+`service`, `service`)
};

} // namespace

class PrometheusMetrics::Registry
{
public:
    std::mutex mutex;
    MetricRegistry metrics;
};

PrometheusMetrics::PrometheusMetrics(Options options, QObject *parent)
    : QObject(parent)
    , m_registry(std::make_unique<Registry>())
    , m_options(std::move(options))
{
    for (const FamilyInfo &family : kFamilies) {
        const bool histogram = family.type == MetricType::Histogram;
        m_registry->metrics.declare(family.name, family.type, family.help,
            histogram ? m_options.buckets : std::vector<double> {});
    }
    // Exported from the start with value 0 (Traefik).
    m_registry->metrics.add("traefik_config_reloads_total", {}, 0);
    m_registry->metrics.set("traefik_config_last_reload_success", {}, 0);
}

PrometheusMetrics::~PrometheusMetrics() = default;

QByteArray PrometheusMetrics::contentType()
{
    return QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8");
}

void PrometheusMetrics::record(const RecordBatch &records)
{
    std::lock_guard lock(m_registry->mutex);
    MetricRegistry &metrics = m_registry->metrics;
    for (const RecordPtr &record : records) {
        if (!record || record->state == RecordState::InProgress)
            continue;
        // Requests to internal services are not counted unless metrics.addInternals.
        if (!m_options.addInternals && record->service.endsWith(QLatin1String("@internal")))
            continue;
        const RequestLabels common = requestLabels(*record);
        std::vector<Layer> layers;
        if (m_options.entryPointLabels)
            layers.push_back(
                { "traefik_entrypoint", { { "entrypoint", record->entryPoint.toUtf8() } } });
        if (m_options.routerLabels && !record->router.isEmpty())
            layers.push_back({ "traefik_router",
                { { "router", record->router.toUtf8() },
                    { "service", record->service.toUtf8() } } });
        if (m_options.serviceLabels && !record->service.isEmpty())
            layers.push_back({ "traefik_service", { { "service", record->service.toUtf8() } } });
        for (const Layer &layer : layers) {
            Labels labels = layer.labels;
            labels.insert({ { "code", common.code }, { "method", common.method },
                { "protocol", common.protocol } });
            Labels withHeaders = labels;
            for (const auto &[label, header] : m_options.headerLabels) {
                const QByteArray value = record->requestHeaders.value(header);
                withHeaders[label] = value.isNull() ? QByteArray("") : value;
            }
            metrics.add(layer.prefix + "_requests_total", withHeaders, 1);
            metrics.observe(layer.prefix + "_request_duration_seconds", labels,
                record->timing.total > 0 ? double(record->timing.total) / 1e6 : 0.0);
            metrics.add(
                layer.prefix + "_requests_bytes_total", labels, double(record->requestBody.size));
            metrics.add(
                layer.prefix + "_responses_bytes_total", labels, double(record->responseBody.size));
            if (record->tls) {
                Labels tls = layer.labels;
                tls.insert(
                    { { "tls_version", record->tlsVersion }, { "tls_cipher", record->tlsCipher } });
                metrics.add(layer.prefix + "_requests_tls_total", tls, 1);
            }
        }
        if (m_options.serviceLabels && !record->service.isEmpty() && record->retryAttempts > 0)
            metrics.add("traefik_service_retries_total",
                { { "service", record->service.toUtf8() } }, record->retryAttempts);
    }
}

void PrometheusMetrics::configReloaded(bool success)
{
    std::lock_guard lock(m_registry->mutex);
    m_registry->metrics.add("traefik_config_reloads_total", {}, 1);
    if (success) // Unix seconds of the last applied reload
        m_registry->metrics.set(
            "traefik_config_last_reload_success", {}, double(QDateTime::currentSecsSinceEpoch()));
}

QByteArray PrometheusMetrics::render() const
{
    OpenConnectionsSource source;
    {
        std::lock_guard lock(m_registry->mutex);
        source = m_openConnections;
    }
    // Asked outside the lock: the source sums engine counters and must not wait on recording.
    const auto counts = source ? source() : std::vector<std::pair<QString, qint64>> {};
    std::lock_guard lock(m_registry->mutex);
    for (const auto &[entryPoint, count] : counts)
        m_registry->metrics.set("traefik_open_connections",
            { { "entrypoint", entryPoint.toUtf8() }, { "protocol", "TCP" } }, double(count));
    return m_registry->metrics.render();
}

void PrometheusMetrics::setOpenConnectionsSource(OpenConnectionsSource source)
{
    std::lock_guard lock(m_registry->mutex);
    m_openConnections = std::move(source);
}

void PrometheusMetrics::setServersUp(const std::vector<ServerUp> &servers)
{
    std::lock_guard lock(m_registry->mutex);
    m_registry->metrics.clear("traefik_service_server_up");
    for (const ServerUp &server : servers)
        m_registry->metrics.set("traefik_service_server_up",
            { { "service", server.service.toUtf8() }, { "url", server.url.toUtf8() } },
            server.up ? 1 : 0);
}

void PrometheusMetrics::setOpenConnections(const QString &entryPoint, qint64 count)
{
    std::lock_guard lock(m_registry->mutex);
    // `protocol` is always "TCP" in Traefik's code.
    m_registry->metrics.set("traefik_open_connections",
        { { "entrypoint", entryPoint.toUtf8() }, { "protocol", "TCP" } }, double(count));
}

double PrometheusMetrics::value(
    const QByteArray &name, const std::map<QByteArray, QByteArray> &labels) const
{
    std::lock_guard lock(m_registry->mutex);
    return m_registry->metrics.value(name, labels);
}

} // namespace portico::observe
