#pragma once

#include "core/tls/dev_names.h"
#include "core/tls/leaf_issuer.h"
#include "core/tls/local_ca.h"
#include "core/tls/openssl_ptr.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <initializer_list>

namespace portico::tls::testing {

/// What `openssl verify` said about a certificate.
struct OpensslVerdict
{
    int exitCode = -1;
    QString output; ///< stdout and stderr merged
};

/// Runs the real `openssl verify -CAfile <ca> -purpose sslserver [-verify_hostname|-verify_ip
/// <name>] <leaf>`; `name` empty checks chain and constraints only. Fails the test when openssl
/// cannot be started.
OpensslVerdict opensslVerify(
    const QString &caPath, X509 *leaf, const QString &name, const QString &scratchDir);

/// X509_verify_cert with only `ca` trusted, purpose sslserver and, when given, the host or IP
/// checked; returns X509_V_OK or the error code.
int verifyInProcess(X509 *ca, X509 *leaf, const QString &name);

/// Signs a leaf with the CA key directly, bypassing every check of LeafIssuer, with these DNS/IP
/// SANs (none = no SAN extension) and an optional CN — the certificate a thief would mint.
/// `keyOut`, when given, receives the leaf's private key.
X509Ptr forgeLeaf(const LocalCa &ca, const QStringList &dnsNames, const QList<QByteArray> &ips,
    const QString &commonName, EvpPkeyPtr *keyOut = nullptr);

/// Outcome of an in-memory TLS handshake.
struct Handshake
{
    bool completed = false;
    long verifyResult = -1; ///< client's view of the server certificate
    QByteArray alpn; ///< negotiated protocol, empty when none
    QByteArray version; ///< "TLSv1.3", ...
    QString error;
};

/// Handshakes a client trusting only `ca` against a server SSL on `server`, through a BIO pair.
/// `name` is sent as SNI (DNS names only) and verified (host or IP).
Handshake handshake(SSL_CTX *server, X509 *ca, const QString &name,
    const QList<QByteArray> &clientAlpn, int clientMaxVersion);

/// A QStringList from ASCII literals (QT_NO_CAST_FROM_ASCII forbids the implicit conversion).
QStringList strings(std::initializer_list<const char *> items);

/// Whether the certificate has the extension and whether it is critical (-1 when absent).
int criticality(X509 *certificate, int nid);

constexpr qint64 day = 24 * 3600;

/// The leaf for `name`, failing the current test (and returning null) when issuance fails.
std::shared_ptr<const LeafCertificate> mustIssue(LeafIssuer &issuer, const QString &name);

} // namespace portico::tls::testing
