#include "core/tls/certificate_store.h"

namespace portico::tls {

std::shared_ptr<const LeafCertificate> CertificateStore::find(const QString &name) const
{
    // Fast path: engines pass the SNI as sent, which browsers already send in lower case.
    if (const auto it = m_leaves.constFind(name); it != m_leaves.cend())
        return *it;
    auto parsed = parseDevName(name);
    if (!parsed)
        return nullptr;
    return m_leaves.value(parsed->text);
}

SSL_CTX *CertificateStore::context(const QString &name) const
{
    const auto leaf = find(name);
    return leaf ? leaf->context.get() : nullptr;
}

} // namespace portico::tls
