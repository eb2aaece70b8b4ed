#pragma once

#include "core/common/expected.h"
#include "core/tls/openssl_ptr.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace portico::tls {

/// A certificate the server presents as is: a user's (`tls.certificates`,
/// `tls.stores.default.defaultCertificate`) or the generated default. Immutable, shared by
/// every engine thread.
struct ServerCertificate
{
    SharedX509 certificate;
    SharedEvpPkey key;
    std::shared_ptr<STACK_OF(X509)> chain; ///< intermediates after the leaf; may be empty
    QStringList dnsNames; ///< lower-case SAN DNS names (CN when there is none); `*.` wildcards
    QList<QByteArray> ipAddresses; ///< SAN iPAddress octets
    QString origin; ///< the file (or "inline PEM") it came from, for messages

    /// Whether it certifies `name` (lower-case host or canonical IP text): exact SAN, or a
    /// wildcard covering exactly one left-most label (RFC 6125 §6.4.3, as Go and browsers do).
    bool matches(const QString &name) const;
    /// Installs certificate, key and chain on a handshake (from a client-hello callback).
    bool useOn(SSL *ssl) const;
};

using ServerCertificatePtr = std::shared_ptr<const ServerCertificate>;

/// Loads a certificate (with any chain after it) and its key; each argument is a file path or
/// the PEM text itself, as Traefik accepts. Checks that the key belongs to the certificate.
Expected<ServerCertificatePtr> loadServerCertificate(
    const QString &certFile, const QString &keyFile);

/// Every certificate in a file path or inline PEM (CA bundles for client authentication).
Expected<QList<SharedX509>> loadCertificates(const QString &fileOrPem);

/// The certificate served when nothing else matches and no default is configured: self-signed,
/// CN `PORTICO DEFAULT CERT` (Traefik serves `TRAEFIK DEFAULT CERT` the same way), made once per
/// process. Clients are expected to reject it.
Expected<ServerCertificatePtr> generatedDefaultCertificate();

} // namespace portico::tls
