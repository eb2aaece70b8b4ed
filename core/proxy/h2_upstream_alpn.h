#pragma once

#include "core/proxy/upstream_channel.h"
#include "core/proxy/upstream_connection.h"

#include <QObject>

#include <unordered_map>

namespace portico::proxy {

class UpstreamPool;

/// What each `https://` server selected by ALPN on one engine's connections, so later exchanges
/// skip the probing ALPN channel. An HTTP/1.1 answer lasts only while HTTP/1.1 connections to
/// that server exist: when the last one closed (idle timeout, server restart) the next
/// connection offers h2 again, so a server that gained h2 is not held to HTTP/1.1 until Portico
/// restarts. An h2 answer is kept (its connections re-check ALPN on every dial anyway).
class AlpnMemory
{
public:
    enum class Protocol { Unknown, Http1, Http2 };

    Protocol protocol(const UpstreamKey &key) const;
    void remember(const UpstreamKey &key, Protocol protocol);
    /// An HTTP/1.1 connection to an `https://` server was created.
    void http1Opened(const UpstreamKey &key);
    /// One closed; after the last one the server's HTTP/1.1 answer is forgotten.
    void http1Closed(const UpstreamKey &key);

private:
    struct Hash
    {
        size_t operator()(const UpstreamKey &k) const { return qHash(k.host) ^ k.port; }
    };
    struct Entry
    {
        Protocol protocol = Protocol::Unknown;
        int http1Connections = 0;
    };
    std::unordered_map<UpstreamKey, Entry, Hash> m_entries;
};

/// An exchange's channel to an `https://` server while the TLS handshake that decides the
/// protocol is still running (first contact, or a new connection to a server that spoke h2).
/// It opens a stream on an HTTP/2 connection that offers `h2,http/1.1` by ALPN (RFC 7301):
/// when the server selects h2 the exchange runs on that stream; otherwise the connection moves
/// the exchange here to a new HTTP/1.1 connection (onHttp1Negotiated) before any request byte
/// was sent. The pool remembers the answer: later exchanges get plain h2 streams of connected
/// connections or HTTP/1.1 connections, so this forwarding layer exists only during dials.
/// Owned by the pool (a QObject child); it deletes itself once its exchange is over.
class AlpnUpstreamChannel final : public QObject, public UpstreamChannel, public UpstreamListener
{
public:
    /// A channel for `listener` whose HTTP/2 stream is opened on `pool`'s connection to `key`.
    static AlpnUpstreamChannel *open(
        UpstreamPool &pool, const UpstreamKey &key, UpstreamListener *listener);
    /// The server did not select h2: the exchange continues on a new HTTP/1.1 connection.
    void onHttp1Negotiated();

    // UpstreamChannel: forwarded to the stream or HTTP/1.1 connection in use.
    bool reused() const override { return m_inner && m_inner->reused(); }
    bool isConnected() const override { return m_inner && m_inner->isConnected(); }
    void sendRequestHead(const http::RequestHead &head, BodyInfo body) override;
    void sendRequestBody(QByteArrayView data) override;
    void finishRequest(const HeaderList &trailers) override;
    void flush() override;
    bool congested() override;
    void setReadEnabled(bool enabled) override;
    void abandon() override;

    // UpstreamListener: forwarded to the exchange.
    void onUpstreamConnected() override;
    void onUpstreamResponseHead(http::ResponseHead &head, BodyInfo body) override;
    void onUpstreamResponseBody(QByteArrayView data) override;
    void onUpstreamResponseComplete(const HeaderList &trailers) override;
    void onUpstreamFailed(UpstreamError error, bool gotResponseBytes) override;
    void onUpstreamDrained() override;
    void onUpstreamBatchEnd() override;

private:
    AlpnUpstreamChannel(UpstreamPool &pool, UpstreamKey key, UpstreamListener *listener);
    /// The exchange is over: nothing is forwarded any more.
    void finish();

    UpstreamPool &m_pool;
    UpstreamKey m_key;
    UpstreamListener *m_listener;
    UpstreamChannel *m_inner = nullptr;
};

} // namespace portico::proxy
