#pragma once

#include "core/common/header_list.h"
#include "core/http/message.h"
#include "core/proxy/exchange_io.h"

#include <QByteArrayView>

namespace portico::proxy {

/// The path of one exchange's request toward an upstream server, as the Exchange drives it: a
/// whole HTTP/1.1 connection (UpstreamConnection) or one stream of a shared HTTP/2 connection
/// (H2UpstreamStream). The pool hands it out attached to an UpstreamListener; it belongs to that
/// listener until the listener hears onUpstreamResponseComplete / onUpstreamFailed or calls
/// abandon(), and must not be touched afterwards.
class UpstreamChannel
{
public:
    virtual ~UpstreamChannel() = default;

    /// True when the channel rides on a connection that already served an exchange (a failure
    /// before any response byte may then be a stale connection: the request may be retried).
    virtual bool reused() const = 0;
    /// Requests can be sent now; otherwise the listener hears onUpstreamConnected first.
    virtual bool isConnected() const = 0;
    /// The forwarded request head (hop-by-hop fields already removed); `body` says how its body
    /// arrives. Each channel serialises it for its own protocol.
    virtual void sendRequestHead(const http::RequestHead &head, BodyInfo body) = 0;
    /// Request body bytes (raw in a tunnel).
    virtual void sendRequestBody(QByteArrayView data) = 0;
    /// The request body is complete; `trailers` follow it where the protocol allows.
    virtual void finishRequest(const HeaderList &trailers) = 0;
    /// Pushes queued request bytes toward the upstream (end of a batch of calls).
    virtual void flush() = 0;
    /// True while request bytes pile up; the listener hears onUpstreamDrained when they went.
    virtual bool congested() = 0;
    /// Response back-pressure: false stops taking response bytes while the downstream is
    /// congested, true resumes.
    virtual void setReadEnabled(bool enabled) = 0;
    /// The listener gives the channel up before the response completed (client gone): the
    /// request is cancelled. No listener call follows.
    virtual void abandon() = 0;
};

} // namespace portico::proxy
