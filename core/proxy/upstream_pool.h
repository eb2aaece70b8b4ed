#pragma once

#include "core/config/static_spec.h"
#include "core/proxy/upstream_connection.h"

#include <QHash>
#include <QObject>

#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace portico::service {
struct Server;
}

namespace portico::proxy {

/// The upstream connections of one engine thread: kept-alive idle connections by scheme/host/port
/// (most recently used first), connections being dialled, and those serving an exchange.
class UpstreamPool final : public QObject
{
public:
    explicit UpstreamPool(const config::ServersTransportSpec &transport, QObject *parent = nullptr);
    ~UpstreamPool() override;

    /// A connection to `server` attached to `listener`: an idle kept-alive one unless `fresh`,
    /// else a new one being dialled (the listener hears onUpstreamConnected or a failure).
    UpstreamConnection *acquire(
        const service::Server &server, UpstreamListener *listener, bool fresh);
    /// A connection whose exchange completed cleanly goes back to the idle list (or is closed
    /// when the list is full).
    void recycle(UpstreamConnection *connection);
    /// Closes a connection for good; it is deleted from the event loop.
    void retire(UpstreamConnection *connection);
    /// Applies dial, response-header and idle timeouts.
    void checkTimeouts(qint64 nowMs);
    /// Closes every idle connection (shutdown).
    void closeIdle();

    const config::ServersTransportSpec &transport() const { return m_transport; }
    /// The address that last worked for a dual-stack name (`localhost`) and port.
    QHostAddress preferredAddress(const UpstreamKey &key) const;
    void rememberAddress(const UpstreamKey &key, const QHostAddress &address);
    size_t idleCount() const;
    size_t size() const { return m_all.size(); }

private:
    struct KeyHash
    {
        size_t operator()(const UpstreamKey &k) const
        {
            return qHash(k.host) ^ (size_t(k.port) << 1) ^ qHash(k.scheme);
        }
    };

    config::ServersTransportSpec m_transport;
    std::unordered_map<UpstreamKey, std::vector<UpstreamConnection *>, KeyHash> m_idle;
    std::unordered_map<UpstreamKey, QHostAddress, KeyHash> m_preferred;
    std::unordered_set<UpstreamConnection *> m_all;
};

} // namespace portico::proxy
