// The nghttp2 side of H2UpstreamConnection: session callbacks, SETTINGS, request submission
// and per-stream flow control. The socket and lifecycle side is in h2_upstream_connection.cpp.
#include "core/common/log.h"
#include "core/http/h2_headers.h"
#include "core/proxy/clock.h"
#include "core/proxy/h2_upstream_connection.h"
#include "core/proxy/h2_upstream_stream.h"
#include "core/proxy/upstream_pool.h"

#include <nghttp2/nghttp2.h>

namespace portico::proxy {

namespace {

QByteArrayView viewOf(const uint8_t *data, size_t len)
{
    return { reinterpret_cast<const char *>(data), qsizetype(len) };
}

H2UpstreamStream *streamOf(nghttp2_session *session, int32_t id)
{
    return static_cast<H2UpstreamStream *>(nghttp2_session_get_stream_user_data(session, id));
}

bool endsStream(const nghttp2_frame *frame)
{
    return (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
}

/// The request's header block (RFC 9113 §8.3.1): pseudo-headers from the head, `:authority`
/// from Host, names lower-cased, connection-specific fields left out (§8.2.2), TE only as
/// "trailers". nghttp2 copies the fields, so the buffers only live through the submit call.
class RequestFields
{
public:
    RequestFields(const http::RequestHead &head, QByteArrayView scheme)
    {
        m_names.reserve(size_t(head.headers.size()));
        m_authority = head.headers.value("Host");
        const bool connect = head.method == "CONNECT";
        add(":method", head.method);
        if (!connect) {
            add(":scheme", scheme);
            add(":path", head.target.isEmpty() ? QByteArrayView("/") : QByteArrayView(head.target));
        }
        if (!m_authority.isEmpty() || connect)
            add(":authority", connect && m_authority.isEmpty() ? head.target : m_authority);
        for (const HeaderField &f : head.headers) {
            if (HeaderList::nameEquals(f.name, "Host") || http::h2::isConnectionSpecific(f.name))
                continue;
            if (HeaderList::nameEquals(f.name, "TE")) {
                if (head.headers.hasToken("TE", "trailers"))
                    add("te", "trailers");
                continue;
            }
            m_names.push_back(f.name.toLower());
            add(m_names.back(), f.value);
        }
    }
    const nghttp2_nv *data() const { return m_nv.data(); }
    size_t size() const { return m_nv.size(); }

private:
    void add(QByteArrayView name, QByteArrayView value)
    {
        m_nv.push_back({ const_cast<uint8_t *>(reinterpret_cast<const uint8_t *>(name.data())),
            const_cast<uint8_t *>(reinterpret_cast<const uint8_t *>(value.data())),
            size_t(name.size()), size_t(value.size()), NGHTTP2_NV_FLAG_NONE });
    }

    QByteArray m_authority;
    std::vector<QByteArray> m_names; ///< reserved up front: pointers into it must stay valid
    std::vector<nghttp2_nv> m_nv;
};

} // namespace

/// The nghttp2 client callbacks, as static members so they reach the connection's state.
struct H2UpstreamConnection::Callbacks
{
    static H2UpstreamConnection &self(void *user)
    {
        return *static_cast<H2UpstreamConnection *>(user);
    }

    static ssize_t send(nghttp2_session *, const uint8_t *data, size_t len, int, void *user)
    {
        Stream *stream = self(user).m_stream.get();
        if (!stream || stream->congested())
            return NGHTTP2_ERR_WOULDBLOCK; // onStreamDrained sends the rest
        stream->send(viewOf(data, len));
        return ssize_t(len);
    }

    static ssize_t readBody(nghttp2_session *session, int32_t id, uint8_t *buf, size_t length,
        uint32_t *flags, nghttp2_data_source *source, void *user)
    {
        auto *stream = static_cast<H2UpstreamStream *>(source->ptr);
        bool eof = false, deferred = false;
        const size_t n = stream->readBody(buf, length, &eof, &deferred);
        if (deferred)
            return NGHTTP2_ERR_DEFERRED;
        if (eof) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            // Request trailers end the stream instead of the last DATA frame (RFC 9113 §8.1).
            const HeaderList &trailers = stream->requestTrailers();
            if (!trailers.isEmpty()) {
                http::h2::NvList &nv = self(user).m_trailerNv;
                nv.buildTrailers(trailers);
                if (nv.size() > 0 && nghttp2_submit_trailer(session, id, nv.data(), nv.size()) == 0)
                    *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
            }
        }
        return ssize_t(n);
    }

    static int header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name,
        size_t nameLen, const uint8_t *value, size_t valueLen, uint8_t, void *)
    {
        if (frame->hd.type != NGHTTP2_HEADERS)
            return 0;
        if (H2UpstreamStream *stream = streamOf(session, frame->hd.stream_id))
            stream->onHeaderField(viewOf(name, nameLen), viewOf(value, valueLen));
        return 0;
    }

    static int frameReceived(nghttp2_session *session, const nghttp2_frame *frame, void *user)
    {
        H2UpstreamConnection &c = self(user);
        if (frame->hd.type == NGHTTP2_SETTINGS && !(frame->hd.flags & NGHTTP2_FLAG_ACK)) {
            c.m_pool.rememberH2StreamLimit(c.m_key,
                nghttp2_session_get_remote_settings(
                    session, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS));
            return 0;
        }
        if (frame->hd.type == NGHTTP2_GOAWAY) {
            // Streams above last-stream-id are closed by nghttp2 with REFUSED_STREAM and sent
            // again elsewhere; the others still finish here.
            if (c.m_state == State::Ready)
                c.m_state = State::Draining;
            return 0;
        }
        if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA)
            return 0;
        H2UpstreamStream *stream = streamOf(session, frame->hd.stream_id);
        if (!stream)
            return 0;
        c.m_touched.push_back(stream);
        if (frame->hd.type == NGHTTP2_HEADERS)
            stream->onHeaderBlock(endsStream(frame));
        else if (endsStream(frame))
            stream->onEndStream();
        return 0;
    }

    static int dataChunk(
        nghttp2_session *session, uint8_t, int32_t id, const uint8_t *data, size_t len, void *user)
    {
        // The connection window goes back at once; a stream's only once the downstream took its
        // bytes, so a slow client stalls its own stream and no other.
        nghttp2_session_consume_connection(session, len);
        H2UpstreamStream *stream = streamOf(session, id);
        if (!stream) {
            nghttp2_session_consume_stream(session, id, len);
            return 0;
        }
        self(user).m_touched.push_back(stream);
        const size_t acknowledged = stream->onData(viewOf(data, len));
        if (acknowledged > 0)
            nghttp2_session_consume_stream(session, id, acknowledged);
        return 0;
    }

    static int frameSent(nghttp2_session *session, const nghttp2_frame *frame, void *)
    {
        if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
            if (H2UpstreamStream *stream = streamOf(session, frame->hd.stream_id)) {
                stream->markSent();
                stream->setSince(nowMs()); // the response header timeout starts now
            }
        }
        return 0;
    }

    static int streamClosed(nghttp2_session *session, int32_t id, uint32_t errorCode, void *)
    {
        if (H2UpstreamStream *stream = streamOf(session, id)) {
            nghttp2_session_set_stream_user_data(session, id, nullptr);
            stream->onClosed(errorCode);
        }
        return 0;
    }

    static int error(nghttp2_session *, int, const char *message, size_t len, void *user)
    {
        qCDebug(lcProxy) << "h2 upstream" << self(user).m_key.host << self(user).m_key.port
                         << QByteArrayView(message, qsizetype(len));
        return 0;
    }
};

H2UpstreamConnection::H2UpstreamConnection(
    UpstreamPool &pool, UpstreamKey key, uint32_t assumedStreamLimit)
    : m_pool(pool)
    , m_key(std::move(key))
{
    createSession(assumedStreamLimit);
}

H2UpstreamConnection::~H2UpstreamConnection()
{
    m_streams.clear();
    m_released.clear();
    nghttp2_session_del(m_session);
}

void H2UpstreamConnection::createSession(uint32_t assumedStreamLimit)
{
    nghttp2_session_callbacks *cb = nullptr;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_send_callback(cb, &Callbacks::send);
    nghttp2_session_callbacks_set_on_header_callback(cb, &Callbacks::header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, &Callbacks::frameReceived);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, &Callbacks::dataChunk);
    nghttp2_session_callbacks_set_on_frame_send_callback(cb, &Callbacks::frameSent);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, &Callbacks::streamClosed);
    nghttp2_session_callbacks_set_error_callback2(cb, &Callbacks::error);
    nghttp2_option *option = nullptr;
    nghttp2_option_new(&option);
    nghttp2_option_set_no_auto_window_update(option, 1);
    nghttp2_option_set_peer_max_concurrent_streams(option, assumedStreamLimit);
    nghttp2_session_client_new2(&m_session, cb, this, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(cb);
}

void H2UpstreamConnection::startSession()
{
    // No server push; the stream window bounds what one stalled response holds in the proxy.
    const nghttp2_settings_entry entries[] = {
        { NGHTTP2_SETTINGS_ENABLE_PUSH, 0 },
        { NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kStreamWindow },
    };
    nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, entries, std::size(entries));
    nghttp2_session_set_local_window_size(m_session, NGHTTP2_FLAG_NONE, 0, kConnectionWindow);
}

void H2UpstreamConnection::submit(H2UpstreamStream &stream)
{
    if (!isConnected() || stream.id() > 0)
        return; // sent once connected (onConnectionReady)
    const http::RequestHead &head = stream.requestHead();
    RequestFields fields(head, m_key.scheme == "https" ? "https" : "http");
    nghttp2_data_provider provider;
    provider.source.ptr = &stream;
    provider.read_callback = &Callbacks::readBody;
    const int32_t id = nghttp2_submit_request(m_session, nullptr, fields.data(), fields.size(),
        stream.hasBody() ? &provider : nullptr, &stream);
    if (id < 0) {
        qCDebug(lcProxy) << "h2 upstream cannot submit request:" << nghttp2_strerror(id);
        stream.fail(UpstreamError::Closed);
        release(stream);
        return;
    }
    stream.setId(id);
    stream.setSince(nowMs());
}

void H2UpstreamConnection::resumeData(H2UpstreamStream &stream)
{
    if (stream.id() > 0)
        nghttp2_session_resume_data(m_session, stream.id());
}

void H2UpstreamConnection::acknowledge(H2UpstreamStream &stream, size_t n)
{
    nghttp2_session_consume_stream(m_session, stream.id(), n);
}

void H2UpstreamConnection::reset(H2UpstreamStream &stream, uint32_t errorCode)
{
    nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, stream.id(), errorCode);
}

} // namespace portico::proxy
