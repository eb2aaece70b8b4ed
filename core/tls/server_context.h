#pragma once

#include "core/common/expected.h"
#include "core/tls/openssl_ptr.h"

#include <QByteArray>
#include <QList>

namespace portico::tls {

struct LeafCertificate;

/// Encodes ALPN protocol names as the RFC 7301 §3.1 wire list (length-prefixed, in order).
QByteArray alpnWireList(const QList<QByteArray> &protocols);

/// Makes `ctx` choose ALPN by the server's order of `protocols` (no ALPN when the client offers
/// none of them); the wire list lives as long as the context.
Expected<void> setServerAlpn(SSL_CTX *ctx, const QList<QByteArray> &protocols);

/// A server-side SSL_CTX presenting `leaf`: TLS 1.2 and 1.3 only, OpenSSL's default ciphers,
/// ALPN chosen by the server's order of `alpn` (no ALPN when the client offers none of them).
/// Engines may share it across threads (SSL_new on one SSL_CTX is thread-safe) or switch to it
/// from a servername callback with SSL_set_SSL_CTX.
Expected<SslCtxPtr> makeServerContext(const LeafCertificate &leaf, const QList<QByteArray> &alpn);

} // namespace portico::tls
