#include "core/proxy/tcp_client_hello.h"

namespace portico::proxy {

namespace {

constexpr quint8 kHandshakeRecord = 0x16; // RFC 8446 §5.1 ContentType.handshake
constexpr quint8 kSslV2Record = 0x80; // an SSLv2 hello: TLS for routing, refused by the handshake
constexpr quint32 kClientHello = 1; // RFC 8446 §4 HandshakeType.client_hello
constexpr quint32 kServerNameExtension = 0; // RFC 6066 §3
constexpr quint32 kAlpnExtension = 16; // RFC 7301 §3.1
constexpr quint32 kHostName = 0; // RFC 6066 §3 NameType.host_name
constexpr qsizetype kRecordHeader = 5;
constexpr qsizetype kHandshakeHeader = 4;
constexpr qsizetype kMaxRecord = (1 << 14) + 2048; // RFC 8446 §5.2 upper bound of a record

/// A bounds-checked big-endian reader; any overrun turns ok() false for good.
class Reader
{
public:
    explicit Reader(QByteArrayView data, bool ok = true)
        : m_data(data)
        , m_ok(ok)
    { }
    bool ok() const { return m_ok; }
    bool atEnd() const { return m_pos == m_data.size(); }
    quint32 number(int bytes)
    {
        if (!need(bytes))
            return 0;
        quint32 value = 0;
        for (int i = 0; i < bytes; ++i)
            value = (value << 8) | quint8(m_data[m_pos++]);
        return value;
    }
    QByteArrayView bytes(qsizetype n)
    {
        if (!need(n))
            return {};
        const QByteArrayView out = m_data.sliced(m_pos, n);
        m_pos += n;
        return out;
    }
    /// The content of a vector with a `lengthBytes`-byte length prefix (RFC 8446 §3.4).
    QByteArrayView vector(int lengthBytes) { return bytes(number(lengthBytes)); }
    /// The same, as a reader of its own (failing when this one failed).
    Reader sub(int lengthBytes)
    {
        const QByteArrayView content = vector(lengthBytes);
        return Reader(content, m_ok);
    }

private:
    bool need(qsizetype n)
    {
        if (!m_ok || n < 0 || m_data.size() - m_pos < n)
            m_ok = false;
        return m_ok;
    }
    QByteArrayView m_data;
    qsizetype m_pos = 0;
    bool m_ok = true;
};

/// RFC 6066 §3 ServerNameList: the host_name entry, lower-cased as Traefik canonicalises it.
bool readServerName(Reader ext, ClientHelloInfo &info)
{
    Reader list = ext.sub(2);
    while (list.ok() && !list.atEnd()) {
        const quint32 type = list.number(1);
        const QByteArrayView name = list.vector(2);
        if (list.ok() && type == kHostName && info.serverName.isEmpty())
            info.serverName = name.toByteArray().toLower();
    }
    return list.ok();
}

/// RFC 7301 §3.1 ProtocolNameList: non-empty names of at most 255 bytes.
bool readAlpn(Reader ext, ClientHelloInfo &info)
{
    Reader list = ext.sub(2);
    while (list.ok() && !list.atEnd()) {
        const QByteArrayView name = list.vector(1);
        if (list.ok() && !name.isEmpty())
            info.alpn.push_back(name.toByteArray());
    }
    return list.ok();
}

/// RFC 8446 §4.1.2 ClientHello body (also TLS 1.0-1.2 layouts, whose extensions are optional).
bool readClientHello(QByteArrayView body, ClientHelloInfo &info)
{
    Reader r(body);
    r.number(2); // legacy_version
    r.bytes(32); // random
    r.vector(1); // legacy_session_id
    r.vector(2); // cipher_suites
    r.vector(1); // legacy_compression_methods
    if (!r.ok())
        return false;
    if (r.atEnd())
        return true; // no extensions: no SNI, no ALPN
    Reader extensions = r.sub(2);
    while (extensions.ok() && !extensions.atEnd()) {
        const quint32 type = extensions.number(2);
        Reader data = extensions.sub(2);
        if (!extensions.ok())
            return false;
        if (type == kServerNameExtension && !readServerName(data, info))
            return false;
        if (type == kAlpnExtension && !readAlpn(data, info))
            return false;
    }
    return extensions.ok();
}

ClientHelloInfo tlsWithout(bool malformed)
{
    ClientHelloInfo info;
    info.status = ClientHelloInfo::Status::Tls;
    info.malformed = malformed;
    return info;
}

} // namespace

ClientHelloInfo peekClientHello(QByteArrayView bytes)
{
    ClientHelloInfo info;
    if (bytes.isEmpty())
        return info;
    const quint8 first = quint8(bytes[0]);
    if (first == kSslV2Record)
        return tlsWithout(true);
    if (first != kHandshakeRecord) {
        info.status = ClientHelloInfo::Status::Plain;
        return info;
    }
    // The handshake message may be fragmented over several records (RFC 8446 §5.1): gather the
    // fragments until the ClientHello is whole.
    QByteArray message;
    qsizetype pos = 0;
    while (true) {
        if (bytes.size() - pos < kRecordHeader)
            return bytes.size() >= kMaxClientHelloBytes ? tlsWithout(true) : info;
        const quint8 type = quint8(bytes[pos]);
        const qsizetype length = (qsizetype(quint8(bytes[pos + 3])) << 8) | quint8(bytes[pos + 4]);
        if (type != kHandshakeRecord || length == 0 || length > kMaxRecord)
            return tlsWithout(true);
        if (bytes.size() - pos - kRecordHeader < length)
            return pos + kRecordHeader + length > kMaxClientHelloBytes ? tlsWithout(true) : info;
        message.append(bytes.sliced(pos + kRecordHeader, length));
        pos += kRecordHeader + length;
        if (message.size() < kHandshakeHeader)
            continue;
        if (quint8(message[0]) != kClientHello)
            return tlsWithout(true);
        const qsizetype bodyLength = (qsizetype(quint8(message[1])) << 16)
            | (qsizetype(quint8(message[2])) << 8) | quint8(message[3]);
        if (bodyLength + kHandshakeHeader > kMaxClientHelloBytes)
            return tlsWithout(true);
        if (message.size() < kHandshakeHeader + bodyLength)
            continue;
        info.status = ClientHelloInfo::Status::Tls;
        if (!readClientHello(QByteArrayView(message).sliced(kHandshakeHeader, bodyLength), info)) {
            info = tlsWithout(true);
        }
        return info;
    }
}

} // namespace portico::proxy
