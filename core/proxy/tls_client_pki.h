#pragma once

// Internal to core/proxy: the certificates an upstream TLS client trusts and presents
// (serversTransport rootCAs and certificates), read once per distinct setting and shared by
// every engine thread.

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <openssl/ssl.h>

namespace portico::config {
struct ClientCertificateSpec;
}

namespace portico::proxy::pki {

/// PEM text of one rootCAs/certFile/keyFile entry: inline PEM as is, else the file's content;
/// empty when the file cannot be read.
QByteArray readPem(const QString &entry);

/// The trust store of a rootCAs list, built once per distinct list and kept for the process
/// (X509_STORE is safe for concurrent verification). An unreadable entry is logged.
X509_STORE *rootCaStore(const QStringList &rootCAs);

/// A client certificate chain and its private key, loaded once per (certFile, keyFile).
struct ClientIdentity
{
    X509 *certificate = nullptr;
    STACK_OF(X509) *chain = nullptr; ///< intermediates after the leaf, may be empty
    EVP_PKEY *key = nullptr;
};

/// The identity of `spec`, or nullptr (with `error` set) when it cannot be loaded or the key
/// does not belong to the certificate.
const ClientIdentity *clientIdentity(const config::ClientCertificateSpec &spec, QString *error);

/// Whether `certificate` carries `uri` as a subjectAltName URI entry (RFC 5280 §4.2.1.6).
bool hasUriSan(X509 *certificate, const QByteArray &uri);

} // namespace portico::proxy::pki
