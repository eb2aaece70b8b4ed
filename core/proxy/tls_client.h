#pragma once

#include "core/common/expected.h"

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
/// ALPN offer; `serverName` as SNI and verified name instead of the URL's host; when `rootCAs`
/// is set, a trust store of only those CAs (as Traefik's rootCAs replace the system pool); the
/// first of `certificates` as client certificate; `peerCertURI` checked instead of the name.
/// A CA or certificate that cannot be read is logged and trusts/presents nothing, so the
/// handshake fails (502) rather than falling back silently. `transport` must outlive `ssl`.
/// Null `ssl`: no-op.
void prepareUpstreamTls(SSL *ssl, const config::ServersTransportSpec &transport, AlpnOffer offer);

/// Whether connections through `transport` verify the server certificate: unless
/// insecureSkipVerify, and always with peerCertURI (Traefik checks the URI and the chain).
bool verifiesPeer(const config::ServersTransportSpec &transport);

/// Reads the transport's rootCAs and client certificates as prepareUpstreamTls will, so a
/// configuration can name the unreadable file up front. The Error's `where.path` is the field
/// (`rootCAs`, `certificates`).
Expected<void> checkUpstreamTls(const config::ServersTransportSpec &transport);

/// Logs a failed upstream handshake with a hint at the serversTransport field that fixes it: a
/// CA, name or client certificate that does not fit is a configuration problem the user must see
/// next to the 502 (an error the first time a message occurs, debug afterwards).
void logUpstreamTlsFailure(const QString &host, quint16 port, const QByteArray &error,
    const config::ServersTransportSpec &transport);

/// True when the finished handshake of `ssl` selected `h2` by ALPN.
bool negotiatedH2(const SSL *ssl);

/// The last OpenSSL error of this thread as text (and clears the queue).
QByteArray takeTlsErrors();

} // namespace portico::proxy
