#include "core/control/control_plane.h"

#include "core/common/log.h"
#include "core/service/health_checker.h"

#include <QNetworkAccessManager>
#include <QTimer>

namespace portico::control {

ControlPlane::ControlPlane(config::StaticConfig staticConfig, QObject *parent)
    : QObject(parent)
    , m_static(std::move(staticConfig))
    , m_builder(m_static.entryPoints)
{
    qRegisterMetaType<portico::proxy::RoutingTablePtr>();
    qRegisterMetaType<portico::control::RuntimeState>();
}

ControlPlane::~ControlPlane() = default;

void ControlPlane::addProvider(std::unique_ptr<provider::Provider> provider)
{
    provider::Provider *p = provider.release();
    p->setParent(this);
    const QString name = p->name();
    connect(p, &provider::Provider::snapshotReady, this,
        [this, name](const config::DynamicConfig &snapshot) { onSnapshot(name, snapshot); });
    connect(p, &provider::Provider::snapshotFailed, this,
        [this, name](const std::vector<Error> &errors) {
            for (const Error &e : errors)
                qCCritical(lcControl).noquote() << "provider" << name << "failed:" << e.toString();
            Q_EMIT providerFailed(name, errors);
        });
    m_providers.push_back(p);
}

void ControlPlane::start()
{
    for (provider::Provider *p : m_providers)
        p->start();
    // Publish at least once, so entry points answer 404 instead of nothing with no provider.
    scheduleRebuild();
}

void ControlPlane::setPausedRouters(const QStringList &routers)
{
    m_builder.setPausedRouters(routers);
    scheduleRebuild();
}

void ControlPlane::onSnapshot(const QString &provider, const config::DynamicConfig &snapshot)
{
    m_snapshots[provider] = snapshot;
    scheduleRebuild();
}

void ControlPlane::scheduleRebuild()
{
    // Coalesces bursts (several providers reporting in one event-loop turn) into one build.
    if (m_rebuildPending)
        return;
    m_rebuildPending = true;
    QTimer::singleShot(0, this, [this] {
        m_rebuildPending = false;
        rebuild();
    });
}

void ControlPlane::rebuild()
{
    TableBuilder::Result result = m_builder.build(m_snapshots, ++m_generation, m_balancers);
    m_balancers = std::move(result.balancers);
    m_state = std::move(result.state);
    m_table = result.table;
    syncHealthCheckers();
    logBuild();
    Q_EMIT routingTableReady(result.table);
    Q_EMIT stateChanged(m_state);
}

void ControlPlane::syncHealthCheckers()
{
    std::map<QString, std::unique_ptr<service::HealthChecker>> kept;
    for (const auto &[name, balancer] : m_balancers) {
        if (!balancer->spec().healthCheck)
            continue;
        auto old = m_healthCheckers.find(name);
        if (old != m_healthCheckers.end() && old->second->balancer() == balancer) {
            kept[name] = std::move(old->second);
            continue;
        }
        auto checker = std::make_unique<service::HealthChecker>(balancer);
        if (!m_network)
            m_network = new QNetworkAccessManager(this);
        checker->setNetworkAccessManager(m_network);
        checker->setTransport(
            balancer->transport() ? *balancer->transport() : m_static.serversTransport);
        connect(checker.get(), &service::HealthChecker::serverStatusChanged, this,
            &ControlPlane::onServerStatus);
        checker->start();
        kept[name] = std::move(checker);
    }
    m_healthCheckers = std::move(kept);
}

void ControlPlane::onServerStatus(const QString &service, const QString &url, bool up)
{
    const auto it = m_state.services.find(service);
    if (it == m_state.services.end())
        return;
    it->second.serverStatus[url] = up ? QStringLiteral("UP") : QStringLiteral("DOWN");
    Q_EMIT stateChanged(m_state);
}

void ControlPlane::logBuild() const
{
    int disabled = 0;
    for (const auto &[name, router] : m_state.routers)
        disabled += router.status == Status::Disabled ? 1 : 0;
    qCInfo(lcControl).noquote() << QStringLiteral(
        "configuration %1: %2 routers (%3 disabled), %4 services")
                                       .arg(m_generation)
                                       .arg(m_state.routers.size())
                                       .arg(disabled)
                                       .arg(m_state.services.size());
    for (const Error &e : m_state.allErrors())
        qCCritical(lcControl).noquote() << e.toString();
}

} // namespace portico::control
