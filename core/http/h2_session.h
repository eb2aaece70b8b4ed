#pragma once

#include "core/common/header_list.h"
#include "core/http/h2_headers.h"
#include "core/http/message.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstdint>
#include <optional>

typedef struct nghttp2_session nghttp2_session;

namespace portico::http {

/// Where a session's outgoing frames go (the connection's socket buffer).
class H2Output
{
public:
    virtual ~H2Output() = default;
    /// True while the sink holds enough unsent bytes: frame production pauses (back-pressure).
    virtual bool outputFull() const = 0;
    virtual void write(QByteArrayView bytes) = 0;
};

/// One server-side HTTP/2 stream as the session sees it. The session fills `request` and
/// `trailers` while header blocks arrive and calls the hooks; the response body is pulled from
/// the stream as the client's flow-control window allows.
class H2ServerStream
{
public:
    explicit H2ServerStream(int32_t id, qint64 maxHeaderBytes)
        : m_id(id)
        , m_builder(maxHeaderBytes)
    { }
    virtual ~H2ServerStream() = default;

    int32_t id() const { return m_id; }
    RequestHead &request() { return m_request; }
    const HeaderList &requestTrailers() const { return m_trailers; }
    h2::RequestHeadBuilder &builder() { return m_builder; }
    HeaderList &trailersToFill() { return m_trailers; }

    /// The request head is complete (`endStream`: no body follows).
    virtual void onRequestHead(bool endStream) = 0;
    virtual void onRequestData(QByteArrayView data) = 0;
    /// The client ended its side (requestTrailers() holds trailers, if any).
    virtual void onRequestEnd() = 0;
    /// The stream is closed (`errorCode` 0 after a normal end, else the RST_STREAM/GOAWAY code).
    virtual void onClosed(uint32_t errorCode) = 0;

    /// Response body bytes ready to send now.
    virtual size_t responseAvailable() const = 0;
    /// True once every response body byte was handed over (responseAvailable() is all there is).
    virtual bool responseEnded() const = 0;
    /// Trailers to send after the body (null or empty: none).
    virtual const HeaderList *responseTrailers() const = 0;
    /// Writes the next `n` response body bytes to `out` and drops them.
    virtual void writeResponse(H2Output &out, size_t n) = 0;
    /// A DATA or HEADERS frame with END_STREAM went out for this stream.
    virtual void onResponseSent() { }

private:
    int32_t m_id;
    RequestHead m_request;
    HeaderList m_trailers;
    h2::RequestHeadBuilder m_builder;
};

/// Creates the stream objects of a server session and hears connection-level events.
class H2StreamFactory
{
public:
    virtual ~H2StreamFactory() = default;
    /// A client opened stream `id`; nullptr refuses it (RST_STREAM REFUSED_STREAM).
    virtual H2ServerStream *createStream(int32_t id) = 0;
    /// A protocol error the session answers by itself (GOAWAY or RST_STREAM); for logging.
    virtual void onProtocolError(QByteArrayView message) = 0;
};

/// Limits the server announces in its SETTINGS frame (RFC 9113 §6.5.2).
struct H2Settings
{
    uint32_t maxConcurrentStreams = 250;
    uint32_t initialWindowSize = 256 * 1024; ///< per stream: bounds a stalled stream's buffer
    uint32_t connectionWindowSize = 16 * 1024 * 1024;
    uint32_t maxHeaderListSize = 1 << 20; ///< the entry point's maxHeaderBytes
};

/// Server-side HTTP/2 framing over nghttp2 without sockets: bytes in through receive(), frames out
/// through an H2Output, streams as H2ServerStream objects. Request-body flow control is manual:
/// the connection window is returned at once, a stream's window only when consumeStream() says
/// its bytes were accepted downstream, so one slow upstream throttles only its own stream.
/// Never call it re-entrantly from inside its own callbacks, except the submit*/consume/resume
/// ones.
class H2ServerSession
{
public:
    H2ServerSession(H2StreamFactory &factory, H2Output &output, const H2Settings &settings);
    ~H2ServerSession();
    H2ServerSession(const H2ServerSession &) = delete;
    H2ServerSession &operator=(const H2ServerSession &) = delete;

    /// Queues the server's SETTINGS (the server connection preface, RFC 9113 §3.4).
    bool start();
    /// RFC 7540 §3.2: continues an `Upgrade: h2c` request as stream 1 (half-closed remote); the
    /// request head goes to `stream` by the caller. `settingsPayload` is HTTP2-Settings decoded.
    bool startUpgraded(QByteArrayView settingsPayload, bool headRequest, H2ServerStream *stream);
    /// Feeds received bytes; false on a fatal error (close the connection after send()).
    bool receive(QByteArrayView data);
    /// Writes queued frames to the output until it is full or nothing is left; false on failure.
    bool send();
    /// True when the last send() stopped because the output was full, not because nothing was
    /// left: once the output has room again (even by a synchronous flush), send() must follow.
    bool stoppedOnFullOutput() const { return m_stoppedOnFullOutput; }
    /// False once the session is finished (GOAWAY exchanged and no stream left): close.
    bool alive() const;

    /// Response head; without `hasBody` the HEADERS frame ends the stream.
    void submitResponse(
        H2ServerStream &stream, int status, const HeaderList &headers, bool hasBody);
    /// An informational (1xx) head.
    void submitInterim(H2ServerStream &stream, int status, const HeaderList &headers);
    /// New response bytes (or its end) are available for a stream whose body was waiting.
    void resumeData(H2ServerStream &stream);
    /// Returns `n` bytes of the stream's receive window to the client (WINDOW_UPDATE).
    void consumeStream(H2ServerStream &stream, size_t n);
    /// RST_STREAM with `errorCode` (e.g. INTERNAL_ERROR when a response cannot complete).
    void resetStream(H2ServerStream &stream, uint32_t errorCode);
    /// Graceful shutdown: GOAWAY naming the last stream taken; those streams still finish.
    void shutdown();
    /// GOAWAY with an error code, then nothing more is read.
    void terminate(uint32_t errorCode);

private:
    struct Callbacks;
    friend struct Callbacks;

    H2StreamFactory &m_factory;
    H2Output &m_output;
    H2Settings m_settings;
    nghttp2_session *m_session = nullptr;
    h2::NvList m_nv;
    bool m_stoppedOnFullOutput = false;
};

} // namespace portico::http
