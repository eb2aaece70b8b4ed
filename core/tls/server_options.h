#pragma once

#include "core/common/expected.h"
#include "core/config/dynamic_spec.h"
#include "core/tls/openssl_ptr.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace portico::tls {

/// The ALPN protocols the proxy can speak after a handshake, in server preference order. The
/// one place to add `h2` once HTTP/2 is served: user lists are filtered against it, so a
/// protocol is never negotiated that no connection class understands.
QList<QByteArray> supportedAlpnProtocols();

/// A compiled `tls.options.<name>`: the parameters applied to each handshake that uses it.
struct ServerOptions
{
    QString name; ///< qualified, `default` for the default options
    /// Carries what OpenSSL reads from the SSL's context during a handshake: the ALPN choice,
    /// the client CA list and the store client certificates are verified against.
    SharedSslCtx context;
    int minVersion = 0; ///< TLS1_2_VERSION, ...
    int maxVersion = 0; ///< 0 = newest
    QByteArray cipherList; ///< OpenSSL names for TLS ≤ 1.2; empty = OpenSSL's default
    QByteArray groups; ///< `P-256:X25519`; empty = OpenSSL's default
    int verifyMode = 0; ///< SSL_VERIFY_* for client certificates
    bool verifyClientChain = false; ///< false: a client certificate is requested, not checked
    bool sniStrict = false;
    QList<QByteArray> alpn; ///< what is offered, in preference order

    /// Applies versions, ciphers, groups and client-certificate checks to one handshake (after
    /// SSL_set_SSL_CTX to `context`, which does not copy them).
    void applyTo(SSL *ssl) const;
};

using ServerOptionsPtr = std::shared_ptr<const ServerOptions>;

/// Compiles options in Traefik's spelling (`VersionTLS12`, Go cipher-suite and curve names);
/// `helloCallback` is installed on the context so handshakes that start from it can pick their
/// certificate. Errors carry the offending field in `where.path`.
Expected<ServerOptionsPtr> compileServerOptions(const QString &qualifiedName,
    const config::TlsOptionsSpec &spec, SSL_client_hello_cb_fn helloCallback);

} // namespace portico::tls
