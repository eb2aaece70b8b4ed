#pragma once

#include "core/http/message.h"
#include "core/observe/exchange_record.h"

#include <QByteArrayView>

#include <memory>

namespace portico::observe {

class CaptureHub;
struct CaptureSettings;
class SseParser;
class WebSocketParser;

/// What the client connection tells the capture about itself (Downstream::connectionFacts).
struct ConnectionFacts
{
    Protocol protocol = Protocol::Http1; ///< h1 or h2 (ws/sse/grpc are decided per exchange)
    QByteArray tlsVersion; ///< `1.3`, empty without TLS
    QByteArray tlsCipher;
    qint64 tlsHandshakeUs = -1; ///< set for the connection's first exchange only
    quint16 clientPort = 0; ///< the peer's TCP port
};

/// The data plane's side of the capture: one per Exchange, inactive (every call a no-op) unless
/// a CaptureHub exists. It fills one ExchangeRecord at the pipeline's points and publishes it
/// when the exchange ends (and early, as InProgress, for WebSocket and SSE streams). Bodies and
/// messages are kept only when the hub captures the exchange's router; sizes always.
/// Engine thread only; the record is the one allocation per exchange.
class CaptureTap
{
public:
    CaptureTap();
    /// Publishes the record as Aborted if the exchange never finished.
    ~CaptureTap();
    CaptureTap(const CaptureTap &) = delete;
    CaptureTap &operator=(const CaptureTap &) = delete;

    bool active() const { return m_record != nullptr; }

    /// The request head as received (before anything rewrites it); starts the clock.
    void begin(CaptureHub &hub, const ConnectionFacts &connection, const QString &entryPoint,
        bool tls, const QByteArray &peer, const http::RequestHead &request);
    /// The canonical host after target and forwarded-header processing.
    void host(const QByteArray &canonicalHost)
    {
        if (m_record)
            m_record->host = canonicalHost;
    }
    /// The router that matched; decides whether bodies and messages are kept.
    void routed(const QString &router, const QString &service, const QStringList &middlewares);
    /// A middleware of the chain answered: only the first `count` ran.
    void middlewaresRan(int count);
    /// The load balancer's choice: the end of routing.
    void serverChosen(const QString &url);
    /// The head as sent to the server (after middlewares and hop-by-hop removal).
    void forwarded(const http::RequestHead &request);
    /// An upstream connection was taken from the pool (`reused`: already connected).
    void upstreamConnecting(bool reused, bool retry);
    /// The connection is up and the request head is being sent.
    void upstreamConnected();
    /// The server's final (or 101) response head as it arrived.
    void originHead(const http::ResponseHead &head);
    /// The response head as the client gets it; a 101 or SSE/gRPC stream is published as
    /// InProgress so live views see it.
    void responseSent(const http::ResponseHead &head);
    void requestBody(QByteArrayView data)
    {
        if (m_record)
            onBody(data, true);
    }
    void responseBody(QByteArrayView data)
    {
        if (m_record)
            onBody(data, false);
    }
    /// The server's response is complete (for originDurationUs).
    void originComplete();
    /// Why the exchange failed or was answered locally (lower case); the first reason stays.
    void fail(const QString &error);
    /// The exchange ended: publishes the final record; the tap is inactive afterwards.
    void finish(RecordState state);

private:
    qint64 elapsedUs() const;
    void onBody(QByteArrayView data, bool request);
    void appendBody(CapturedBody &body, QByteArrayView data) const;
    void addMessage(bool toClient, int opcode, QByteArray data, bool truncated);
    void publishProgress(bool force);

    CaptureHub *m_hub = nullptr;
    std::shared_ptr<ExchangeRecord> m_record;
    const CaptureSettings *m_settings = nullptr; ///< valid as long as the hub (currentSettings)
    qint64 m_startSteadyUs = 0;
    qint64 m_connectStartUs = 0;
    qint64 m_sentUs = -1; ///< when the request head went to the server
    qint64 m_lastProgressUs = 0;
    bool m_captureBodies = false;
    bool m_tunnel = false;
    std::unique_ptr<WebSocketParser> m_wsFromClient; ///< only for WebSocket tunnels
    std::unique_ptr<WebSocketParser> m_wsToClient;
    std::unique_ptr<SseParser> m_sse; ///< only for text/event-stream responses
};

} // namespace portico::observe
