#pragma once

#include "core/proxy/tcp_client_hello.h"
#include "core/proxy/tcp_service.h"
#include "core/rules/client_ip_matcher.h"
#include "core/rules/rule.h"

#include <QHostAddress>
#include <QString>

#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace portico::proxy {

/// A TCP router ready to serve.
struct TcpRoute
{
    QString router; ///< qualified name
    QString service; ///< qualified name
    bool tls = false; ///< matched on TLS connections only
    bool passthrough = false; ///< with tls: forward the encrypted bytes untouched
    /// `ipAllowList` middlewares in order: the client must be in every list.
    std::vector<std::vector<rules::IpNetwork>> allowLists;
    TcpBalancerPtr balancer;

    /// True when every ipAllowList admits `peer`.
    bool admits(const QHostAddress &peer) const;
};

/// What to do with a connection after looking at its first bytes.
struct TcpDecision
{
    enum class Kind {
        Wait, ///< the ClientHello is incomplete: read more
        Http, ///< no TCP router: HTTP (or HTTPS) on this entry point as before
        Route, ///< `route` takes the connection
    };
    Kind kind = Kind::Wait;
    const TcpRoute *route = nullptr;
};

/// The TCP routers of one entry point, split as Traefik's muxers are: routers without `tls`
/// (plain connections, only `HostSNI(`*`)` can match them) and routers with `tls` (matched on
/// the ClientHello's SNI and ALPN).
struct TcpEntryPointRoutes
{
    rules::RuleTable plainRules; ///< ids index plainRoutes
    std::vector<TcpRoute> plainRoutes;
    rules::RuleTable tlsRules; ///< ids index tlsRoutes
    std::vector<TcpRoute> tlsRoutes;
    /// Host() names of the HTTPS routers on this entry point: such a router takes precedence
    /// over TCP routers for its SNI (Traefik: a non-catch-all HTTPS route wins).
    std::unordered_set<QByteArray> httpsHosts;
    std::vector<QByteArray> httpsWildcardSuffixes; ///< from Host(`*.x.y`): `.x.y`
    bool hasHttpsRouters = false;

    /// True when a plain TCP router can be chosen before the client sends anything (Traefik's
    /// server-first case: only plain TCP routers on the entry point, no TLS nor HTTPS ones).
    bool decidesAtAccept() const;
    /// The choice for a connection from `peer` whose first bytes say `hello` (Traefik
    /// pkg/server/router/tcp/router.go ServeTCP).
    TcpDecision decide(const ClientHelloInfo &hello, const QHostAddress &peer) const;
    /// The plain router matching a connection that sent nothing yet, or nullptr.
    const TcpRoute *matchSilent(const QHostAddress &peer) const;

private:
    bool httpsClaims(const QByteArray &serverName) const;
};

/// The TCP part of a routing table, by entry point name.
struct TcpRoutingTable
{
    std::unordered_map<QString, TcpEntryPointRoutes> entryPoints;

    /// The TCP routers of an entry point, or nullptr when it has none.
    const TcpEntryPointRoutes *forEntryPoint(const QString &name) const
    {
        const auto it = entryPoints.find(name);
        return it == entryPoints.end() ? nullptr : &it->second;
    }
};

} // namespace portico::proxy
