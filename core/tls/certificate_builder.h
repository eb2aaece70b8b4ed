#pragma once

#include "core/common/expected.h"
#include "core/tls/openssl_ptr.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

namespace portico::tls {

/// A fresh ECDSA P-256 key (RFC 5480): accepted by every browser, cheap to make and to sign with.
Expected<EvpPkeyPtr> generateKey();

/// A positive random 128-bit serial (RFC 5280 §4.1.2.2 allows up to 20 octets).
Expected<Asn1IntegerPtr> randomSerial();

/// An X.509 name from (short attribute name, UTF-8 value) pairs, e.g. {"CN", "Portico"}.
Expected<X509NamePtr> makeName(const QList<QPair<QByteArray, QString>> &attributes);

/// What a new certificate says about itself before extensions are added.
struct CertificateFields
{
    EVP_PKEY *subjectKey = nullptr; ///< public half goes into the certificate
    X509_NAME *subject = nullptr;
    X509_NAME *issuer = nullptr; ///< the subject again for a self-signed root
    QDateTime notBefore;
    QDateTime notAfter;
};

/// A v3 certificate with serial, names, validity and public key set, not yet signed.
Expected<X509Ptr> newCertificate(const CertificateFields &fields);

/// Adds an extension written in OpenSSL's config syntax (`critical,CA:TRUE`, `hash`,
/// `keyid:always`); `issuer` is the signing certificate, the certificate itself for a root.
Expected<void> addConfExtension(X509 *certificate, X509 *issuer, int nid, const char *value);

/// Adds an extension from its decoded structure (GENERAL_NAMES, NAME_CONSTRAINTS, ...).
Expected<void> addExtension(X509 *certificate, int nid, void *value, bool critical);

/// Signs with SHA-256 (ECDSA with SHA-256, RFC 5758 §3.2).
Expected<void> signCertificate(X509 *certificate, EVP_PKEY *key);

/// A dNSName general name, or null when out of memory.
GeneralNamePtr dnsGeneralName(const QByteArray &name);
/// An iPAddress general name from raw octets (4/16 for a host, 8/32 for a constraint).
GeneralNamePtr ipGeneralName(const QByteArray &octets);

/// An ASN.1 time as UTC; invalid when it cannot be read.
QDateTime toDateTime(const ASN1_TIME *time);

/// The DER bytes of a certificate (for comparisons and fingerprints).
QByteArray toDer(X509 *certificate);

} // namespace portico::tls
