#include "core/proxy/h2_upstream_stream.h"

#include "core/http/h2_headers.h"
#include "core/proxy/clock.h"
#include "core/proxy/h2_upstream_connection.h"
#include "core/proxy/stream.h"

#include <cstring>
#include <nghttp2/nghttp2.h>

namespace portico::proxy {

H2UpstreamStream::H2UpstreamStream(
    H2UpstreamConnection *connection, UpstreamListener *listener, bool reused)
    : m_connection(connection)
    , m_listener(listener)
    , m_reused(reused)
{ }

H2UpstreamStream::~H2UpstreamStream() = default;

bool H2UpstreamStream::isConnected() const
{
    return m_connection->isConnected();
}

bool H2UpstreamStream::hasBody() const
{
    return m_body.framing != http::BodyFraming::None
        && !(m_body.framing == http::BodyFraming::ContentLength && m_body.length == 0);
}

void H2UpstreamStream::sendRequestHead(const http::RequestHead &head, BodyInfo body)
{
    m_head = head;
    m_body = body;
    m_headGiven = true;
    m_requestEnded = !hasBody();
    m_connection->submit(*this);
}

void H2UpstreamStream::sendRequestBody(QByteArrayView data)
{
    if (!hasBody() || m_requestEnded || data.isEmpty())
        return;
    m_pending.append(data);
    if (m_deferred) {
        m_deferred = false;
        m_connection->resumeData(*this);
    }
}

void H2UpstreamStream::finishRequest(const HeaderList &trailers)
{
    if (m_requestEnded)
        return;
    m_requestEnded = true;
    m_trailers = trailers;
    if (m_deferred) {
        m_deferred = false;
        m_connection->resumeData(*this);
    }
}

void H2UpstreamStream::flush()
{
    m_connection->flush();
}

bool H2UpstreamStream::congested()
{
    if (m_pending.size() <= Stream::kHighWater)
        return false;
    m_wasCongested = true;
    return true;
}

bool H2UpstreamStream::takeDrained()
{
    if (!m_wasCongested || m_pending.size() >= Stream::kLowWater)
        return false;
    m_wasCongested = false;
    return true;
}

void H2UpstreamStream::setReadEnabled(bool enabled)
{
    m_readEnabled = enabled;
    if (enabled && m_unacknowledged > 0 && m_id > 0) {
        // The downstream took the held-back bytes: the server may send that much more.
        m_connection->acknowledge(*this, m_unacknowledged);
        m_unacknowledged = 0;
        m_connection->flush();
    }
}

void H2UpstreamStream::abandon()
{
    m_listener = nullptr;
    if (m_id > 0) {
        // The stream ends when nghttp2 closes it after the RST_STREAM; release follows then.
        m_connection->reset(*this, NGHTTP2_CANCEL);
        m_connection->flush();
        return;
    }
    m_connection->release(*this);
}

bool H2UpstreamStream::resendable(bool refused) const
{
    // RFC 9113 §8.7: a refused stream (or one never sent) was not processed; it may go again as
    // long as every body byte is still here.
    return m_listener && m_headGiven && !m_retried && !m_gotBytes && !m_bodyTaken
        && (refused || !m_sent);
}

size_t H2UpstreamStream::readBody(uint8_t *out, size_t length, bool *eof, bool *deferred)
{
    const size_t n = std::min(length, m_pending.size());
    if (n > 0) {
        std::memcpy(out, m_pending.data(), n);
        m_pending.consume(n);
        m_bodyTaken = true;
    }
    if (m_pending.isEmpty()) {
        if (m_requestEnded)
            *eof = true;
        else if (n == 0)
            *deferred = m_deferred = true;
    }
    return n;
}

void H2UpstreamStream::onHeaderField(QByteArrayView name, QByteArrayView value)
{
    if (name == ":status") {
        m_response.status = QByteArray(value.data(), value.size()).toInt();
        return;
    }
    if (name.startsWith(':'))
        return; // nghttp2 already refused unknown pseudo-headers (RFC 9113 §8.3)
    HeaderList &target = m_finalHead ? m_responseTrailers : m_response.headers;
    target.add(http::h2::canonicalName(name), QByteArray(value.data(), value.size()));
}

void H2UpstreamStream::onHeaderBlock(bool endStream)
{
    m_gotBytes = true;
    if (!m_listener)
        return;
    if (!m_finalHead) {
        if (m_response.status < 200) {
            m_listener->onUpstreamResponseHead(m_response, {});
            m_response = {};
            return;
        }
        m_finalHead = true;
        m_response.version = http::Version { 2, 0 };
        BodyInfo body { http::BodyFraming::Chunked, -1 }; // delimited by END_STREAM
        bool numeric = false;
        const qint64 length = m_response.headers.value("Content-Length").toLongLong(&numeric);
        const bool bodiless = endStream || m_head.method == "HEAD" || m_response.status == 204
            || m_response.status == 304;
        if (bodiless)
            body = { http::BodyFraming::None, -1 };
        else if (numeric && length >= 0)
            body = { http::BodyFraming::ContentLength, length };
        m_listener->onUpstreamResponseHead(m_response, body);
    }
    if (endStream)
        complete();
}

size_t H2UpstreamStream::onData(QByteArrayView data)
{
    m_gotBytes = true;
    if (!m_listener)
        return size_t(data.size());
    m_listener->onUpstreamResponseBody(data);
    if (m_readEnabled)
        return size_t(data.size());
    m_unacknowledged += size_t(data.size());
    return 0;
}

void H2UpstreamStream::onEndStream()
{
    if (m_listener && m_finalHead)
        complete();
}

void H2UpstreamStream::complete()
{
    UpstreamListener *listener = m_listener;
    m_listener = nullptr;
    if (!m_requestEnded && m_id > 0)
        m_connection->reset(*this, NGHTTP2_CANCEL); // the rest of the body is not wanted
    listener->onUpstreamResponseComplete(m_responseTrailers);
    listener->onUpstreamBatchEnd();
}

void H2UpstreamStream::onClosed(uint32_t errorCode)
{
    m_id = -1;
    if (m_listener) {
        if (resendable(errorCode == NGHTTP2_REFUSED_STREAM)) {
            m_connection->resend(*this);
            return;
        }
        fail(UpstreamError::Closed);
    }
    m_connection->release(*this);
}

void H2UpstreamStream::fail(UpstreamError error)
{
    UpstreamListener *listener = m_listener;
    m_listener = nullptr;
    if (listener)
        listener->onUpstreamFailed(error, m_gotBytes);
}

void H2UpstreamStream::onConnectionReady()
{
    if (m_headGiven)
        m_connection->submit(*this); // sent again after a refusal elsewhere
    else if (m_listener)
        m_listener->onUpstreamConnected();
}

void H2UpstreamStream::moveTo(H2UpstreamConnection *connection)
{
    m_connection = connection;
    m_id = -1;
    m_sent = false;
    m_retried = true;
    m_deferred = false;
}

} // namespace portico::proxy
