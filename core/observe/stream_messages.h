#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace portico::observe {

/// One complete message as a parser saw it; `data` is bounded by the parser's cap.
struct ParsedMessage
{
    int opcode = 0; ///< WebSocket opcode of the message (its first frame); 0 for SSE
    QByteArray data;
    bool truncated = false; ///< the message had more bytes than the cap
};

using MessageSink = std::function<void(ParsedMessage &&)>;

/// Reassembles WebSocket messages from one direction's raw tunnel bytes (RFC 6455 §5.2): FIN,
/// opcode, MASK, 7/16/64-bit payload lengths, unmasking, continuation frames joined into the
/// message of their first frame, control frames (which may interleave, §5.4) reported alone.
/// Keeps at most `cap` bytes of each message; a malformed frame stops the parsing for good.
class WebSocketParser
{
public:
    explicit WebSocketParser(int cap)
        : m_cap(cap)
    { }

    /// Feeds bytes as they crossed the proxy; calls `sink` for every message completed.
    void feed(QByteArrayView data, const MessageSink &sink);
    bool failed() const { return m_failed; }

private:
    bool parseHeader(const MessageSink &sink);
    void takePayload(QByteArrayView data);
    void endFrame(const MessageSink &sink);

    int m_cap;
    QByteArray m_header; ///< header bytes of the frame being read
    qint64 m_left = 0; ///< payload bytes still to come of the current frame
    bool m_inPayload = false;
    bool m_fin = false;
    bool m_control = false;
    int m_frameOpcode = 0;
    char m_mask[4] = {};
    bool m_masked = false;
    qint64 m_maskOffset = 0;
    ParsedMessage m_message; ///< the data message being assembled
    ParsedMessage m_controlMessage; ///< the control frame being read
    bool m_failed = false;
};

/// Splits a `text/event-stream` body into events (WHATWG HTML §9.2.6): lines end with CRLF, LF
/// or CR; a blank line ends an event. Each event's lines are reported joined with LF, at most
/// `cap` bytes; blank-only events (keep-alives of just a newline) are skipped.
class SseParser
{
public:
    explicit SseParser(int cap)
        : m_cap(cap)
    { }

    void feed(QByteArrayView data, const MessageSink &sink);

private:
    void append(char c);

    int m_cap;
    ParsedMessage m_event;
    bool m_atLineStart = true;
    bool m_afterCr = false;
};

} // namespace portico::observe
