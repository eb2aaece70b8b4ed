#pragma once

#include "core/middleware/middleware.h"
#include "core/rules/rule.h"
#include "core/service/load_balancer.h"

#include <QString>

#include <memory>
#include <unordered_map>
#include <vector>

namespace portico::proxy {

/// A router ready to serve: what the data plane needs once its rule matched.
struct Route
{
    QString router; ///< qualified name, `api@file`
    QString service; ///< qualified name, `api@file`
    std::vector<std::shared_ptr<const middleware::Middleware>> middlewares; ///< in order
    QStringList middlewareNames; ///< qualified, same order (for logs and the inspector)
    std::shared_ptr<const service::LoadBalancer> balancer;
};

/// The enabled routers of one entry point.
struct EntryPointRoutes
{
    rules::RuleTable rules; ///< ids index `routes`
    std::vector<Route> routes;
};

/// An immutable routing snapshot built by the control thread and shared by all engine threads.
/// Exchanges keep the table they started with alive until they finish (shared_ptr).
struct RoutingTable
{
    quint64 generation = 0;
    std::unordered_map<QString, EntryPointRoutes> entryPoints; ///< by entry point name

    /// The routes of an entry point, or nullptr when it has none.
    const EntryPointRoutes *forEntryPoint(const QString &name) const
    {
        const auto it = entryPoints.find(name);
        return it == entryPoints.end() ? nullptr : &it->second;
    }
};

using RoutingTablePtr = std::shared_ptr<const RoutingTable>;

} // namespace portico::proxy
