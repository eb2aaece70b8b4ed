#pragma once

#include "core/common/expected.h"
#include "core/tls/openssl_ptr.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace portico::tls {

/// One name a leaf is issued for: an exact DNS name or an IP literal, in canonical form.
struct DevName
{
    QString text; ///< lower-case DNS name without trailing dot, or canonical IP text (RFC 5952)
    QByteArray ipOctets; ///< 4 or 16 bytes for an IP literal, empty for a DNS name

    /// Whether this is an IP literal rather than a DNS name.
    bool isIp() const { return !ipOctets.isEmpty(); }
};

/// Parses an SNI host name or an IP literal (`[::1]` accepted) into canonical form; rejects
/// wildcards, because browsers refuse `*.localhost` and Portico issues one leaf per exact name.
Expected<DevName> parseDevName(const QString &raw);

/// Canonical text of a 4- or 16-byte address (RFC 5952 §4 for IPv6).
QString ipToText(const QByteArray &octets);

/// The suffixes always permitted: `localhost` (RFC 6761 §6.3) and `test` (RFC 6761 §6.2).
QStringList builtinDevSuffixes();

/// Checks one `tls.extraSuffixes` entry (`internal`, `.dev.corp`, `*.lan`) and returns it
/// lower-case without leading `*.`/`.`; only letters, digits and hyphens are allowed.
Expected<QString> parseDevSuffix(const QString &raw);

/// The names Portico's CA may certify; mirrors the permitted subtrees of its X.509 Name
/// Constraints (RFC 5280 §4.2.1.10), so the up-front check and the certificate agree.
class NamePolicy
{
public:
    /// One permitted iPAddress subtree: address and mask of equal length (4 or 16 bytes).
    struct IpRange
    {
        QByteArray address;
        QByteArray mask;
    };

    /// Built-in plus extra suffixes (already checked by parseDevSuffix), 127.0.0.0/8 and ::1/128.
    static NamePolicy forSuffixes(const QStringList &extraSuffixes);
    /// The permitted subtrees of a certificate's name constraints; nullopt when it has none.
    static std::optional<NamePolicy> fromCertificate(X509 *certificate);

    /// Whether a leaf for this name would satisfy the constraints.
    bool permits(const DevName &name) const;
    /// permits() as an Error naming what is allowed and how to allow more.
    Expected<void> check(const DevName &name) const;
    /// The DER-ready extension value: each suffix `s` as both `s` and `.s` (see .cpp), then IPs.
    Expected<NameConstraintsPtr> toNameConstraints() const;

    /// Permitted DNS constraints as stored, e.g. `localhost`, `.localhost`, `test`, `.test`.
    const QStringList &dnsConstraints() const { return m_dnsConstraints; }
    /// Permitted iPAddress subtrees.
    const QList<IpRange> &ipRanges() const { return m_ipRanges; }
    /// Human summary: `localhost, *.localhost, *.test, 127.0.0.0/8, ::1`.
    QString describe() const;

private:
    QStringList m_dnsConstraints;
    QList<IpRange> m_ipRanges;
};

} // namespace portico::tls
