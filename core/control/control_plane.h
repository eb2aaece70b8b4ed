#pragma once

#include "core/config/static_spec.h"
#include "core/control/runtime_state.h"
#include "core/control/table_builder.h"
#include "core/provider/provider.h"
#include "core/proxy/routing_table.h"

#include <QObject>

#include <map>
#include <memory>
#include <vector>

class QNetworkAccessManager;

namespace portico::service {
class HealthChecker;
}

namespace portico::control {

/// The control thread's coordinator: owns the providers, merges their snapshots, builds a new
/// RoutingTable off the engine threads on every change and publishes it. A failed provider read
/// keeps the last good snapshot; a bad object only disables itself.
class ControlPlane : public QObject
{
    Q_OBJECT
public:
    explicit ControlPlane(config::StaticConfig staticConfig, QObject *parent = nullptr);
    ~ControlPlane() override;

    /// Takes ownership of a provider (it becomes a child, so it follows moveToThread); call
    /// before start().
    void addProvider(std::unique_ptr<provider::Provider> provider);
    /// The state of the last build (value copy).
    const RuntimeState &state() const { return m_state; }
    /// The routing table of the last build, matching state() (null before the first build).
    proxy::RoutingTablePtr routingTable() const { return m_table; }
    /// The static configuration it was started with (entry points, providers; for the API).
    const config::StaticConfig &staticConfig() const { return m_static; }
    /// Routers (qualified names) to answer with the paused page from now on; rebuilds.
    void setPausedRouters(const QStringList &routers);

public Q_SLOTS:
    /// Starts every provider; the first table is published once they have reported.
    void start();

Q_SIGNALS:
    /// A new routing table to hand to the engines (connect to ProxyServer::setRoutingTable).
    void routingTableReady(const portico::proxy::RoutingTablePtr &table);
    /// The merged runtime state after each build (API, GUI, logs).
    void stateChanged(const portico::control::RuntimeState &state);
    /// A provider failed to read its source; the previous configuration stays in force.
    void providerFailed(const QString &provider, const std::vector<portico::Error> &errors);

private:
    void onSnapshot(const QString &provider, const config::DynamicConfig &snapshot);
    void scheduleRebuild();
    void rebuild();
    void syncHealthCheckers();
    void onServerStatus(const QString &service, const QString &url, bool up);
    void logBuild() const;

    config::StaticConfig m_static;
    TableBuilder m_builder;
    std::vector<provider::Provider *> m_providers; ///< children of this object
    Snapshots m_snapshots;
    Balancers m_balancers;
    std::map<QString, std::unique_ptr<service::HealthChecker>> m_healthCheckers;
    RuntimeState m_state;
    proxy::RoutingTablePtr m_table; ///< the last build's, for the route explainer
    quint64 m_generation = 0;
    bool m_rebuildPending = false;
    QNetworkAccessManager *m_network = nullptr; ///< shared by the health checkers
};

} // namespace portico::control
