#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <vector>

namespace portico::proxy {

/// What the first bytes of a connection say, read without consuming them (Traefik's
/// clientHelloInfo): whether it is TLS and, for a ClientHello, the server name and ALPN list.
struct ClientHelloInfo
{
    enum class Status {
        NeedMore, ///< a TLS record has started but the ClientHello is not complete yet
        Plain, ///< the first byte is no TLS handshake record: plain TCP (or HTTP)
        Tls, ///< a TLS connection; serverName/alpn are filled when the hello was readable
    };
    Status status = Status::NeedMore;
    QByteArray serverName; ///< RFC 6066 §3 host_name, lower-case; empty without SNI
    std::vector<QByteArray> alpn; ///< RFC 7301 §3.1 ProtocolNameList, in the client's order
    bool malformed = false; ///< TLS, but the hello could not be parsed (treated as no SNI)
};

/// Largest ClientHello waited for (Go's maxHandshake is 64 KiB); beyond it the connection is
/// treated as TLS without a server name.
constexpr qsizetype kMaxClientHelloBytes = 64 * 1024;

/// Parses the ClientHello at the start of `bytes` (RFC 8446 §5.1 records, §4.1.2 ClientHello,
/// possibly fragmented over several records). Never reads past `bytes`; NeedMore asks for more.
ClientHelloInfo peekClientHello(QByteArrayView bytes);

} // namespace portico::proxy
