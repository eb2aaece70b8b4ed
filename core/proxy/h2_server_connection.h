#pragma once

#include "core/http/h2_session.h"
#include "core/observe/capture_tap.h"
#include "core/proxy/entry_point.h"
#include "core/proxy/stream.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace portico::proxy {

class Engine;
class H2Downstream;

/// One client connection speaking HTTP/2 (h2c with prior knowledge, h2c after `Upgrade: h2c`, or
/// h2 after TLS ALPN): every stream runs its own Exchange through the same routing, middlewares
/// and upstream pool as HTTP/1.1. It drives the Stream its owner created (the owner keeps the
/// socket and the engine's bookkeeping) and tells the owner through `closed` when it is done.
class H2ServerConnection final : public QObject,
                                 public StreamHandler,
                                 public http::H2StreamFactory,
                                 public http::H2Output
{
public:
    H2ServerConnection(Engine &engine, Stream &stream, QHostAddress peer, QByteArray peerText,
        EntryPointContextPtr entryPoint, std::function<void()> closed);
    ~H2ServerConnection() override;

    /// A connection whose input begins with the client preface, or nullptr.
    static std::unique_ptr<H2ServerConnection> fromPreface(Engine &engine, Stream &stream,
        const QHostAddress &peer, const QByteArray &peerText,
        const EntryPointContextPtr &entryPoint, std::function<void()> closed);
    /// For an HTTP/1.1 request head offering `Upgrade: h2c` on a cleartext entry point without a
    /// request body: a connection that answers 101 and serves that request as stream 1. Otherwise
    /// nullptr, and an h2c offer is removed from the request so it stays on HTTP/1.1.
    static std::unique_ptr<H2ServerConnection> fromUpgrade(Engine &engine, Stream &stream,
        const QHostAddress &peer, const QByteArray &peerText,
        const EntryPointContextPtr &entryPoint, http::RequestHead &request, bool hasBody,
        std::function<void()> closed);

    /// Takes over the stream (idempotent): sends the server preface (after the 101 for an
    /// upgrade) and handles the bytes already received.
    void start();
    /// True when no stream is open.
    bool isIdle() const;
    /// Graceful stop: GOAWAY; open streams finish, then the connection closes.
    void beginShutdown();
    /// Closes at once, abandoning every exchange.
    void forceClose();
    /// idleTimeout without open streams; readTimeout for a request head that never completes.
    void checkTimeouts(qint64 nowMs);

    // For the streams.
    Engine &engine() { return m_engine; }
    const EntryPointContext &entryPoint() const { return *m_entryPoint; }
    const QHostAddress &peer() const { return m_peer; }
    const QByteArray &peerText() const { return m_peerText; }
    http::H2ServerSession &session() { return *m_session; }
    /// Frames were queued: they are sent from the event loop (never inside an Exchange call).
    void scheduleSend();
    /// A stream wants onDownstreamDrained once its bytes (and the socket's) went out.
    void watchDrain(H2Downstream *stream);
    /// A stream read request body in this batch: its exchange hears onRequestBatchEnd.
    void touched(H2Downstream *stream);
    /// A closed stream; deleted at the next safe point.
    void retire(H2Downstream *stream);
    bool outputCongested() const;
    /// TLS facts for the capture (from the connection that did the handshake).
    void setConnectionFacts(const observe::ConnectionFacts &facts)
    {
        m_facts = facts;
        m_facts.protocol = observe::Protocol::Http2;
    }
    /// The facts for one stream's exchange; the handshake time goes to the first one only.
    observe::ConnectionFacts takeConnectionFacts()
    {
        observe::ConnectionFacts facts = m_facts;
        m_facts.tlsHandshakeUs = -1;
        return facts;
    }

    // StreamHandler
    void onStreamInput(Stream &stream) override;
    void onStreamEof(Stream &stream) override;
    void onStreamError(Stream &stream, int error) override;
    void onStreamDrained(Stream &stream) override;
    void onStreamClosed(Stream &stream) override;

    // H2StreamFactory
    http::H2ServerStream *createStream(int32_t id) override;
    void onProtocolError(QByteArrayView message) override;

    // H2Output
    bool outputFull() const override;
    void write(QByteArrayView bytes) override;

private:
    struct Upgrade
    {
        QByteArray settings;
        http::RequestHead request;
    };

    void processInput();
    void sendPending();
    /// Runs the session and flushes until it has nothing to send or the socket is full.
    bool sendAndFlush();
    void endBatch();
    void notifyDrained();
    void deleteRetired();
    void checkFinished();
    void closeGracefully();
    void closeNow();

    Engine &m_engine;
    Stream &m_stream;
    QHostAddress m_peer;
    QByteArray m_peerText;
    EntryPointContextPtr m_entryPoint;
    std::function<void()> m_closed;
    std::unique_ptr<http::H2ServerSession> m_session;
    std::optional<Upgrade> m_upgrade;
    std::vector<std::unique_ptr<H2Downstream>> m_streams;
    std::vector<std::unique_ptr<H2Downstream>> m_retired;
    std::vector<H2Downstream *> m_drainWatch;
    std::vector<H2Downstream *> m_touched;
    qint64 m_idleSince = 0;
    observe::ConnectionFacts m_facts { observe::Protocol::Http2, {}, {}, -1 };
    bool m_started = false;
    bool m_inSession = false;
    bool m_sendScheduled = false;
    bool m_errorLogged = false;
    bool m_closing = false;
};

} // namespace portico::proxy
