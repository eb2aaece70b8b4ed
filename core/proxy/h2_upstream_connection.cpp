#include "core/proxy/h2_upstream_connection.h"

#include "core/common/log.h"
#include "core/proxy/clock.h"
#include "core/proxy/h2_upstream_alpn.h"
#include "core/proxy/h2_upstream_stream.h"
#include "core/proxy/tls_client.h"
#include "core/proxy/upstream_pool.h"

#include <QTimer>

#include <algorithm>
#include <nghttp2/nghttp2.h>

namespace portico::proxy {

bool H2UpstreamConnection::hasCapacity() const
{
    if (m_state == State::Draining || m_state == State::Closed)
        return false;
    const uint32_t limit
        = nghttp2_session_get_remote_settings(m_session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS);
    return m_streams.size() < std::min<size_t>(limit, 1000);
}

void H2UpstreamConnection::dial()
{
    m_since = nowMs();
    if (!m_dialer.resolve(m_pool, m_key, this, [this] { dialNext(); }))
        return;
    // Failures are reported from the event loop: the pool is still handing out the stream.
    QTimer::singleShot(0, this, [this] { dialNext(); });
}

void H2UpstreamConnection::dialNext()
{
    if (!m_dialer.connectNext(m_key.port, m_stream, this, this)) {
        qCDebug(lcProxy) << "cannot connect to" << m_key.host << m_key.port << ":"
                         << net::errorString(m_dialer.lastError());
        fail(m_dialer.lastError() == -1 ? UpstreamError::TlsFailed : UpstreamError::ConnectFailed);
        return;
    }
    if (m_key.scheme == "https") {
        // ALPN lets the server choose (RFC 9113 §3.2); http/1.1 sends these streams elsewhere.
        QHostAddress ip;
        const bool isIp = ip.setAddress(m_key.host);
        const config::ServersTransportSpec &transport = m_key.transportOr(m_pool.transport());
        m_stream->startTlsClient(m_key.host.toUtf8(), !isIp, verifiesPeer(transport));
        prepareUpstreamTls(m_stream->tlsSession(), transport, AlpnOffer::H2OrHttp1);
    }
    m_state = State::Connecting;
}

void H2UpstreamConnection::onStreamConnected(Stream &)
{
    m_pool.rememberAddress(m_key, m_dialer.dialing());
    if (m_key.scheme == "https") {
        const bool h2 = negotiatedH2(m_stream->tlsSession());
        m_pool.rememberTlsProtocol(
            m_key, h2 ? UpstreamPool::TlsProtocol::Http2 : UpstreamPool::TlsProtocol::Http1);
        if (!h2) {
            fallBackToHttp1();
            return;
        }
    }
    m_state = State::Ready;
    startSession();
    std::vector<H2UpstreamStream *> waiting;
    for (const auto &s : m_streams)
        waiting.push_back(s.get());
    for (H2UpstreamStream *s : waiting) {
        if (std::any_of(
                m_streams.begin(), m_streams.end(), [s](const auto &p) { return p.get() == s; }))
            s->onConnectionReady();
    }
    sendFrames();
    if (m_streams.empty())
        m_since = nowMs();
}

H2UpstreamStream *H2UpstreamConnection::open(UpstreamListener *listener)
{
    auto stream = std::make_unique<H2UpstreamStream>(this, listener, m_opened > 0);
    ++m_opened;
    m_streams.push_back(std::move(stream));
    return m_streams.back().get();
}

void H2UpstreamConnection::adopt(std::unique_ptr<H2UpstreamStream> stream)
{
    stream->moveTo(this);
    ++m_opened;
    m_streams.push_back(std::move(stream));
    if (isConnected()) {
        m_streams.back()->onConnectionReady();
        flush();
    }
}

std::unique_ptr<H2UpstreamStream> H2UpstreamConnection::take(H2UpstreamStream &stream)
{
    auto it = std::find_if(
        m_streams.begin(), m_streams.end(), [&](const auto &p) { return p.get() == &stream; });
    if (it == m_streams.end())
        return nullptr;
    std::unique_ptr<H2UpstreamStream> owned = std::move(*it);
    m_streams.erase(it);
    if (m_streams.empty())
        m_since = nowMs();
    return owned;
}

void H2UpstreamConnection::release(H2UpstreamStream &stream)
{
    std::unique_ptr<H2UpstreamStream> owned = take(stream);
    if (!owned)
        return;
    // nghttp2 or the exchange may still be on the call stack with this stream.
    m_released.push_back(std::move(owned));
    if (!m_cleanupQueued) {
        m_cleanupQueued = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_cleanupQueued = false;
                m_released.clear();
                maybeFinish();
            },
            Qt::QueuedConnection);
    }
}

void H2UpstreamConnection::resend(H2UpstreamStream &stream)
{
    std::unique_ptr<H2UpstreamStream> owned = take(stream);
    if (owned)
        m_pool.resendH2(std::move(owned));
}

void H2UpstreamConnection::flush()
{
    sendFrames();
}

void H2UpstreamConnection::sendFrames()
{
    if (m_receiving > 0 || m_sending) {
        m_sendWanted = true;
        return;
    }
    if (!isConnected())
        return;
    m_sending = true;
    do {
        m_sendWanted = false;
        const int rv = nghttp2_session_send(m_session);
        if (rv != 0) {
            qCDebug(lcProxy) << "h2 upstream send failed:" << nghttp2_strerror(rv);
            m_sending = false;
            fail(UpstreamError::Closed);
            return;
        }
        m_stream->flush();
        std::vector<H2UpstreamStream *> drained;
        for (const auto &s : m_streams) {
            if (s->listener() && s->takeDrained())
                drained.push_back(s.get());
        }
        for (H2UpstreamStream *s : drained) {
            if (s->listener())
                s->listener()->onUpstreamDrained();
        }
    } while (m_sendWanted && isConnected());
    m_sending = false;
}

void H2UpstreamConnection::onStreamInput(Stream &stream)
{
    ByteBuffer &in = stream.input();
    ++m_receiving;
    const ssize_t rv = nghttp2_session_mem_recv(
        m_session, reinterpret_cast<const uint8_t *>(in.data()), in.size());
    --m_receiving;
    in.consume(in.size());
    std::vector<H2UpstreamStream *> touched;
    touched.swap(m_touched);
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    if (rv < 0) {
        qCDebug(lcProxy) << "h2 upstream" << m_key.host
                         << "protocol error:" << nghttp2_strerror(int(rv));
        fail(UpstreamError::Malformed);
        return;
    }
    // Touched streams are alive: released ones are deleted from the event loop only.
    for (H2UpstreamStream *s : touched) {
        if (s->listener())
            s->listener()->onUpstreamBatchEnd();
    }
    sendFrames();
    maybeFinish();
}

void H2UpstreamConnection::onStreamEof(Stream &)
{
    fail(UpstreamError::Closed);
}

void H2UpstreamConnection::onStreamError(Stream &stream, int error)
{
    m_dialer.setLastError(error);
    if (m_state == State::Connecting && error == -1) {
        logUpstreamTlsFailure(
            m_key.host, m_key.port, stream.tlsError(), m_key.transportOr(m_pool.transport()));
        fail(UpstreamError::TlsFailed);
        return;
    }
    if (m_state == State::Connecting) {
        dialNext();
        return;
    }
    fail(UpstreamError::Closed);
}

void H2UpstreamConnection::onStreamDrained(Stream &)
{
    sendFrames();
}

void H2UpstreamConnection::maybeFinish()
{
    if (m_state == State::Closed)
        return;
    const bool done = m_state == State::Draining && m_streams.empty();
    if (done
        || (isConnected() && !nghttp2_session_want_read(m_session)
            && !nghttp2_session_want_write(m_session)))
        fail(UpstreamError::Closed);
}

void H2UpstreamConnection::fail(UpstreamError error)
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    // Every stream hears the failure; they are deleted with the connection.
    std::vector<std::unique_ptr<H2UpstreamStream>> streams;
    streams.swap(m_streams);
    for (auto &s : streams) {
        H2UpstreamStream *raw = s.get();
        m_released.push_back(std::move(s));
        raw->fail(error);
    }
    retire();
}

void H2UpstreamConnection::retire()
{
    m_state = State::Closed;
    if (m_stream)
        m_stream->close();
    m_pool.retireH2(this);
}

void H2UpstreamConnection::close()
{
    if (m_state == State::Closed)
        return;
    if (isConnected()) {
        // A polite GOAWAY first (RFC 9113 §6.8); whatever fits goes out before the close.
        nghttp2_session_terminate_session(m_session, NGHTTP2_NO_ERROR);
        nghttp2_session_send(m_session);
        m_stream->flush();
    }
    fail(UpstreamError::Closed);
}

void H2UpstreamConnection::checkTimeouts(qint64 nowMs)
{
    const config::ServersTransportSpec &t = m_key.transportOr(m_pool.transport());
    const qint64 age = nowMs - m_since;
    if (m_state == State::Resolving || m_state == State::Connecting) {
        if (t.dialTimeout.count() > 0 && age > t.dialTimeout.count())
            fail(UpstreamError::ConnectTimeout);
        return;
    }
    if (m_state == State::Ready && m_streams.empty() && t.idleConnTimeout.count() > 0
        && age > t.idleConnTimeout.count()) {
        close();
        return;
    }
    if (t.responseHeaderTimeout.count() <= 0)
        return;
    std::vector<H2UpstreamStream *> late;
    for (const auto &s : m_streams) {
        if (s->id() > 0 && s->awaitingHead()
            && nowMs - s->since() > t.responseHeaderTimeout.count())
            late.push_back(s.get());
    }
    for (H2UpstreamStream *s : late) {
        s->fail(UpstreamError::HeaderTimeout);
        s->abandon();
    }
    if (!late.empty())
        flush();
}

void H2UpstreamConnection::fallBackToHttp1()
{
    // The server chose HTTP/1.1 (remembered by the caller): streams that came through an ALPN
    // channel (all of them, as the pool hands out plain streams of connected connections only)
    // move to HTTP/1.1 connections; anything else fails. This connection closes.
    std::vector<std::unique_ptr<H2UpstreamStream>> streams;
    streams.swap(m_streams);
    for (auto &s : streams) {
        H2UpstreamStream *raw = s.get();
        AlpnUpstreamChannel *alpn = raw->alpnChannel();
        m_released.push_back(std::move(s));
        if (alpn) {
            raw->detach();
            alpn->onHttp1Negotiated();
        } else {
            raw->fail(UpstreamError::ConnectFailed);
        }
    }
    fail(UpstreamError::Closed);
}

} // namespace portico::proxy
