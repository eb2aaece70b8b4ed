#include "core/http/h2_session.h"

#include <algorithm>
#include <nghttp2/nghttp2.h>

namespace portico::http {

namespace {

H2ServerStream *streamOf(nghttp2_session *session, int32_t id)
{
    return static_cast<H2ServerStream *>(nghttp2_session_get_stream_user_data(session, id));
}

QByteArrayView viewOf(const uint8_t *data, size_t len)
{
    return { reinterpret_cast<const char *>(data), qsizetype(len) };
}

bool endsStream(const nghttp2_frame *frame)
{
    return (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
}

} // namespace

/// The nghttp2 callbacks, as static members so they can reach the session's private state.
struct H2ServerSession::Callbacks
{
    static H2ServerSession &self(void *user) { return *static_cast<H2ServerSession *>(user); }

    static ssize_t send(nghttp2_session *, const uint8_t *data, size_t len, int, void *user)
    {
        H2ServerSession &session = self(user);
        if (session.m_output.outputFull()) {
            session.m_stoppedOnFullOutput = true;
            return NGHTTP2_ERR_WOULDBLOCK;
        }
        session.m_output.write(viewOf(data, len));
        return ssize_t(len);
    }

    /// DATA frames leave without nghttp2 copying the payload (NGHTTP2_DATA_FLAG_NO_COPY): the
    /// frame header and the stream's bytes go straight into the output buffer.
    static int sendData(nghttp2_session *, nghttp2_frame *, const uint8_t *frameHeader,
        size_t length, nghttp2_data_source *source, void *user)
    {
        H2ServerSession &session = self(user);
        H2Output &out = session.m_output;
        if (out.outputFull()) {
            session.m_stoppedOnFullOutput = true;
            return NGHTTP2_ERR_WOULDBLOCK;
        }
        out.write(viewOf(frameHeader, 9));
        static_cast<H2ServerStream *>(source->ptr)->writeResponse(out, length);
        return 0;
    }

    static ssize_t readResponse(nghttp2_session *session, int32_t id, uint8_t *, size_t length,
        uint32_t *flags, nghttp2_data_source *source, void *user)
    {
        auto *stream = static_cast<H2ServerStream *>(source->ptr);
        const size_t available = stream->responseAvailable();
        if (available == 0 && !stream->responseEnded())
            return NGHTTP2_ERR_DEFERRED;
        const size_t n = std::min(available, length);
        *flags |= NGHTTP2_DATA_FLAG_NO_COPY;
        if (n == available && stream->responseEnded()) {
            *flags |= NGHTTP2_DATA_FLAG_EOF;
            // Trailers end the stream instead of the last DATA frame (RFC 9113 §8.1).
            const HeaderList *trailers = stream->responseTrailers();
            if (trailers && !trailers->isEmpty()) {
                h2::NvList &nv = self(user).m_nv;
                nv.buildTrailers(*trailers);
                if (nv.size() > 0 && nghttp2_submit_trailer(session, id, nv.data(), nv.size()) == 0)
                    *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
            }
        }
        return ssize_t(n);
    }

    static int beginHeaders(nghttp2_session *session, const nghttp2_frame *frame, void *user)
    {
        if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
            return 0;
        const int32_t id = frame->hd.stream_id;
        H2ServerStream *stream = self(user).m_factory.createStream(id);
        if (!stream) {
            nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
            return 0;
        }
        nghttp2_session_set_stream_user_data(session, id, stream);
        return 0;
    }

    static int header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name,
        size_t nameLen, const uint8_t *value, size_t valueLen, uint8_t, void *)
    {
        H2ServerStream *stream = streamOf(session, frame->hd.stream_id);
        if (!stream || frame->hd.type != NGHTTP2_HEADERS)
            return 0;
        if (frame->headers.cat == NGHTTP2_HCAT_REQUEST)
            stream->builder().addRequestField(
                stream->request(), viewOf(name, nameLen), viewOf(value, valueLen));
        else
            stream->builder().addTrailerField(
                stream->trailersToFill(), viewOf(name, nameLen), viewOf(value, valueLen));
        return 0;
    }

    static int frameReceived(nghttp2_session *session, const nghttp2_frame *frame, void *)
    {
        if (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA)
            return 0;
        H2ServerStream *stream = streamOf(session, frame->hd.stream_id);
        if (!stream)
            return 0;
        if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
            stream->builder().finish(stream->request());
            stream->onRequestHead(endsStream(frame));
        }
        // The callbacks above may have reset the stream; it stays allocated until closed.
        if (endsStream(frame) && streamOf(session, frame->hd.stream_id) == stream)
            stream->onRequestEnd();
        return 0;
    }

    static int dataChunk(
        nghttp2_session *session, uint8_t, int32_t id, const uint8_t *data, size_t len, void *)
    {
        // The connection window goes back at once; the stream's when its bytes were accepted.
        nghttp2_session_consume_connection(session, len);
        if (H2ServerStream *stream = streamOf(session, id))
            stream->onRequestData(viewOf(data, len));
        else
            nghttp2_session_consume_stream(session, id, len);
        return 0;
    }

    static int frameSent(nghttp2_session *session, const nghttp2_frame *frame, void *)
    {
        if ((frame->hd.type == NGHTTP2_DATA || frame->hd.type == NGHTTP2_HEADERS)
            && endsStream(frame)) {
            if (H2ServerStream *stream = streamOf(session, frame->hd.stream_id))
                stream->onResponseSent();
        }
        return 0;
    }

    static int streamClosed(nghttp2_session *session, int32_t id, uint32_t errorCode, void *)
    {
        if (H2ServerStream *stream = streamOf(session, id)) {
            nghttp2_session_set_stream_user_data(session, id, nullptr);
            stream->onClosed(errorCode);
        }
        return 0;
    }

    static int error(nghttp2_session *, int, const char *message, size_t len, void *user)
    {
        self(user).m_factory.onProtocolError(QByteArrayView(message, qsizetype(len)));
        return 0;
    }
};

H2ServerSession::H2ServerSession(
    H2StreamFactory &factory, H2Output &output, const H2Settings &settings)
    : m_factory(factory)
    , m_output(output)
    , m_settings(settings)
{
    nghttp2_session_callbacks *cb = nullptr;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_send_callback(cb, &Callbacks::send);
    nghttp2_session_callbacks_set_send_data_callback(cb, &Callbacks::sendData);
    nghttp2_session_callbacks_set_on_begin_headers_callback(cb, &Callbacks::beginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(cb, &Callbacks::header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, &Callbacks::frameReceived);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, &Callbacks::dataChunk);
    nghttp2_session_callbacks_set_on_frame_send_callback(cb, &Callbacks::frameSent);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, &Callbacks::streamClosed);
    nghttp2_session_callbacks_set_error_callback2(cb, &Callbacks::error);
    nghttp2_option *option = nullptr;
    nghttp2_option_new(&option);
    nghttp2_option_set_no_auto_window_update(option, 1);
    nghttp2_session_server_new2(&m_session, cb, this, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(cb);
}

H2ServerSession::~H2ServerSession()
{
    nghttp2_session_del(m_session);
}

bool H2ServerSession::start()
{
    // No SETTINGS_ENABLE_CONNECT_PROTOCOL: WebSocket over HTTP/2 (RFC 8441) is not offered, so
    // browsers keep using HTTP/1.1 for it.
    const nghttp2_settings_entry entries[] = {
        { NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, m_settings.maxConcurrentStreams },
        { NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, m_settings.initialWindowSize },
        { NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, m_settings.maxHeaderListSize },
    };
    if (nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, entries, std::size(entries)) != 0)
        return false;
    return nghttp2_session_set_local_window_size(
               m_session, NGHTTP2_FLAG_NONE, 0, int32_t(m_settings.connectionWindowSize))
        == 0;
}

bool H2ServerSession::startUpgraded(
    QByteArrayView settingsPayload, bool headRequest, H2ServerStream *stream)
{
    const int rv = nghttp2_session_upgrade2(m_session,
        reinterpret_cast<const uint8_t *>(settingsPayload.data()), size_t(settingsPayload.size()),
        headRequest ? 1 : 0, stream);
    return rv == 0 && start();
}

bool H2ServerSession::receive(QByteArrayView data)
{
    const ssize_t rv = nghttp2_session_mem_recv(
        m_session, reinterpret_cast<const uint8_t *>(data.data()), size_t(data.size()));
    if (rv < 0) {
        m_factory.onProtocolError(nghttp2_strerror(int(rv)));
        return false;
    }
    return true;
}

bool H2ServerSession::send()
{
    m_stoppedOnFullOutput = false;
    const int rv = nghttp2_session_send(m_session);
    if (rv != 0)
        m_factory.onProtocolError(nghttp2_strerror(rv));
    return rv == 0;
}

bool H2ServerSession::alive() const
{
    return nghttp2_session_want_read(m_session) || nghttp2_session_want_write(m_session);
}

void H2ServerSession::submitResponse(
    H2ServerStream &stream, int status, const HeaderList &headers, bool hasBody)
{
    m_nv.build(status, headers);
    nghttp2_data_provider provider;
    provider.source.ptr = &stream;
    provider.read_callback = &Callbacks::readResponse;
    nghttp2_submit_response(
        m_session, stream.id(), m_nv.data(), m_nv.size(), hasBody ? &provider : nullptr);
}

void H2ServerSession::submitInterim(H2ServerStream &stream, int status, const HeaderList &headers)
{
    m_nv.build(status, headers);
    nghttp2_submit_headers(
        m_session, NGHTTP2_FLAG_NONE, stream.id(), nullptr, m_nv.data(), m_nv.size(), nullptr);
}

void H2ServerSession::resumeData(H2ServerStream &stream)
{
    nghttp2_session_resume_data(m_session, stream.id()); // not deferred: nothing to do
}

void H2ServerSession::consumeStream(H2ServerStream &stream, size_t n)
{
    nghttp2_session_consume_stream(m_session, stream.id(), n);
}

void H2ServerSession::resetStream(H2ServerStream &stream, uint32_t errorCode)
{
    nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, stream.id(), errorCode);
}

void H2ServerSession::shutdown()
{
    nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE,
        nghttp2_session_get_last_proc_stream_id(m_session), NGHTTP2_NO_ERROR, nullptr, 0);
}

void H2ServerSession::terminate(uint32_t errorCode)
{
    nghttp2_session_terminate_session(m_session, errorCode);
}

} // namespace portico::http
