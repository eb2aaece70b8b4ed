#include "core/http/h1_writer.h"

#include <cstring>

namespace portico::http::h1 {

namespace {

/// Writes at a raw position with plain copies: QByteArray::append goes through insert()
/// bookkeeping on every call, which showed up on the request path. The caller sized the space.
class Cursor
{
public:
    explicit Cursor(char *p)
        : m_p(p)
    { }
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
    char *end() const { return m_p; }

private:
    char *m_p = nullptr;
};

/// Grows `out` by `bytes` and returns where they start.
char *grow(QByteArray &out, qsizetype bytes)
{
    const qsizetype start = out.size();
    out.resize(start + bytes);
    return out.data() + start;
}

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
    const qsizetype size = fieldsSize(fields);
    Cursor c(grow(out, size));
    c.putFields(fields);
    Q_ASSERT(c.end() == out.constData() + out.size());
}

namespace {

QByteArrayView requestTarget(const RequestHead &head)
{
    return head.target.isEmpty() ? QByteArrayView("/") : QByteArrayView(head.target);
}

constexpr QByteArrayView kRequestVersion(" HTTP/1.1\r\n");

/// We speak HTTP/1.1 on the wire; only the minor digit of an HTTP/1.0 peer is echoed back.
QByteArrayView responseVersion(const ResponseHead &head)
{
    return head.version.major == 1 && head.version.minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
}

} // namespace

qsizetype requestHeadSize(const RequestHead &head)
{
    return head.method.size() + 1 + requestTarget(head).size() + kRequestVersion.size()
        + fieldsSize(head.headers) + 2;
}

char *writeRequestHead(char *out, const RequestHead &head)
{
    Cursor c(out);
    c.put(head.method);
    c.put(' ');
    c.put(requestTarget(head));
    c.put(kRequestVersion);
    c.putFields(head.headers);
    c.put(QByteArrayView("\r\n"));
    return c.end();
}

void writeRequestHead(QByteArray &out, const RequestHead &head)
{
    const qsizetype size = requestHeadSize(head);
    char *start = grow(out, size);
    [[maybe_unused]] char *end = writeRequestHead(start, head);
    Q_ASSERT(end == start + size);
}

qsizetype responseHeadSize(const ResponseHead &head)
{
    const qsizetype reason
        = head.reason.isEmpty() ? reasonPhrase(head.status).size() : head.reason.size();
    return responseVersion(head).size() + 5 + reason + 2 + fieldsSize(head.headers) + 2;
}

char *writeResponseHead(char *out, const ResponseHead &head)
{
    Cursor c(out);
    c.put(responseVersion(head));
    c.put(' ');
    c.putStatus(head.status);
    c.put(' ');
    c.put(head.reason.isEmpty() ? reasonPhrase(head.status) : head.reason);
    c.put(QByteArrayView("\r\n"));
    c.putFields(head.headers);
    c.put(QByteArrayView("\r\n"));
    return c.end();
}

void writeResponseHead(QByteArray &out, const ResponseHead &head)
{
    const qsizetype size = responseHeadSize(head);
    char *start = grow(out, size);
    [[maybe_unused]] char *end = writeResponseHead(start, head);
    Q_ASSERT(end == start + size);
}

qsizetype writeChunkHeader(char *out, qint64 size)
{
    char digits[16];
    int n = 0;
    quint64 v = quint64(size);
    do {
        digits[sizeof digits - 1 - n] = "0123456789abcdef"[v & 15];
        v >>= 4;
        ++n;
    } while (v > 0);
    std::memcpy(out, digits + sizeof digits - n, size_t(n));
    out[n] = '\r';
    out[n + 1] = '\n';
    return n + 2;
}

void writeChunkHeader(QByteArray &out, qint64 size)
{
    char buf[kMaxChunkHeader];
    out.append(buf, writeChunkHeader(buf, size));
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
