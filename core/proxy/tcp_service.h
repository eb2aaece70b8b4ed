#pragma once

#include <QString>

#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

namespace portico::proxy {

/// One TCP upstream: where to dial and how to end a half-closed connection.
struct TcpTarget
{
    QString host; ///< IP literal or name; `localhost` is dialled on 127.0.0.1 and ::1
    quint16 port = 0;
    bool tls = false; ///< dial with TLS (certificate verified against the system roots)
    std::chrono::milliseconds terminationDelay { 100 }; ///< negative = no limit
    QString address; ///< as configured, for logs and the API
};

/// A TCP service ready to serve: round robin over its servers (`loadBalancer`) or weighted
/// round robin over other TCP services (`weighted`). Immutable once built and shared by every
/// engine thread; the only mutable state is one atomic counter.
class TcpBalancer
{
public:
    /// `loadBalancer`: each connection goes to the next server in turn.
    static std::shared_ptr<const TcpBalancer> servers(std::vector<TcpTarget> targets);
    /// `weighted`: children picked in proportion to their weights (smooth weighted round robin,
    /// so a 3:1 split interleaves instead of sending bursts); weight 0 children get nothing.
    static std::shared_ptr<const TcpBalancer> weighted(
        const std::vector<std::pair<std::shared_ptr<const TcpBalancer>, int>> &children);

    /// The server for the next connection, or nullptr when the service has none.
    const TcpTarget *pick() const;
    /// Every server reachable through this service (for the API).
    std::vector<const TcpTarget *> allTargets() const;

private:
    std::vector<TcpTarget> m_targets;
    std::vector<std::shared_ptr<const TcpBalancer>> m_children;
    std::vector<int> m_schedule; ///< indexes into m_targets or m_children, one round
    mutable std::atomic<quint64> m_next { 0 };
};

using TcpBalancerPtr = std::shared_ptr<const TcpBalancer>;

} // namespace portico::proxy
