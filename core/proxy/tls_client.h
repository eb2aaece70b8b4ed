#pragma once

#include <QByteArray>
#include <QStringList>

typedef struct ssl_st SSL;

namespace portico::config {
struct ServersTransportSpec;
}

namespace portico::proxy {

/// A new OpenSSL client session for an https upstream: SNI `host` when `sni`, and with `verify`
/// the chain is checked against the system roots and the name against `host` (RFC 6125).
/// nullptr (with `error` set) when OpenSSL cannot create it.
SSL *newTlsClientSession(const QByteArray &host, bool sni, bool verify, QByteArray *error);

/// The application protocols an upstream TLS connection offers (ALPN, RFC 7301).
enum class AlpnOffer {
    Http1, ///< `http/1.1` only: the server is known to speak HTTP/1.1 here
    H2OrHttp1, ///< `h2,http/1.1`: the server picks (RFC 9113 §3.2)
};

/// Applies serversTransport to a session from newTlsClientSession() before its handshake: the
/// ALPN offer and, when `rootCAs` is set, a trust store of only those CAs (as Traefik's rootCAs
/// replace the system pool). A CA that cannot be read is logged and trusts nothing, so the
/// handshake fails (502) rather than falling back to the system roots. Null `ssl`: no-op.
void prepareUpstreamTls(SSL *ssl, const config::ServersTransportSpec &transport, AlpnOffer offer);

/// True when the finished handshake of `ssl` selected `h2` by ALPN.
bool negotiatedH2(const SSL *ssl);

/// The last OpenSSL error of this thread as text (and clears the queue).
QByteArray takeTlsErrors();

} // namespace portico::proxy
