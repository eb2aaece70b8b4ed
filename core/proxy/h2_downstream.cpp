#include "core/proxy/h2_downstream.h"

#include "core/common/log.h"
#include "core/http/h2_headers.h"
#include "core/proxy/clock.h"
#include "core/proxy/engine.h"
#include "core/proxy/exchange.h"
#include "core/proxy/h2_server_connection.h"
#include "core/proxy/local_response.h"

#include <nghttp2/nghttp2.h>

namespace portico::proxy {

H2Downstream::H2Downstream(H2ServerConnection &connection, int32_t id)
    : H2ServerStream(id, connection.entryPoint().limits.maxHeaderBytes)
    , m_connection(connection)
    , m_openedMs(nowMs())
{ }

H2Downstream::~H2Downstream() = default;

void H2Downstream::startExchange(BodyInfo body)
{
    m_isHead = request().method == "HEAD";
    Engine &engine = m_connection.engine();
    m_exchange = std::make_unique<Exchange>(engine.services(), m_connection.entryPoint(),
        engine.routingTable(), *this, std::move(request()), body, m_connection.peer(),
        m_connection.peerText());
    m_exchange->start();
}

void H2Downstream::startUpgraded(http::RequestHead head)
{
    head.version = http::Version { 2, 0 };
    http::h2::removeH2cUpgrade(head.headers);
    request() = std::move(head);
    m_headDone = true;
    m_requestEnded = true;
    startExchange({ http::BodyFraming::None, -1 });
    if (m_exchange)
        m_exchange->onRequestComplete({});
}

void H2Downstream::onRequestHead(bool endStream)
{
    m_headDone = true;
    if (builder().tooLarge()) {
        answerLocally(431);
        return;
    }
    BodyInfo body { http::BodyFraming::None, -1 };
    if (!endStream) {
        // nghttp2 checked Content-Length against the DATA frames (RFC 9113 §8.1.1); without one
        // the body length is unknown and goes upstream chunked.
        bool ok = false;
        const QByteArray length = request().headers.value("Content-Length");
        const qint64 n = length.isNull() ? -1 : length.toLongLong(&ok);
        body = ok && n >= 0 ? BodyInfo { http::BodyFraming::ContentLength, n }
                            : BodyInfo { http::BodyFraming::Chunked, -1 };
    }
    startExchange(body);
}

void H2Downstream::answerLocally(int status)
{
    auto response = local::clientError(status);
    sendResponseHead(response.head, { http::BodyFraming::ContentLength, response.body.size() });
    sendResponseBody(response.body);
    finishResponse({});
}

void H2Downstream::onRequestData(QByteArrayView data)
{
    if (m_exchange && !m_finished)
        m_exchange->onRequestBody(data);
    // Window space returns to the client only for bytes the upstream side took (not paused).
    if (m_bodyPaused)
        m_unconsumed += size_t(data.size());
    else
        m_connection.session().consumeStream(*this, size_t(data.size()));
    m_connection.touched(this);
}

void H2Downstream::onRequestEnd()
{
    m_requestEnded = true;
    if (m_exchange && !m_finished)
        m_exchange->onRequestComplete(requestTrailers());
    m_connection.touched(this);
}

void H2Downstream::onClosed(uint32_t errorCode)
{
    m_closed = true;
    if (errorCode != NGHTTP2_NO_ERROR && !m_finished)
        qCDebug(lcProxy) << "http/2 stream" << id()
                         << "reset:" << nghttp2_http2_strerror(errorCode);
    abandon();
    m_connection.retire(this);
}

void H2Downstream::abandon()
{
    if (m_exchange && !m_finished) {
        m_finished = true;
        m_exchange->onDownstreamGone();
    }
    m_finished = true;
}

bool H2Downstream::headOverdue(qint64 nowMs, qint64 timeoutMs) const
{
    return !m_headDone && timeoutMs > 0 && nowMs - m_openedMs > timeoutMs;
}

void H2Downstream::endBatch()
{
    if (m_exchange && !m_finished)
        m_exchange->onRequestBatchEnd();
}

void H2Downstream::notifyDrained()
{
    if (m_exchange && !m_finished)
        m_exchange->onDownstreamDrained();
}

void H2Downstream::writeResponse(http::H2Output &out, size_t n)
{
    out.write({ m_out.data(), qsizetype(n) });
    m_out.consume(n);
}

void H2Downstream::onResponseSent()
{
    // RFC 9113 §8.1: a complete response before the complete request; the client may stop
    // sending without error.
    if (!m_requestEnded && !m_closed)
        m_connection.session().resetStream(*this, NGHTTP2_NO_ERROR);
}

// ---- Downstream: the response side ----

void H2Downstream::sendInterimResponse(const http::ResponseHead &head)
{
    if (m_closed || m_finished)
        return;
    m_connection.session().submitInterim(*this, head.status, head.headers);
    m_connection.scheduleSend();
}

void H2Downstream::sendResponseHead(http::ResponseHead &head, BodyInfo body)
{
    if (m_closed || m_finished)
        return;
    m_responseStarted = true;
    if (head.status == 101) {
        abortResponse(); // no protocol switch inside an HTTP/2 stream (RFC 9113 §8.6)
        return;
    }
    const int status = head.status;
    const bool bodyless = m_isHead || status == 204 || status == 304
        || body.framing == http::BodyFraming::None
        || (body.framing == http::BodyFraming::ContentLength && body.length == 0);
    if (!head.headers.contains("Date"))
        head.headers.add(QByteArrayLiteral("Date"), httpDate());
    m_responseEnded = bodyless;
    m_connection.session().submitResponse(*this, status, head.headers, !bodyless);
    m_connection.scheduleSend();
}

void H2Downstream::sendResponseBody(QByteArrayView data)
{
    if (m_closed || m_finished || m_responseEnded || data.isEmpty())
        return;
    m_out.append(data);
    m_connection.session().resumeData(*this);
}

void H2Downstream::finishResponse(const HeaderList &trailers)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_closed)
        return;
    if (!m_responseEnded) {
        m_responseTrailers = trailers;
        m_responseEnded = true;
        m_connection.session().resumeData(*this);
    }
    m_connection.scheduleSend();
}

void H2Downstream::abortResponse()
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_closed)
        m_connection.session().resetStream(*this, NGHTTP2_INTERNAL_ERROR);
    m_connection.scheduleSend();
}

void H2Downstream::flushResponse()
{
    m_connection.scheduleSend();
}

bool H2Downstream::responseCongested()
{
    if (m_out.size() <= kHighWater && !m_connection.outputCongested())
        return false;
    m_connection.watchDrain(this);
    return true;
}

void H2Downstream::pauseRequestBody(bool paused)
{
    if (m_bodyPaused == paused)
        return;
    m_bodyPaused = paused;
    if (paused || m_unconsumed == 0)
        return;
    if (!m_closed)
        m_connection.session().consumeStream(*this, m_unconsumed);
    m_unconsumed = 0;
    m_connection.scheduleSend();
}

observe::ConnectionFacts H2Downstream::connectionFacts()
{
    return m_connection.takeConnectionFacts();
}

} // namespace portico::proxy
