#include "core/observe/stream_messages.h"

#include <algorithm>

namespace portico::observe {

namespace {

/// RFC 6455 §5.2: header bytes once the second byte is known (length and mask extensions).
qsizetype headerSize(const QByteArray &header)
{
    if (header.size() < 2)
        return 2;
    const int len7 = header[1] & 0x7f;
    const qsizetype extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    return 2 + extended + ((header[1] & 0x80) ? 4 : 0);
}

quint64 bigEndian(const QByteArray &bytes, qsizetype from, int count)
{
    quint64 value = 0;
    for (int i = 0; i < count; ++i)
        value = (value << 8) | quint8(bytes[from + i]);
    return value;
}

} // namespace

void WebSocketParser::feed(QByteArrayView data, const MessageSink &sink)
{
    while (!data.isEmpty() && !m_failed) {
        if (m_inPayload) {
            const qsizetype n = qsizetype(std::min<qint64>(m_left, data.size()));
            takePayload(data.first(n));
            data = data.sliced(n);
            m_left -= n;
            if (m_left == 0)
                endFrame(sink);
            continue;
        }
        // Headers are at most 14 bytes: byte by byte is simplest and cheap.
        m_header.append(data.front());
        data = data.sliced(1);
        if (m_header.size() == headerSize(m_header) && !parseHeader(sink))
            m_failed = true;
    }
}

bool WebSocketParser::parseHeader(const MessageSink &sink)
{
    const quint8 b0 = quint8(m_header[0]);
    const int len7 = m_header[1] & 0x7f;
    m_fin = (b0 & 0x80) != 0;
    m_frameOpcode = b0 & 0x0f;
    m_masked = (m_header[1] & 0x80) != 0;
    quint64 length = quint64(len7);
    qsizetype at = 2;
    if (len7 == 126) {
        length = bigEndian(m_header, 2, 2);
        at = 4;
    } else if (len7 == 127) {
        length = bigEndian(m_header, 2, 8);
        at = 10;
        if (length >> 63)
            return false; // §5.2: the most significant bit must be 0
    }
    if (m_masked)
        std::copy_n(m_header.constData() + at, 4, m_mask);
    m_control = (m_frameOpcode & 0x8) != 0;
    if (m_control && (!m_fin || length > 125))
        return false; // §5.5: control frames are never fragmented and carry at most 125 bytes
    if (m_control)
        m_controlMessage = ParsedMessage { m_frameOpcode, {}, false };
    else if (m_frameOpcode != 0)
        m_message = ParsedMessage { m_frameOpcode, {}, false };
    m_header.clear();
    m_left = qint64(length);
    m_maskOffset = 0;
    m_inPayload = true;
    if (m_left == 0)
        endFrame(sink);
    return true;
}

/// Appends what fits under the cap, unmasked (§5.3); the mask offset advances over every byte.
void WebSocketParser::takePayload(QByteArrayView data)
{
    ParsedMessage &target = m_control ? m_controlMessage : m_message;
    const qsizetype room = std::max<qsizetype>(0, m_cap - target.data.size());
    const qsizetype keep = std::min(room, data.size());
    if (keep < data.size())
        target.truncated = true;
    const qsizetype start = target.data.size();
    target.data.append(data.first(keep));
    if (m_masked) {
        char *out = target.data.data() + start;
        for (qsizetype i = 0; i < keep; ++i)
            out[i] = char(out[i] ^ m_mask[(m_maskOffset + i) & 3]);
    }
    m_maskOffset += data.size();
}

void WebSocketParser::endFrame(const MessageSink &sink)
{
    m_inPayload = false;
    if (m_control) {
        sink(std::move(m_controlMessage));
        m_controlMessage = {};
    } else if (m_fin) {
        sink(std::move(m_message));
        m_message = {};
    }
}

void SseParser::feed(QByteArrayView data, const MessageSink &sink)
{
    for (const char c : data) {
        if (c == '\n' && m_afterCr) { // the LF of a CRLF: the line already ended
            m_afterCr = false;
            continue;
        }
        m_afterCr = c == '\r';
        if (c == '\r' || c == '\n') {
            if (m_atLineStart && (!m_event.data.isEmpty() || m_event.truncated)) {
                sink(std::move(m_event));
                m_event = {};
            }
            m_atLineStart = true;
            continue;
        }
        if (m_atLineStart && !m_event.data.isEmpty())
            append('\n');
        m_atLineStart = false;
        append(c);
    }
}

void SseParser::append(char c)
{
    if (m_event.data.size() < m_cap)
        m_event.data.append(c);
    else
        m_event.truncated = true;
}

} // namespace portico::observe
