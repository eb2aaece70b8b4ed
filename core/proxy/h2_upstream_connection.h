#pragma once

#include "core/http/h2_headers.h"
#include "core/proxy/stream.h"
#include "core/proxy/upstream_connection.h"
#include "core/proxy/upstream_dialer.h"

#include <QHostAddress>
#include <QObject>

#include <cstdint>
#include <memory>
#include <vector>

typedef struct nghttp2_session nghttp2_session;

namespace portico::proxy {

class H2UpstreamStream;
class UpstreamPool;

/// One HTTP/2 client connection toward an `h2c://` upstream (prior knowledge, RFC 9113 §3.3) or
/// an `https://` one whose server selects `h2` by ALPN (RFC 9113 §3.2), owned by its engine's
/// UpstreamPool and shared by many exchanges, one stream each. It takes new streams while below the
/// server's SETTINGS_MAX_CONCURRENT_STREAMS and no GOAWAY arrived; the pool opens another
/// connection otherwise. A connection failure fails every stream on it; an idle connection closes
/// after serversTransport's idle timeout.
class H2UpstreamConnection final : public QObject, public StreamHandler
{
public:
    enum class State { Resolving, Connecting, Ready, Draining, Closed };

    /// `assumedStreamLimit`: the server's stream limit until its SETTINGS arrive.
    H2UpstreamConnection(UpstreamPool &pool, UpstreamKey key, uint32_t assumedStreamLimit);
    ~H2UpstreamConnection() override;

    const UpstreamKey &key() const { return m_key; }
    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Ready || m_state == State::Draining; }
    /// True while a new stream may be opened here (not closing, below the server's limit).
    bool hasCapacity() const;
    size_t streamCount() const { return m_streams.size(); }

    /// Starts dialling: `localhost` tries 127.0.0.1 and ::1, names are resolved, IPs used as is.
    void dial();
    /// A new stream for `listener` (sent once the exchange gives its request head).
    H2UpstreamStream *open(UpstreamListener *listener);
    /// Takes over a stream refused elsewhere and sends its request again here.
    void adopt(std::unique_ptr<H2UpstreamStream> stream);
    /// Dial, response-header and idle timeouts; `nowMs` from the engine's monotonic clock.
    void checkTimeouts(qint64 nowMs);
    /// Closes the connection now, failing its streams (shutdown or idle).
    void close();

    // Used by H2UpstreamStream.
    void submit(H2UpstreamStream &stream);
    void resumeData(H2UpstreamStream &stream);
    void acknowledge(H2UpstreamStream &stream, size_t n);
    void reset(H2UpstreamStream &stream, uint32_t errorCode);
    /// The stream is finished with (closed and detached): it is deleted from the event loop.
    void release(H2UpstreamStream &stream);
    /// The stream was refused unprocessed: the pool places it on another connection.
    void resend(H2UpstreamStream &stream);
    /// Writes queued frames (after the current receive when called from inside it).
    void flush();

    // StreamHandler
    void onStreamInput(Stream &stream) override;
    void onStreamEof(Stream &stream) override;
    void onStreamError(Stream &stream, int error) override;
    void onStreamDrained(Stream &stream) override;
    void onStreamConnected(Stream &stream) override;

private:
    struct Callbacks; // h2_upstream_session.cpp, with the nghttp2 plumbing
    friend struct Callbacks;

    /// Per-stream receive window: what one stalled response may hold beyond the downstream.
    static constexpr uint32_t kStreamWindow = 1024 * 1024;
    static constexpr int32_t kConnectionWindow = 32 * 1024 * 1024;

    void dialNext();
    void fallBackToHttp1();
    void createSession(uint32_t assumedStreamLimit);
    void startSession();
    void sendFrames();
    void fail(UpstreamError error);
    void retire();
    void maybeFinish();
    std::unique_ptr<H2UpstreamStream> take(H2UpstreamStream &stream);

    UpstreamPool &m_pool;
    UpstreamKey m_key;
    State m_state = State::Resolving;
    std::unique_ptr<Stream> m_stream;
    UpstreamDialer m_dialer;
    nghttp2_session *m_session = nullptr;
    http::h2::NvList m_trailerNv; ///< request trailers being submitted
    std::vector<std::unique_ptr<H2UpstreamStream>> m_streams;
    std::vector<std::unique_ptr<H2UpstreamStream>> m_released; ///< deleted from the event loop
    std::vector<H2UpstreamStream *> m_touched; ///< streams that got response events this batch
    int m_opened = 0;
    int m_receiving = 0; ///< inside nghttp2_session_mem_recv: sending waits
    bool m_sending = false;
    bool m_sendWanted = false;
    bool m_cleanupQueued = false;
    qint64 m_since = 0; ///< dial start or idle start (ms)
};

} // namespace portico::proxy
