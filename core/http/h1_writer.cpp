#include "core/http/h1_writer.h"

#include <cstring>

namespace portico::http::h1 {

namespace {

/// Fills a QByteArray grown once to its final size with plain copies: QByteArray::append goes
/// through insert() bookkeeping on every call, which showed up on the request path.
class Cursor
{
public:
    Cursor(QByteArray &out, qsizetype bytes)
        : m_out(out)
    {
        const qsizetype start = out.size();
        out.resize(start + bytes);
        m_p = out.data() + start;
    }
    void put(QByteArrayView v)
    {
        std::memcpy(m_p, v.data(), size_t(v.size()));
        m_p += v.size();
    }
    void put(char c) { *m_p++ = c; }
    void putStatus(int status)
    {
        put(char('0' + (status / 100) % 10));
        put(char('0' + (status / 10) % 10));
        put(char('0' + status % 10));
    }
    void putFields(const HeaderList &fields)
    {
        for (const HeaderField &f : fields) {
            put(f.name);
            put(QByteArrayView(": "));
            put(f.value);
            put(QByteArrayView("\r\n"));
        }
    }
    /// Every reserved byte must have been written.
    bool complete() const { return m_p == m_out.constData() + m_out.size(); }

private:
    QByteArray &m_out;
    char *m_p = nullptr;
};

/// Bytes the field lines of `fields` take on the wire.
qsizetype fieldsSize(const HeaderList &fields)
{
    qsizetype size = 0;
    for (const HeaderField &f : fields)
        size += f.name.size() + f.value.size() + 4;
    return size;
}

} // namespace

void writeFields(QByteArray &out, const HeaderList &fields)
{
    Cursor c(out, fieldsSize(fields));
    c.putFields(fields);
    Q_ASSERT(c.complete());
}

void writeRequestHead(QByteArray &out, const RequestHead &head)
{
    const QByteArrayView target
        = head.target.isEmpty() ? QByteArrayView("/") : QByteArrayView(head.target);
    const QByteArrayView version(" HTTP/1.1\r\n");
    Cursor c(out,
        head.method.size() + 1 + target.size() + version.size() + fieldsSize(head.headers) + 2);
    c.put(head.method);
    c.put(' ');
    c.put(target);
    c.put(version);
    c.putFields(head.headers);
    c.put(QByteArrayView("\r\n"));
    Q_ASSERT(c.complete());
}

void writeResponseHead(QByteArray &out, const ResponseHead &head)
{
    // We speak HTTP/1.1 on the wire; only the minor digit of an HTTP/1.0 peer is echoed back.
    const QByteArrayView version(
        head.version.major == 1 && head.version.minor == 0 ? "HTTP/1.0" : "HTTP/1.1");
    const QByteArray reason = head.reason.isEmpty() ? reasonPhrase(head.status) : head.reason;
    Cursor c(out, version.size() + 5 + reason.size() + 2 + fieldsSize(head.headers) + 2);
    c.put(version);
    c.put(' ');
    c.putStatus(head.status);
    c.put(' ');
    c.put(reason);
    c.put(QByteArrayView("\r\n"));
    c.putFields(head.headers);
    c.put(QByteArrayView("\r\n"));
    Q_ASSERT(c.complete());
}

void writeChunkHeader(QByteArray &out, qint64 size)
{
    char buf[20];
    int n = 0;
    do {
        buf[sizeof buf - 1 - n] = "0123456789abcdef"[size & 15];
        size >>= 4;
        ++n;
    } while (size > 0);
    out.append(buf + sizeof buf - n, n);
    out.append("\r\n", 2);
}

void writeChunk(QByteArray &out, QByteArrayView data)
{
    if (data.isEmpty())
        return;
    writeChunkHeader(out, data.size());
    out.append(data);
    out.append("\r\n", 2);
}

void writeLastChunk(QByteArray &out, const HeaderList &trailers)
{
    out.append("0\r\n", 3);
    writeFields(out, trailers);
    out.append("\r\n", 2);
}

QByteArray serializeResponse(ResponseHead head, QByteArrayView body)
{
    head.headers.set("Content-Length", QByteArray::number(body.size()));
    QByteArray out;
    out.reserve(256 + body.size());
    writeResponseHead(out, head);
    out.append(body);
    return out;
}

} // namespace portico::http::h1
