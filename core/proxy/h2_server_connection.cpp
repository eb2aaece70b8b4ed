#include "core/proxy/h2_server_connection.h"

#include "core/common/log.h"
#include "core/http/h2_headers.h"
#include "core/proxy/clock.h"
#include "core/proxy/engine.h"
#include "core/proxy/h2_downstream.h"

#include <algorithm>
#include <nghttp2/nghttp2.h>

namespace portico::proxy {

namespace {

http::H2Settings settingsFor(const EntryPointContext &entryPoint)
{
    http::H2Settings settings;
    settings.maxHeaderListSize
        = uint32_t(std::clamp<qint64>(entryPoint.limits.maxHeaderBytes, 4096, INT32_MAX));
    return settings;
}

template <typename T> void eraseValue(std::vector<T *> &v, T *value)
{
    v.erase(std::remove(v.begin(), v.end(), value), v.end());
}

} // namespace

H2ServerConnection::H2ServerConnection(Engine &engine, Stream &stream, QHostAddress peer,
    QByteArray peerText, EntryPointContextPtr entryPoint, std::function<void()> closed)
    : m_engine(engine)
    , m_stream(stream)
    , m_peer(std::move(peer))
    , m_peerText(std::move(peerText))
    , m_entryPoint(std::move(entryPoint))
    , m_closed(std::move(closed))
    , m_session(std::make_unique<http::H2ServerSession>(*this, *this, settingsFor(*m_entryPoint)))
    , m_idleSince(nowMs())
{ }

H2ServerConnection::~H2ServerConnection()
{
    for (auto &s : m_streams)
        s->abandon();
}

std::unique_ptr<H2ServerConnection> H2ServerConnection::fromPreface(Engine &engine, Stream &stream,
    const QHostAddress &peer, const QByteArray &peerText, const EntryPointContextPtr &entryPoint,
    std::function<void()> closed)
{
    if (!http::h2::startsWithClientPreface(stream.input().view()))
        return nullptr;
    return std::make_unique<H2ServerConnection>(
        engine, stream, peer, peerText, entryPoint, std::move(closed));
}

std::unique_ptr<H2ServerConnection> H2ServerConnection::fromUpgrade(Engine &engine, Stream &stream,
    const QHostAddress &peer, const QByteArray &peerText, const EntryPointContextPtr &entryPoint,
    http::RequestHead &request, bool hasBody, std::function<void()> closed)
{
    if (!http::h2::asksForH2c(request.headers))
        return nullptr;
    // RFC 7540 §3.2: h2c only in cleartext; a request body would have to be read first, so
    // such requests simply stay on HTTP/1.1 (the upgrade is optional for the server).
    auto settings
        = entryPoint->tls || hasBody ? std::nullopt : http::h2::h2cUpgradeSettings(request.headers);
    if (!settings) {
        http::h2::removeH2cUpgrade(request.headers);
        return nullptr;
    }
    auto c = std::make_unique<H2ServerConnection>(
        engine, stream, peer, peerText, entryPoint, std::move(closed));
    c->m_upgrade = Upgrade { std::move(*settings), std::move(request) };
    return c;
}

void H2ServerConnection::start()
{
    if (m_started)
        return;
    m_started = true;
    m_stream.setHandler(this);
    m_stream.setReadEnabled(true);
    bool ok = true;
    if (m_upgrade) {
        m_stream.send(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
        m_streams.push_back(std::make_unique<H2Downstream>(*this, 1));
        H2Downstream *first = m_streams.back().get();
        ok = m_session->startUpgraded(
            m_upgrade->settings, m_upgrade->request.method == "HEAD", first);
        if (ok) {
            m_inSession = true;
            first->startUpgraded(std::move(m_upgrade->request));
            m_inSession = false;
        }
        m_upgrade.reset();
    } else {
        ok = m_session->start();
    }
    if (!ok) {
        closeNow();
        return;
    }
    processInput();
}

void H2ServerConnection::processInput()
{
    ByteBuffer &in = m_stream.input();
    if (!in.isEmpty() && !m_closing) {
        m_inSession = true;
        const bool ok = m_session->receive(in.view());
        in.consume(in.size());
        m_inSession = false;
        endBatch();
        if (!ok) {
            sendPending();
            closeGracefully();
            return;
        }
    }
    sendPending();
}

void H2ServerConnection::endBatch()
{
    std::vector<H2Downstream *> touched;
    touched.swap(m_touched);
    for (H2Downstream *s : touched) {
        s->m_inBatch = false;
        s->endBatch();
    }
}

void H2ServerConnection::sendPending()
{
    if (m_closing)
        return;
    m_sendScheduled = false;
    const bool ok = sendAndFlush();
    if (!m_stream.isOpen())
        return; // a write error is reported from the event loop
    m_stream.congested(); // arms onStreamDrained while above the high-water mark
    notifyDrained();
    if (!ok) {
        closeGracefully();
        return;
    }
    checkFinished();
    if (m_sendScheduled) {
        m_sendScheduled = false;
        scheduleSend();
    }
}

bool H2ServerConnection::sendAndFlush()
{
    // The session stops at the output's high-water mark; a flush that empties the buffer at once
    // arms no drain callback, so the session is run again right here while it has more to say.
    // A bounded number of rounds keeps one busy connection from starving the engine's others.
    constexpr int kMaxRounds = 8;
    bool ok = true;
    for (int round = 0; ok && m_stream.isOpen(); ++round) {
        m_inSession = true;
        ok = m_session->send();
        m_inSession = false;
        m_stream.flush();
        if (!m_session->stoppedOnFullOutput() || outputFull())
            break;
        if (round + 1 == kMaxRounds) {
            m_sendScheduled = true; // sendPending() posts the rest to the event loop
            break;
        }
    }
    return ok;
}

void H2ServerConnection::scheduleSend()
{
    if (m_sendScheduled || m_closing)
        return;
    m_sendScheduled = true;
    if (m_inSession)
        return; // sendPending() follows when the session call returns
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (!m_sendScheduled)
                return;
            deleteRetired();
            sendPending();
        },
        Qt::QueuedConnection);
}

void H2ServerConnection::notifyDrained()
{
    if (m_drainWatch.empty() || outputCongested())
        return;
    std::vector<H2Downstream *> ready;
    for (H2Downstream *s : m_drainWatch) {
        if (s->drained())
            ready.push_back(s);
    }
    for (H2Downstream *s : ready) {
        s->m_drainWanted = false;
        eraseValue(m_drainWatch, s);
        s->notifyDrained();
    }
}

void H2ServerConnection::watchDrain(H2Downstream *stream)
{
    if (stream->m_drainWanted)
        return;
    stream->m_drainWanted = true;
    m_drainWatch.push_back(stream);
}

void H2ServerConnection::touched(H2Downstream *stream)
{
    if (stream->m_inBatch)
        return;
    stream->m_inBatch = true;
    m_touched.push_back(stream);
}

void H2ServerConnection::retire(H2Downstream *stream)
{
    auto it = std::find_if(m_streams.begin(), m_streams.end(),
        [&](const std::unique_ptr<H2Downstream> &s) { return s.get() == stream; });
    if (it == m_streams.end())
        return;
    m_retired.push_back(std::move(*it));
    m_streams.erase(it);
    if (stream->m_drainWanted)
        eraseValue(m_drainWatch, stream);
    if (m_streams.empty())
        m_idleSince = nowMs();
}

void H2ServerConnection::deleteRetired()
{
    // Only at the top of an event-loop callback: no exchange is on the stack, none is touched.
    if (m_touched.empty())
        m_retired.clear();
}

void H2ServerConnection::checkFinished()
{
    if (!m_session->alive() || (m_engine.shuttingDown() && m_streams.empty()))
        closeGracefully();
}

bool H2ServerConnection::outputCongested() const
{
    return m_stream.pendingOutput() > Stream::kHighWater;
}

bool H2ServerConnection::outputFull() const
{
    // The same threshold as Stream::congested(): at exactly the high-water mark the session would
    // stop writing while no drain callback is armed, and the connection would stall for good.
    return m_stream.pendingOutput() > Stream::kHighWater;
}

void H2ServerConnection::write(QByteArrayView bytes)
{
    m_stream.send(bytes);
}

http::H2ServerStream *H2ServerConnection::createStream(int32_t id)
{
    if (m_closing)
        return nullptr;
    m_streams.push_back(std::make_unique<H2Downstream>(*this, id));
    return m_streams.back().get();
}

void H2ServerConnection::onProtocolError(QByteArrayView message)
{
    if (m_errorLogged)
        return; // once per connection: a misbehaving client must not flood the log
    m_errorLogged = true;
    qCDebug(lcProxy) << "http/2 protocol error from" << m_peer << ":" << message;
}

// ---- StreamHandler ----

void H2ServerConnection::onStreamInput(Stream &)
{
    deleteRetired();
    processInput();
}

void H2ServerConnection::onStreamEof(Stream &)
{
    processInput(); // a GOAWAY may still be in the last bytes
    closeNow();
}

void H2ServerConnection::onStreamError(Stream &, int error)
{
    qCDebug(lcProxy) << "http/2 client connection" << m_peer
                     << "failed:" << net::errorString(error);
    closeNow();
}

void H2ServerConnection::onStreamDrained(Stream &)
{
    deleteRetired();
    sendPending();
}

void H2ServerConnection::onStreamClosed(Stream &)
{
    closeNow();
}

// ---- lifecycle ----

bool H2ServerConnection::isIdle() const
{
    return m_streams.empty();
}

void H2ServerConnection::beginShutdown()
{
    if (m_closing)
        return;
    // RFC 9113 §6.8: GOAWAY names the last stream taken; those still complete.
    if (m_streams.empty())
        m_session->terminate(NGHTTP2_NO_ERROR);
    else
        m_session->shutdown();
    if (m_started)
        sendPending();
    else
        closeNow();
}

void H2ServerConnection::forceClose()
{
    closeNow();
}

void H2ServerConnection::checkTimeouts(qint64 now)
{
    if (m_closing)
        return;
    deleteRetired();
    if (m_streams.empty()) {
        const qint64 idle = m_entryPoint->idleTimeoutMs;
        if (idle > 0 && now - m_idleSince > idle) {
            m_session->terminate(NGHTTP2_NO_ERROR);
            sendPending();
        } else {
            m_stream.trimBuffers();
        }
        return;
    }
    bool reset = false;
    for (auto &s : m_streams) {
        if (s->headOverdue(now, m_entryPoint->readTimeoutMs)) {
            m_session->resetStream(*s, NGHTTP2_CANCEL); // like H1's readTimeout, per stream
            reset = true;
        }
    }
    if (reset)
        sendPending();
}

void H2ServerConnection::closeGracefully()
{
    if (m_closing)
        return;
    m_closing = true;
    for (auto &s : m_streams)
        s->abandon();
    m_stream.closeAfterFlush();
}

void H2ServerConnection::closeNow()
{
    for (auto &s : m_streams)
        s->abandon();
    m_closing = true;
    m_stream.close();
    if (auto closed = std::exchange(m_closed, nullptr))
        closed();
}

} // namespace portico::proxy
