#include "core/service/health_checker.h"

#include "core/common/log.h"

#include <QNetworkAccessManager>

namespace portico::service {

namespace {

using std::chrono::milliseconds;

/// Traefik's dynamic.DefaultHealthCheckInterval and DefaultHealthCheckTimeout.
constexpr milliseconds kDefaultInterval { 30000 };
constexpr milliseconds kDefaultTimeout { 5000 };

/// Traefik logs and falls back to the default for a non-positive duration; so do we.
milliseconds positiveOr(
    milliseconds value, milliseconds fallback, const QString &service, const char *field)
{
    if (value.count() > 0)
        return value;
    qCWarning(lcService).noquote()
        << QStringLiteral("service \"%1\": health check %2 must be positive, using %3 ms")
               .arg(service, QLatin1String(field))
               .arg(fallback.count());
    return fallback;
}

} // namespace

HealthChecker::HealthChecker(std::shared_ptr<LoadBalancer> balancer, QObject *parent)
    : QObject(parent)
    , m_balancer(std::move(balancer))
{
    const auto &spec = m_balancer->spec().healthCheck;
    if (!spec)
        return;
    applySpec(*spec);
    for (const auto &server : m_balancer->servers()) {
        auto target = std::make_unique<Target>();
        target->server = server.get();
        target->where = probeTargetFor(*server, *spec);
        target->timer.setSingleShot(true);
        Target *raw = target.get();
        connect(&target->timer, &QTimer::timeout, this, [this, raw] { probe(*raw); });
        m_targets.push_back(std::move(target));
    }
}

HealthChecker::~HealthChecker()
{
    stop();
}

void HealthChecker::applySpec(const config::HealthCheckSpec &spec)
{
    const QString &name = m_balancer->name();
    m_interval = positiveOr(spec.interval, kDefaultInterval, name, "interval");
    // unhealthyInterval 0 means "unset": down servers are probed as often as healthy ones.
    m_unhealthyInterval = spec.unhealthyInterval.count() == 0
        ? m_interval
        : positiveOr(spec.unhealthyInterval, kDefaultInterval, name, "unhealthyInterval");
    m_options.timeout = positiveOr(spec.timeout, kDefaultTimeout, name, "timeout");
    m_options.method = spec.method.toLatin1();
    m_options.expectedStatus = spec.status;
    m_options.followRedirects = spec.followRedirects;
    for (const auto &[header, value] : spec.headers)
        m_options.headers.emplace_back(header.toLatin1(), value.toUtf8());
}

void HealthChecker::setNetworkAccessManager(QNetworkAccessManager *manager)
{
    Q_ASSERT(!m_running);
    m_manager = manager;
}

void HealthChecker::start()
{
    if (m_running)
        return;
    if (!m_manager && !m_targets.empty())
        m_manager = new QNetworkAccessManager(this);
    m_running = true;
    for (auto &target : m_targets)
        probe(*target);
}

void HealthChecker::stop()
{
    m_running = false;
    for (auto &target : m_targets) {
        target->timer.stop();
        if (HealthProbe *probe = std::exchange(target->probe, nullptr)) {
            probe->abort();
            probe->deleteLater();
        }
    }
}

void HealthChecker::probe(Target &target)
{
    if (!m_running || target.probe)
        return;
    target.probe = new HealthProbe(m_manager, target.where, m_options, this);
    connect(target.probe, &HealthProbe::finished, this,
        [this, &target](bool up, const QString &reason) { onProbeFinished(target, up, reason); });
    target.probe->start();
}

void HealthChecker::onProbeFinished(Target &target, bool up, const QString &reason)
{
    std::exchange(target.probe, nullptr)->deleteLater();
    Server &server = *target.server;
    if (!up)
        qCWarning(lcService).noquote()
            << QStringLiteral("health check failed: service \"%1\", target \"%2\": %3")
                   .arg(m_balancer->name(), target.where.display, reason);
    // Scheduled before announcing, so a slot reacting to the signal may stop() us cleanly.
    target.timer.start(up ? m_interval : m_unhealthyInterval);
    if (server.healthy.exchange(up, std::memory_order_relaxed) == up)
        return;
    qCInfo(lcService).noquote() << QStringLiteral("service \"%1\": server \"%2\" is %3")
                                       .arg(m_balancer->name(), server.url,
                                           up ? QLatin1String("UP") : QLatin1String("DOWN"));
    Q_EMIT serverStatusChanged(m_balancer->name(), server.url, up);
}

} // namespace portico::service
