#pragma once

#include "core/common/header_list.h"
#include "core/http/h1_parser.h"
#include "core/http/message.h"
#include "core/observe/capture_tap.h"

#include <QByteArrayView>

namespace portico::proxy {

/// How a body travels: its framing and, for ContentLength, its length.
struct BodyInfo
{
    http::BodyFraming framing = http::BodyFraming::None;
    qint64 length = -1;
};

/// The client side of one exchange, as the protocol-independent pipeline sees it. The HTTP/1.1
/// server connection implements it today; an HTTP/2 stream will implement it the same way.
/// Calls come from the engine thread only; none of them re-enters the Exchange.
class Downstream
{
public:
    virtual ~Downstream() = default;
    /// An informational response (100 Continue, 103 Early Hints) ahead of the final one.
    virtual void sendInterimResponse(const http::ResponseHead &head) = 0;
    /// The final response head; `body` says how the body that follows is delimited. The sink
    /// chooses its own wire framing (Content-Length kept, otherwise chunked or close-delimited).
    virtual void sendResponseHead(http::ResponseHead &head, BodyInfo body) = 0;
    virtual void sendResponseBody(QByteArrayView data) = 0;
    /// The response is complete (trailers for chunked bodies). The Exchange may be destroyed
    /// after this returns, once the caller's stack unwinds.
    virtual void finishResponse(const HeaderList &trailers) = 0;
    /// The response cannot be completed (the upstream failed mid-body): the client must not take
    /// it as complete, so the connection (or stream) is reset.
    virtual void abortResponse() = 0;
    /// Pushes buffered response bytes to the client (end of a batch of calls).
    virtual void flushResponse() = 0;
    /// True while response bytes pile up; Exchange::onDownstreamDrained follows when they went.
    virtual bool responseCongested() = 0;
    /// Stops or resumes delivery of request body bytes (back-pressure from the upstream).
    virtual void pauseRequestBody(bool paused) = 0;
    /// After a 101 (or CONNECT 2xx) both directions become raw bytes: client bytes arrive as
    /// request body, upstream bytes are sent with sendResponseBody, finishResponse ends it.
    virtual void startTunnel() = 0;
    /// The client connection as the capture records it (h1/h2, TLS); asked once per exchange,
    /// and only while capturing. The TLS handshake time is reported to the first exchange only.
    virtual observe::ConnectionFacts connectionFacts() { return {}; }
};

/// Why an upstream exchange failed.
enum class UpstreamError {
    ConnectFailed, ///< refused, unreachable, DNS failure → 502
    ConnectTimeout, ///< serversTransport.dialTimeout → 504
    TlsFailed, ///< handshake or certificate verification → 502
    Closed, ///< reset or EOF before the response completed → 502 if no head yet
    HeaderTimeout, ///< serversTransport.responseHeaderTimeout → 504
    Malformed, ///< the upstream's response did not parse → 502
};

/// Receives one upstream connection's events for the exchange currently using it.
class UpstreamListener
{
public:
    virtual ~UpstreamListener() = default;
    virtual void onUpstreamConnected() = 0;
    /// A response head: 1xx interim ones first, then the final one.
    virtual void onUpstreamResponseHead(http::ResponseHead &head, BodyInfo body) = 0;
    virtual void onUpstreamResponseBody(QByteArrayView data) = 0;
    /// The final response is complete; the connection is no longer this listener's.
    virtual void onUpstreamResponseComplete(const HeaderList &trailers) = 0;
    /// The connection failed; `gotResponseBytes` is false when nothing of a response arrived.
    virtual void onUpstreamFailed(UpstreamError error, bool gotResponseBytes) = 0;
    /// Request bytes that piled up toward the upstream went out.
    virtual void onUpstreamDrained() = 0;
    /// End of one batch of upstream input: a good moment to flush the downstream.
    virtual void onUpstreamBatchEnd() = 0;
};

} // namespace portico::proxy
