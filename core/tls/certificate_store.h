#pragma once

#include "core/tls/leaf_certificate.h"

#include <QHash>
#include <QString>

#include <memory>

namespace portico::tls {

/// An immutable snapshot of issued leaves by name. Engine threads hold a
/// `std::shared_ptr<const CertificateStore>` and only read it; the issuer publishes a new
/// snapshot for every change, so a handshake never sees a half-updated map.
class CertificateStore
{
public:
    using Leaves = QHash<QString, std::shared_ptr<const LeafCertificate>>;

    CertificateStore() = default;
    explicit CertificateStore(Leaves leaves)
        : m_leaves(std::move(leaves))
    { }

    /// The leaf for an SNI name or IP text (any case, trailing dot allowed); null when none.
    std::shared_ptr<const LeafCertificate> find(const QString &name) const;
    /// The server context for a name, or null: what a servername callback hands to
    /// SSL_set_SSL_CTX. It stays valid while this snapshot is alive.
    SSL_CTX *context(const QString &name) const;

    /// How many names have a leaf.
    qsizetype size() const { return m_leaves.size(); }
    /// Every leaf by canonical name.
    const Leaves &leaves() const { return m_leaves; }

private:
    Leaves m_leaves;
};

} // namespace portico::tls
