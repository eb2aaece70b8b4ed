#pragma once

#include "core/http/h1_parser.h"
#include "core/proxy/entry_point.h"
#include "core/proxy/exchange_io.h"
#include "core/proxy/stream.h"

#include <QHostAddress>
#include <QObject>

#include <memory>

namespace portico::proxy {

class Engine;
class Exchange;
class H2ServerConnection;
class TcpEntry;
class TlsServerHandshake;

/// One accepted HTTP/1.1 client connection: parses requests one at a time (pipelined requests
/// wait in the input buffer and are answered strictly in order), runs an Exchange for each, and
/// writes responses with the framing the client understands. Lives on its engine's thread.
class H1ServerConnection final : public QObject, public StreamHandler, public Downstream
{
public:
    /// `peerPort` is the client's TCP port (for the inspector and the access log).
    H1ServerConnection(Engine &engine, net::Handle socket, QHostAddress peer,
        EntryPointContextPtr entryPoint, quint16 peerPort = 0);
    ~H1ServerConnection() override;

    /// True when no request is in progress (a keep-alive connection waiting for the next one).
    bool isIdle() const;
    /// Graceful stop: an idle connection closes now, a busy one after its current response.
    void beginShutdown();
    /// Closes at once, abandoning any exchange.
    void forceClose();
    /// readTimeout (408 for a request head that arrives too slowly) and idleTimeout.
    void checkTimeouts(qint64 nowMs);
    /// The entry point the connection was accepted on.
    const QString &entryPointName() const { return m_entryPoint->name; }

    // StreamHandler
    void onStreamInput(Stream &stream) override;
    void onStreamEof(Stream &stream) override;
    void onStreamError(Stream &stream, int error) override;
    void onStreamDrained(Stream &stream) override;
    void onStreamClosed(Stream &stream) override;
    void onStreamConnected(Stream &stream) override;

    // Downstream
    void sendInterimResponse(const http::ResponseHead &head) override;
    void sendResponseHead(http::ResponseHead &head, BodyInfo body) override;
    void sendResponseBody(QByteArrayView data) override;
    void finishResponse(const HeaderList &trailers) override;
    void abortResponse() override;
    void flushResponse() override;
    bool responseCongested() override;
    void pauseRequestBody(bool paused) override;
    void startTunnel() override;
    observe::ConnectionFacts connectionFacts() override;

private:
    enum class WriteMode { None, Raw, Chunked };

    bool sniffTls();
    void onTlsEstablished(const QByteArray &protocol);
    void processInput();
    void scheduleProcessing();
    void dropRetired();
    void onHead();
    void onMessageComplete();
    void onParseError();
    void maybeFinishExchange();
    void finishExchange();
    void answerErrorAndClose(int status);
    void close();
    void updateReading();

    Engine &m_engine;
    Stream m_stream;
    QHostAddress m_peer;
    QByteArray m_peerText; ///< http::clientIpString(m_peer), once per connection
    EntryPointContextPtr m_entryPoint;
    http::H1Parser m_parser;
    std::unique_ptr<Exchange> m_exchange;
    std::unique_ptr<Exchange> m_retired; ///< finished, deleted at the next safe point
    WriteMode m_writeMode = WriteMode::None;
    qint64 m_headSince = 0;
    qint64 m_idleSince = 0;
    bool m_processing = false;
    bool m_scheduled = false;
    bool m_messageDone = false;
    bool m_responseStarted = false;
    bool m_responseDone = false;
    bool m_requestHasBody = false;
    bool m_requestKeepAlive = true;
    bool m_requestIsHead = false;
    bool m_requestIsHttp10 = false;
    bool m_closeAfterResponse = false;
    bool m_bodyPaused = false;
    bool m_tunnel = false;
    bool m_closing = false;
    bool m_sniffed = false; ///< the first bytes were checked for a TLS ClientHello
    std::unique_ptr<TlsServerHandshake> m_tls; ///< set once the client started TLS
    observe::ConnectionFacts m_facts; ///< for the capture: TLS facts once established
    qint64 m_tlsStartUs = 0;
    std::unique_ptr<H2ServerConnection> m_h2; ///< set once the connection speaks HTTP/2 (h2c)
    std::unique_ptr<TcpEntry> m_tcp; ///< TCP routers decide first (tcp_entry.h); last: dies first
};

} // namespace portico::proxy
