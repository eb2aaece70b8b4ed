#pragma once

#include "core/config/dynamic_spec.h"
#include "core/http/h1_parser.h"
#include "core/proxy/exchange_io.h"
#include "core/proxy/stream.h"
#include "core/proxy/upstream_channel.h"
#include "core/proxy/upstream_dialer.h"

#include <QHostAddress>
#include <QObject>

#include <memory>
#include <vector>

namespace portico::proxy {

class UpstreamPool;

/// Where an upstream connection goes; the pool reuses connections with equal keys.
struct UpstreamKey
{
    QByteArray scheme; ///< `http`, `https` or `h2c`
    QString host;
    quint16 port = 0;
    /// The service's serversTransport; null = the pool's (static) one. Connections made through
    /// different transports (SNI, trust, client certificate, timeouts) are never shared.
    std::shared_ptr<const config::ServersTransportSpec> transport;

    /// The transport connections to this key use: its own, else `fallback` (the static one).
    const config::ServersTransportSpec &transportOr(
        const config::ServersTransportSpec &fallback) const
    {
        return transport ? *transport : fallback;
    }
    friend bool operator==(const UpstreamKey &a, const UpstreamKey &b)
    {
        // Equal settings count as the same transport: a reload that rebuilt it keeps the pool.
        return a.port == b.port && a.host == b.host && a.scheme == b.scheme
            && (a.transport == b.transport
                || (a.transport && b.transport && *a.transport == *b.transport));
    }
};

/// One HTTP/1.1 client connection toward an upstream server, owned by its engine's UpstreamPool
/// for its whole life. Serves one exchange at a time; between exchanges it waits in the pool.
class UpstreamConnection final : public QObject, public StreamHandler, public UpstreamChannel
{
public:
    enum class State { Resolving, Connecting, Idle, Active, Tunnel, Closed };

    UpstreamConnection(UpstreamPool &pool, UpstreamKey key, bool verifyTls);
    ~UpstreamConnection() override;

    const UpstreamKey &key() const { return m_key; }
    State state() const { return m_state; }
    /// True when the connection already served an exchange (it may have gone stale meanwhile).
    bool reused() const override { return m_served > 0; }
    /// Connected (and TLS done): requests can be sent now. Otherwise the listener hears
    /// onUpstreamConnected first.
    bool isConnected() const override
    {
        return m_state == State::Idle || m_state == State::Active || m_state == State::Tunnel;
    }

    /// Starts dialling: `localhost` tries 127.0.0.1 and ::1, names are resolved, IPs used as is.
    void dial();
    /// Hands the connection to an exchange (from the pool or right after dial()).
    void attach(UpstreamListener *listener);
    /// Called by the pool when it parks the connection.
    void markIdle();
    /// Serialises the request head as HTTP/1.1 (RFC 9112 §3) and queues it; its method tells
    /// how the response is framed.
    void sendRequestHead(const http::RequestHead &head, BodyInfo body) override;
    /// Request body bytes (chunk-framed when the request is chunked; raw in a tunnel, which the
    /// connection enters by itself after relaying a 101 head).
    void sendRequestBody(QByteArrayView data) override;
    void finishRequest(const HeaderList &trailers) override;
    void flush() override { m_stream->flush(); }
    bool congested() override { return m_stream->congested(); }
    /// Response back-pressure: stop reading while the downstream is congested.
    void setReadEnabled(bool enabled) override;
    /// The exchange gives the connection up mid-request (client gone): it is closed.
    void abandon() override;
    /// Timeouts (dial, response header, idle); `nowMs` from the engine's monotonic clock.
    void checkTimeouts(qint64 nowMs);

    // StreamHandler
    void onStreamInput(Stream &stream) override;
    void onStreamEof(Stream &stream) override;
    void onStreamError(Stream &stream, int error) override;
    void onStreamDrained(Stream &stream) override;
    void onStreamConnected(Stream &stream) override;

private:
    void dialNext();
    void fail(UpstreamError error);
    void completeResponse();
    void retire();
    void handleEvent(http::H1Parser::Event event);

    UpstreamPool &m_pool;
    UpstreamKey m_key;
    bool m_verifyTls;
    State m_state = State::Resolving;
    std::unique_ptr<Stream> m_stream;
    UpstreamDialer m_dialer;
    UpstreamListener *m_listener = nullptr;
    http::H1Parser m_parser { http::H1Parser::Mode::Response };
    BodyInfo m_requestBody;
    bool m_requestComplete = false;
    bool m_awaitingHead = false;
    bool m_gotBytes = false;
    int m_served = 0;
    qint64 m_since = 0; ///< dial start, request sent, or idle start (ms)
};

} // namespace portico::proxy
