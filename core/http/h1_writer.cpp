#include "core/http/h1_writer.h"

namespace portico::http::h1 {

namespace {

void appendVersion(QByteArray &out, Version v)
{
    // We speak HTTP/1.1 on the wire; only the minor digit of an HTTP/1.0 peer is echoed back.
    out.append(v.major == 1 && v.minor == 0 ? "HTTP/1.0" : "HTTP/1.1");
}

void appendStatus(QByteArray &out, int status)
{
    const char digits[3] = { char('0' + (status / 100) % 10), char('0' + (status / 10) % 10),
        char('0' + status % 10) };
    out.append(digits, 3);
}

/// Bytes the field lines of `fields` take on the wire, so a head is serialised in one allocation.
qsizetype fieldsSize(const HeaderList &fields)
{
    qsizetype size = 2; // the blank line ending the head
    for (const HeaderField &f : fields)
        size += f.name.size() + f.value.size() + 4;
    return size;
}

} // namespace

void writeFields(QByteArray &out, const HeaderList &fields)
{
    for (const HeaderField &f : fields) {
        out.append(f.name);
        out.append(": ", 2);
        out.append(f.value);
        out.append("\r\n", 2);
    }
}

void writeRequestHead(QByteArray &out, const RequestHead &head)
{
    out.reserve(
        out.size() + head.method.size() + head.target.size() + 12 + fieldsSize(head.headers));
    out.append(head.method);
    out.append(' ');
    out.append(head.target.isEmpty() ? QByteArrayView("/") : QByteArrayView(head.target));
    out.append(" HTTP/1.1\r\n", 11);
    writeFields(out, head.headers);
    out.append("\r\n", 2);
}

void writeResponseHead(QByteArray &out, const ResponseHead &head)
{
    out.reserve(out.size() + 48 + fieldsSize(head.headers));
    appendVersion(out, head.version);
    out.append(' ');
    appendStatus(out, head.status);
    out.append(' ');
    out.append(head.reason.isEmpty() ? reasonPhrase(head.status) : head.reason);
    out.append("\r\n", 2);
    writeFields(out, head.headers);
    out.append("\r\n", 2);
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
