#pragma once

#include "core/proxy/byte_buffer.h"
#include "core/proxy/upstream_channel.h"

#include <cstdint>
#include <memory>

namespace portico::proxy {

class AlpnUpstreamChannel;
class H2UpstreamConnection;

/// One exchange's request as a stream of a shared HTTP/2 upstream connection. It keeps the
/// request head (and, until the first byte goes out, the body) so a stream the server refused
/// without processing it (REFUSED_STREAM, or above a GOAWAY's last stream id, RFC 9113 §8.7)
/// can be sent again on another connection without the exchange noticing. Response bytes are
/// acknowledged to the server (WINDOW_UPDATE) only while the downstream takes them, so a slow
/// client throttles its own stream and no other. Owned by its connection.
class H2UpstreamStream final : public UpstreamChannel
{
public:
    H2UpstreamStream(H2UpstreamConnection *connection, UpstreamListener *listener, bool reused);
    ~H2UpstreamStream() override;

    // UpstreamChannel
    bool reused() const override { return m_reused; }
    bool isConnected() const override;
    void sendRequestHead(const http::RequestHead &head, BodyInfo body) override;
    void sendRequestBody(QByteArrayView data) override;
    void finishRequest(const HeaderList &trailers) override;
    void flush() override;
    bool congested() override;
    void setReadEnabled(bool enabled) override;
    void abandon() override;

    // Used by H2UpstreamConnection.
    H2UpstreamConnection *connection() const { return m_connection; }
    /// Re-homes a refused stream on another connection (its request is submitted again there).
    void moveTo(H2UpstreamConnection *connection);
    int32_t id() const { return m_id; }
    void setId(int32_t id) { m_id = id; }
    UpstreamListener *listener() const { return m_listener; }
    /// The ALPN channel this stream serves while the server's protocol is not known yet (it
    /// moves to HTTP/1.1 when the server does not select h2); null otherwise.
    AlpnUpstreamChannel *alpnChannel() const { return m_alpn; }
    void setAlpnChannel(AlpnUpstreamChannel *channel) { m_alpn = channel; }
    /// Forgets the listener without telling it (the ALPN channel took the exchange elsewhere).
    void detach() { m_listener = nullptr; }
    bool headGiven() const { return m_headGiven; }
    const http::RequestHead &requestHead() const { return m_head; }
    /// True when the request carries a body (a DATA provider is attached).
    bool hasBody() const;
    /// The request went out on the wire (its HEADERS frame was sent).
    void markSent() { m_sent = true; }
    /// True when sending the request again elsewhere loses nothing and cannot duplicate it.
    bool resendable(bool refused) const;
    qint64 since() const { return m_since; }
    void setSince(qint64 ms) { m_since = ms; }
    bool awaitingHead() const { return m_listener && !m_finalHead; }

    /// DATA provider: copies up to `length` body bytes into `out`; sets `eof` at the end and
    /// `deferred` when nothing is there yet.
    size_t readBody(uint8_t *out, size_t length, bool *eof, bool *deferred);
    const HeaderList &requestTrailers() const { return m_trailers; }
    /// After a send: true once (reset) when a congested body dropped below the low-water mark.
    bool takeDrained();

    /// Response header block fields as they arrive (head or trailers).
    void onHeaderField(QByteArrayView name, QByteArrayView value);
    /// A complete header block; `endStream` when it ended the stream.
    void onHeaderBlock(bool endStream);
    /// Response body bytes; returns how many can be acknowledged at once (0 while paused).
    size_t onData(QByteArrayView data);
    /// A DATA frame with END_STREAM.
    void onEndStream();
    /// nghttp2 closed the stream with `errorCode` (0 after a normal end).
    void onClosed(uint32_t errorCode);
    /// The connection failed or timed out: the exchange hears `error`.
    void fail(UpstreamError error);
    /// Called once the connection is usable: tells the listener or sends a kept request again.
    void onConnectionReady();

private:
    void complete();

    H2UpstreamConnection *m_connection;
    UpstreamListener *m_listener;
    AlpnUpstreamChannel *m_alpn = nullptr;
    bool m_reused;
    int32_t m_id = -1;
    http::RequestHead m_head;
    BodyInfo m_body;
    ByteBuffer m_pending; ///< request body not yet taken by nghttp2
    HeaderList m_trailers; ///< request trailers
    http::ResponseHead m_response;
    HeaderList m_responseTrailers;
    qint64 m_since = 0;
    size_t m_unacknowledged = 0; ///< response bytes held back while the downstream is congested
    bool m_headGiven = false;
    bool m_requestEnded = false;
    bool m_bodyTaken = false;
    bool m_sent = false;
    bool m_deferred = false;
    bool m_wasCongested = false;
    bool m_readEnabled = true;
    bool m_finalHead = false;
    bool m_gotBytes = false;
    bool m_retried = false;
};

} // namespace portico::proxy
