#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace portico::tls {

class LeafIssuer;

/// One leaf certificate a running issuer holds, as a value other threads (the GUI) can keep.
struct IssuedLeaf
{
    QString name; ///< the name it certifies: its only subjectAltName
    QDateTime notBefore; ///< UTC
    QDateTime notAfter; ///< UTC
    QString sha256; ///< upper-case hex SHA-256 of the leaf's DER
    QString issuerSha256; ///< the same of the root that signed it (empty if it is not the CA's)
    QString path; ///< `leaves/<name>.pem` where the issuer keeps it
};

/// The local CA and the leaves a running core serves, as a value: what the Certificates page
/// shows without reading the disk.
struct IssuedCertificates
{
    QString caSubject; ///< one line, `CN = Portico Local CA (...), O = Portico`
    QString caSha256; ///< upper-case hex, as trust stores display it
    QDateTime caNotBefore; ///< UTC
    QDateTime caNotAfter; ///< UTC
    QString caPath; ///< `ca.pem`
    QString permits; ///< the root's name constraints, NamePolicy::describe()
    QList<IssuedLeaf> leaves; ///< ordered by name
};

/// Describes `issuer`'s CA and current leaves; call on the issuer's thread.
IssuedCertificates describeIssued(const LeafIssuer &issuer);

} // namespace portico::tls

Q_DECLARE_METATYPE(portico::tls::IssuedCertificates)
