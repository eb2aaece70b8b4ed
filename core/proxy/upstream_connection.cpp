#include "core/proxy/upstream_connection.h"

#include "core/common/log.h"
#include "core/http/h1_writer.h"
#include "core/proxy/clock.h"
#include "core/proxy/tls_client.h"
#include "core/proxy/upstream_pool.h"

namespace portico::proxy {

UpstreamConnection::UpstreamConnection(UpstreamPool &pool, UpstreamKey key, bool verifyTls)
    : m_pool(pool)
    , m_key(std::move(key))
    , m_verifyTls(verifyTls)
{ }

UpstreamConnection::~UpstreamConnection() = default;

void UpstreamConnection::dial()
{
    m_since = nowMs();
    if (m_dialer.resolve(m_pool, m_key, this, [this] { dialNext(); }))
        dialNext();
}

void UpstreamConnection::dialNext()
{
    if (!m_dialer.connectNext(m_key.port, m_stream, this, this)) {
        qCDebug(lcProxy) << "cannot connect to" << m_key.host << m_key.port << ":"
                         << net::errorString(m_dialer.lastError());
        fail(m_dialer.lastError() == -1 ? UpstreamError::TlsFailed : UpstreamError::ConnectFailed);
        return;
    }
    if (m_key.scheme == "https") {
        QHostAddress ip;
        const bool isIp = ip.setAddress(m_key.host);
        m_stream->startTlsClient(m_key.host.toUtf8(), !isIp, m_verifyTls);
        prepareUpstreamTls(
            m_stream->tlsSession(), m_key.transportOr(m_pool.transport()), AlpnOffer::Http1);
    }
    m_state = State::Connecting;
}

void UpstreamConnection::onStreamConnected(Stream &)
{
    m_pool.rememberAddress(m_key, m_dialer.dialing());
    m_state = State::Active;
    if (m_listener)
        m_listener->onUpstreamConnected();
    else
        m_pool.recycle(this);
}

void UpstreamConnection::attach(UpstreamListener *listener)
{
    m_listener = listener;
    m_gotBytes = false;
    m_requestComplete = false;
    m_awaitingHead = false;
    if (m_state == State::Idle)
        m_state = State::Active;
    m_since = nowMs();
}

void UpstreamConnection::markIdle()
{
    m_state = State::Idle;
    m_listener = nullptr;
    m_since = nowMs();
    m_stream->setReadEnabled(true); // notices the server closing the idle connection
}

void UpstreamConnection::sendRequestHead(const http::RequestHead &head, BodyInfo body)
{
    m_parser.setRequestMethod(head.method);
    m_requestBody = body;
    m_awaitingHead = true;
    m_since = nowMs();
    ByteBuffer &out = m_stream->output(); // serialised in place, no intermediate copy
    char *start = out.reserve(size_t(http::h1::requestHeadSize(head)));
    out.commit(size_t(http::h1::writeRequestHead(start, head) - start));
}

void UpstreamConnection::sendRequestBody(QByteArrayView data)
{
    if (m_requestBody.framing == http::BodyFraming::Chunked && m_state != State::Tunnel) {
        char header[http::h1::kMaxChunkHeader];
        m_stream->send({ header, http::h1::writeChunkHeader(header, data.size()) });
        m_stream->send(data);
        m_stream->send("\r\n");
        return;
    }
    m_stream->send(data);
}

void UpstreamConnection::finishRequest(const HeaderList &trailers)
{
    m_requestComplete = true;
    if (m_requestBody.framing == http::BodyFraming::Chunked) {
        QByteArray last;
        http::h1::writeLastChunk(last, trailers);
        m_stream->send(last);
    }
}

void UpstreamConnection::setReadEnabled(bool enabled)
{
    if (m_stream)
        m_stream->setReadEnabled(enabled);
}

void UpstreamConnection::abandon()
{
    m_listener = nullptr;
    retire();
}

void UpstreamConnection::retire()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    if (m_stream)
        m_stream->close();
    m_pool.retire(this);
}

void UpstreamConnection::fail(UpstreamError error)
{
    UpstreamListener *listener = m_listener;
    m_listener = nullptr;
    const bool gotBytes = m_gotBytes;
    retire();
    if (listener)
        listener->onUpstreamFailed(error, gotBytes);
}

void UpstreamConnection::completeResponse()
{
    UpstreamListener *listener = m_listener;
    const HeaderList trailers = m_parser.trailers();
    ++m_served;
    m_listener = nullptr;
    const bool reusable = m_parser.keepAlive() && m_requestComplete && m_stream->input().isEmpty()
        && m_state == State::Active;
    if (reusable)
        m_pool.recycle(this);
    else
        retire();
    listener->onUpstreamResponseComplete(trailers);
}

void UpstreamConnection::handleEvent(http::H1Parser::Event event)
{
    using Event = http::H1Parser::Event;
    switch (event) {
    case Event::Head: {
        http::ResponseHead &head = m_parser.response();
        if (head.status >= 200 || head.status == 101)
            m_awaitingHead = false;
        m_listener->onUpstreamResponseHead(head, { m_parser.framing(), m_parser.contentLength() });
        break;
    }
    case Event::Body:
        m_listener->onUpstreamResponseBody(m_parser.body());
        break;
    case Event::MessageComplete:
        if (m_parser.upgrade()) {
            m_state = State::Tunnel; // the listener started its side at the 101 head
        } else if (!m_awaitingHead) {
            completeResponse();
        }
        break;
    case Event::Error:
        qCDebug(lcProxy) << "malformed response from" << m_key.host << m_parser.errorMessage();
        fail(UpstreamError::Malformed);
        break;
    case Event::NeedMore:
        break;
    }
}

void UpstreamConnection::onStreamInput(Stream &stream)
{
    if (!m_listener) {
        // An idle connection must stay silent; anything else means it is unusable.
        retire();
        return;
    }
    m_gotBytes = true;
    UpstreamListener *listener = m_listener;
    ByteBuffer &in = stream.input();
    while (!in.isEmpty() && m_listener && m_state != State::Closed) {
        if (m_state == State::Tunnel) {
            m_listener->onUpstreamResponseBody(in.view());
            in.consume(in.size());
            break;
        }
        const auto r = m_parser.parse(in.data(), in.size());
        // Body views stay valid: consume() only moves offsets, nothing is appended meanwhile.
        in.consume(r.consumed);
        handleEvent(r.event);
        if (r.event == http::H1Parser::Event::NeedMore)
            break;
    }
    if (m_listener == listener || !m_listener)
        listener->onUpstreamBatchEnd();
}

void UpstreamConnection::onStreamEof(Stream &)
{
    if (!m_listener) {
        retire();
        return;
    }
    if (m_state == State::Tunnel) {
        UpstreamListener *listener = m_listener;
        m_listener = nullptr;
        retire();
        listener->onUpstreamResponseComplete({});
        return;
    }
    const auto r = m_parser.finish();
    if (r.event == http::H1Parser::Event::MessageComplete && !m_awaitingHead) {
        m_requestComplete = false; // close-delimited: never reused
        UpstreamListener *listener = m_listener;
        completeResponse();
        listener->onUpstreamBatchEnd();
        return;
    }
    fail(UpstreamError::Closed);
}

void UpstreamConnection::onStreamError(Stream &stream, int error)
{
    m_dialer.setLastError(error);
    if (m_state == State::Connecting) {
        if (error == -1) {
            logUpstreamTlsFailure(
                m_key.host, m_key.port, stream.tlsError(), m_key.transportOr(m_pool.transport()));
            fail(UpstreamError::TlsFailed);
            return;
        }
        dialNext();
        return;
    }
    fail(UpstreamError::Closed);
}

void UpstreamConnection::onStreamDrained(Stream &)
{
    if (m_listener)
        m_listener->onUpstreamDrained();
}

void UpstreamConnection::checkTimeouts(qint64 nowMs)
{
    const config::ServersTransportSpec &t = m_key.transportOr(m_pool.transport());
    const qint64 age = nowMs - m_since;
    if ((m_state == State::Connecting || m_state == State::Resolving) && t.dialTimeout.count() > 0
        && age > t.dialTimeout.count()) {
        fail(UpstreamError::ConnectTimeout);
    } else if (m_state == State::Active && m_awaitingHead && t.responseHeaderTimeout.count() > 0
        && age > t.responseHeaderTimeout.count()) {
        fail(UpstreamError::HeaderTimeout);
    } else if (m_state == State::Idle && t.idleConnTimeout.count() > 0
        && age > t.idleConnTimeout.count()) {
        retire();
    }
}

} // namespace portico::proxy
