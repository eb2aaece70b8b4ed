#pragma once

#include "core/config/static_spec.h"
#include "core/proxy/h2_upstream_alpn.h"
#include "core/proxy/upstream_connection.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace portico::service {
struct Server;
}

namespace portico::proxy {

class H2UpstreamConnection;
class H2UpstreamStream;

/// The upstream connections of one engine thread: kept-alive idle connections by scheme/host/port
/// (most recently used first), connections being dialled, and those serving an exchange; for
/// `h2c://` servers and `https://` servers that select h2 by ALPN, shared HTTP/2 connections
/// whose streams serve many exchanges at once.
class UpstreamPool final : public QObject
{
public:
    explicit UpstreamPool(const config::ServersTransportSpec &transport, QObject *parent = nullptr);
    ~UpstreamPool() override;

    /// A channel to `server` attached to `listener`. HTTP/1.1: an idle kept-alive connection
    /// unless `fresh`, else a new one being dialled (the listener hears onUpstreamConnected or a
    /// failure). h2c: a new stream on a connection below its stream limit, dialled if none is.
    /// `upgrade`: an Upgrade request (WebSocket), which needs HTTP/1.1 even from an `https://`
    /// server that speaks h2 (as Go's transport does for Traefik).
    UpstreamChannel *acquire(const service::Server &server, UpstreamListener *listener, bool fresh,
        bool upgrade = false);
    /// A connection whose exchange completed cleanly goes back to the idle list (or is closed
    /// when the list is full).
    void recycle(UpstreamConnection *connection);
    /// Closes a connection for good; it is deleted from the event loop.
    void retire(UpstreamConnection *connection);
    /// Forgets an HTTP/2 connection that closed; it is deleted from the event loop.
    void retireH2(H2UpstreamConnection *connection);
    /// Places a stream another connection refused unprocessed on a connection that can take it.
    void resendH2(std::unique_ptr<H2UpstreamStream> stream);
    /// Applies dial, response-header and idle timeouts.
    void checkTimeouts(qint64 nowMs);
    /// Closes every idle connection (shutdown).
    void closeIdle();

    const config::ServersTransportSpec &transport() const { return m_transport; }
    /// The address that last worked for a dual-stack name (`localhost`) and port.
    QHostAddress preferredAddress(const UpstreamKey &key) const;
    void rememberAddress(const UpstreamKey &key, const QHostAddress &address);
    size_t idleCount() const;
    size_t size() const { return m_all.size() + m_h2Count; }
    /// The server's SETTINGS_MAX_CONCURRENT_STREAMS as last seen (assumed on a new connection
    /// until its own SETTINGS arrive), 100 before any.
    uint32_t h2StreamLimit(const UpstreamKey &key) const;
    void rememberH2StreamLimit(const UpstreamKey &key, uint32_t limit) { m_h2Limits[key] = limit; }
    /// The open HTTP/2 connections to `key`'s server.
    size_t h2ConnectionCount(const UpstreamKey &key) const;

    /// What an `https://` server selected by ALPN on this engine's last connection to it
    /// (HTTP/1.1 forgotten once no HTTP/1.1 connection to it is left: AlpnMemory).
    using TlsProtocol = AlpnMemory::Protocol;
    TlsProtocol tlsProtocol(const UpstreamKey &key) const;
    void rememberTlsProtocol(const UpstreamKey &key, TlsProtocol protocol);
    /// A new HTTP/1.1 connection to `key` (idle ones first unless `fresh`) attached to `listener`.
    UpstreamChannel *acquireHttp1(UpstreamKey key, UpstreamListener *listener, bool fresh);
    /// An HTTP/2 connection to `key` with room for another stream, dialled if none has.
    H2UpstreamConnection *h2ConnectionFor(const UpstreamKey &key);

private:
    struct KeyHash
    {
        /// Hashed twice per request: port, lengths and the host's last character are cheap and
        /// tell an engine's few upstream servers apart; equality settles the rest.
        size_t operator()(const UpstreamKey &k) const
        {
            const size_t last = k.host.isEmpty() ? 0 : size_t(k.host.back().unicode());
            return (size_t(k.port) << 16) ^ (size_t(k.host.size()) << 8) ^ last
                ^ (size_t(k.scheme.size()) << 28);
        }
    };

    config::ServersTransportSpec m_transport;
    std::unordered_map<UpstreamKey, std::vector<UpstreamConnection *>, KeyHash> m_idle;
    std::unordered_map<UpstreamKey, QHostAddress, KeyHash> m_preferred;
    std::unordered_set<UpstreamConnection *> m_all;
    std::unordered_map<UpstreamKey, std::vector<H2UpstreamConnection *>, KeyHash> m_h2;
    std::unordered_map<UpstreamKey, uint32_t, KeyHash> m_h2Limits;
    AlpnMemory m_alpn;
    size_t m_h2Count = 0;
};

} // namespace portico::proxy
