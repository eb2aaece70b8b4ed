#pragma once

#include "core/common/expected.h"
#include "core/tls/certificate_store.h"
#include "core/tls/local_ca.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>
#include <mutex>

namespace portico::tls {

/// How leaves are issued.
struct IssuerOptions
{
    qint64 validitySecs = 90 * 24 * 3600; ///< capped at maxLeafValidityDays
    QList<QByteArray> alpn = { QByteArrayLiteral("h2"), QByteArrayLiteral("http/1.1") };
    Clock clock; ///< empty = QDateTime::currentDateTimeUtc
};

/// Issues, caches (memory and `<ca dir>/leaves/<name>.pem`, 0600) and renews leaf certificates.
///
/// Threading: an issuer belongs to the control thread, where key generation and disk writes may
/// take their time; every method except snapshot() must be called there. Engine threads call
/// snapshot() (or receive it in a message) and read leaves and SSL_CTXs from that immutable
/// CertificateStore; a name missing from it is requested from the control thread, which issues
/// it and publishes a new snapshot.
class LeafIssuer
{
public:
    explicit LeafIssuer(LocalCa ca, IssuerOptions options = {});

    /// Loads the leaves saved by earlier runs; files that are corrupt or signed by another CA are
    /// deleted. Returns how many were loaded.
    int loadFromDisk();

    /// A leaf for `name` (SNI name or IP text) with at least a third of its life left: the cached
    /// one, or a new one issued, saved and published. Refuses non-development names up front.
    Expected<std::shared_ptr<const LeafCertificate>> certificateFor(const QString &name);

    /// Renews every cached leaf that needs it (a daily timer calls this); returns how many.
    int renewDue();

    /// The current immutable store; the only method safe to call from any thread.
    std::shared_ptr<const CertificateStore> snapshot() const;

    /// Switches to a new CA (after LocalCa::rotate) and drops every leaf of the old one,
    /// in memory and on disk.
    void replaceCa(LocalCa ca);

    /// The CA leaves are currently signed with.
    const LocalCa &ca() const { return m_ca; }
    /// `<ca dir>/leaves`.
    QString leafDirectory() const;
    /// `leaves/<name>.pem`; an IPv6 address has its colons written as `_` (valid on Windows).
    QString leafPath(const DevName &name) const;

private:
    Expected<std::shared_ptr<const LeafCertificate>> issue(const DevName &name);
    Expected<std::shared_ptr<const LeafCertificate>> withContext(LeafCertificate leaf);
    QDateTime now() const;
    void publish();

    LocalCa m_ca;
    IssuerOptions m_options;
    CertificateStore::Leaves m_leaves;
    bool m_directoryReady = false; ///< leaves/ exists with mode 0700
    mutable std::mutex m_snapshotMutex;
    std::shared_ptr<const CertificateStore> m_snapshot;
};

} // namespace portico::tls
