#pragma once

#include "core/http/h2_session.h"
#include "core/proxy/byte_buffer.h"
#include "core/proxy/exchange_io.h"

#include <memory>

namespace portico::proxy {

class Exchange;
class H2ServerConnection;

/// One HTTP/2 stream of a server connection, as the Exchange's Downstream: the request head and
/// body arrive from the session, the response is buffered per stream and sent as DATA frames as
/// fast as the client's window allows. Request bytes return to the client's window only once
/// the exchange accepted them (not paused), so a slow upstream throttles only this stream.
class H2Downstream final : public http::H2ServerStream, public Downstream
{
public:
    static constexpr size_t kHighWater = 256 * 1024; ///< response bytes buffered before pausing
    static constexpr size_t kLowWater = 64 * 1024;

    H2Downstream(H2ServerConnection &connection, int32_t id);
    ~H2Downstream() override;

    /// Starts the exchange for a request head that did not come through the session (stream 1
    /// of an `Upgrade: h2c` connection; its request is complete).
    void startUpgraded(http::RequestHead request);
    /// End of a batch of input: the exchange flushes what it queued toward the upstream.
    void endBatch();
    /// True when its response bytes are below the low-water mark again.
    bool drained() const { return m_out.size() < kLowWater; }
    void notifyDrained();
    /// The connection is going away: the exchange is abandoned.
    void abandon();
    /// The request head has been pending longer than the read timeout.
    bool headOverdue(qint64 nowMs, qint64 timeoutMs) const;

    // H2ServerStream
    void onRequestHead(bool endStream) override;
    void onRequestData(QByteArrayView data) override;
    void onRequestEnd() override;
    void onClosed(uint32_t errorCode) override;
    size_t responseAvailable() const override { return m_out.size(); }
    bool responseEnded() const override { return m_responseEnded; }
    const HeaderList *responseTrailers() const override { return &m_responseTrailers; }
    void writeResponse(http::H2Output &out, size_t n) override;
    void onResponseSent() override;

    // Downstream
    void sendInterimResponse(const http::ResponseHead &head) override;
    void sendResponseHead(http::ResponseHead &head, BodyInfo body) override;
    void sendResponseBody(QByteArrayView data) override;
    void finishResponse(const HeaderList &trailers) override;
    void abortResponse() override;
    void flushResponse() override;
    bool responseCongested() override;
    void pauseRequestBody(bool paused) override;
    void startTunnel() override { }
    observe::ConnectionFacts connectionFacts() override;

private:
    void startExchange(BodyInfo body);
    void answerLocally(int status);

    H2ServerConnection &m_connection;
    std::unique_ptr<Exchange> m_exchange;
    ByteBuffer m_out;
    HeaderList m_responseTrailers;
    qint64 m_openedMs = 0;
    size_t m_unconsumed = 0; ///< request bytes received while paused, not yet returned
    bool m_headDone = false;
    bool m_requestEnded = false;
    bool m_isHead = false;
    bool m_responseStarted = false;
    bool m_responseEnded = false;
    bool m_bodyPaused = false;
    bool m_closed = false;
    bool m_finished = false; ///< the exchange is done with this stream (finished, aborted, gone)
    bool m_inBatch = false; ///< listed in the connection's touched list
    bool m_drainWanted = false; ///< listed in the connection's drain watch list

    friend class H2ServerConnection;
};

} // namespace portico::proxy
