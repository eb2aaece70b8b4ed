#pragma once

#include "core/config/static_spec.h"
#include "core/control/runtime_state.h"
#include "core/proxy/routing_table.h"
#include "core/service/load_balancer.h"

#include <map>
#include <memory>

namespace portico::control {

/// Every provider's latest snapshot, by provider name (`file`, `docker`, …).
using Snapshots = std::map<QString, config::DynamicConfig>;
using Balancers = std::map<QString, std::shared_ptr<service::LoadBalancer>>;

/// Turns provider snapshots into a RoutingTable and the RuntimeState that explains it: merges
/// (names qualified `name@provider`), validates each object on its own (a bad router, service or
/// middleware is disabled with its error; everything else serves) and compiles rules, middleware
/// chains and balancers. Pure: no threads, no I/O — `portico check` and the control plane share it.
class TableBuilder
{
public:
    struct Result
    {
        proxy::RoutingTablePtr table;
        RuntimeState state;
        Balancers balancers; ///< by qualified service name, for health checks and reuse
    };

    explicit TableBuilder(std::vector<config::EntryPointSpec> entryPoints);

    /// Builds generation `generation`. Balancers of `previous` whose spec is unchanged are reused,
    /// so health state and connections to them survive a reload.
    Result build(
        const Snapshots &snapshots, quint64 generation, const Balancers &previous = {}) const;

    /// Provider order for routers of equal priority (lower rank wins): routes people made first,
    /// then containers, files and discovered dev servers. Ties within a provider: name order.
    static int providerRank(const QString &provider);

    /// Routers (qualified names) switched off by hand: they keep their definition but answer
    /// with the paused page (middleware/paused.h) instead of forwarding.
    void setPausedRouters(QStringList routers) { m_paused = std::move(routers); }

private:
    struct Build;
    std::vector<config::EntryPointSpec> m_entryPoints;
    QStringList m_paused;
};

} // namespace portico::control
