#pragma once

#include "core/common/expected.h"
#include "core/tls/dev_names.h"
#include "core/tls/openssl_ptr.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace portico::tls {

class LocalCa;

/// One issued server certificate and its key; immutable once built, shared across threads.
struct LeafCertificate
{
    DevName name;
    SharedX509 certificate;
    SharedEvpPkey key;
    QDateTime notBefore;
    QDateTime notAfter;
    SharedSslCtx context; ///< server context for this name (makeServerContext), may be null

    /// True once less than a third of the lifetime is left (or it has expired): renew then, as
    /// ACME clients do, so a leaf is never close to expiry when a browser sees it.
    bool needsRenewal(const QDateTime &now) const;
    /// Key and certificate as one PEM document (the on-disk form).
    Expected<QByteArray> toPem() const;
};

/// Longest leaf validity Portico issues: Apple and the CA/Browser Forum cap TLS server
/// certificates at 398 days; a day of margin for clock skew.
constexpr int maxLeafValidityDays = 397;

/// Signs a new leaf for `name` with the CA: fresh P-256 key, SAN = exactly that name, EKU
/// serverAuth, AKI/SKI, valid from `now` - 1 h for `validitySecs` (capped at 397 days).
/// The name is checked against the CA's policy first.
Expected<LeafCertificate> issueLeaf(
    const LocalCa &ca, const DevName &name, const QDateTime &now, qint64 validitySecs);

/// Reads a leaf back from its PEM (key + certificate), checking the pair matches, the CA signed
/// it and its subjectAltName carries a development name.
Expected<LeafCertificate> leafFromPem(
    const QByteArray &pem, const QString &origin, const LocalCa &ca);

} // namespace portico::tls
