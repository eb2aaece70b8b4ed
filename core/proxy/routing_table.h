#pragma once

#include "core/middleware/middleware.h"
#include "core/rules/rule.h"
#include "core/service/load_balancer.h"
#include "core/tls/tls_config.h"

#include <QString>

#include <memory>
#include <unordered_map>
#include <vector>

namespace portico::proxy {

struct TcpRoutingTable; // tcp_routing.h

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
    /// TLS routes only: the TLS options of each Host() name of a router with `tls.options`
    /// (Traefik chooses options by SNI host); other names use the `default` options.
    std::unordered_map<QString, tls::ServerOptionsPtr> tlsOptionsByHost;
};

/// An immutable routing snapshot built by the control thread and shared by all engine threads.
/// Exchanges keep the table they started with alive until they finish (shared_ptr).
struct RoutingTable
{
    quint64 generation = 0;
    std::unordered_map<QString, EntryPointRoutes> entryPoints; ///< by entry point name
    /// Routers with `tls` (or on an entry point with `http.tls`): they serve TLS connections
    /// only, the others plain ones only (Traefik).
    std::unordered_map<QString, EntryPointRoutes> tlsEntryPoints;
    /// Certificates and TLS options; null = the entry points accept plain HTTP only.
    tls::TlsConfigPtr tls;
    /// TCP routers (tcp_routing.h); null = no entry point has any, connections are HTTP only.
    std::shared_ptr<const TcpRoutingTable> tcp;

    /// The routes of an entry point for plain or TLS connections, or nullptr when it has none.
    const EntryPointRoutes *forEntryPoint(const QString &name, bool secure = false) const
    {
        const auto &map = secure ? tlsEntryPoints : entryPoints;
        const auto it = map.find(name);
        return it == map.end() ? nullptr : &it->second;
    }
};

using RoutingTablePtr = std::shared_ptr<const RoutingTable>;

} // namespace portico::proxy
