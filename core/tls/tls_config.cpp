#include "core/tls/tls_config.h"

namespace portico::tls {

const ServerCertificate *TlsConfig::userCertificate(const QString &name) const
{
    for (const ServerCertificatePtr &c : certificates) {
        if (c->matches(name))
            return c.get();
    }
    return nullptr;
}

CertificateChoice chooseCertificate(const TlsConfig &config, const CertificateStore *leaves,
    const NamePolicy *policy, const QString &name, bool fromSni, bool sniStrict, bool leafFailed)
{
    using Kind = CertificateChoice::Kind;
    // sniStrict refuses clients that send no server name (Traefik's TLS options docs).
    if (name.isEmpty() || (sniStrict && !fromSni))
        return { sniStrict ? Kind::Refuse : Kind::Default, nullptr, nullptr };
    if (const ServerCertificate *user = config.userCertificate(name))
        return { Kind::User, user, nullptr };
    if (leaves && policy && !leafFailed) {
        if (auto leaf = leaves->find(name)) {
            // A leaf due for renewal still serves until it expires; the caller asks for a new one.
            if (QDateTime::currentDateTimeUtc() < leaf->notAfter)
                return { Kind::Leaf, nullptr, std::move(leaf) };
        }
        const auto parsed = parseDevName(name);
        if (parsed && policy->permits(*parsed))
            return { Kind::IssueLeaf, nullptr, nullptr };
    }
    return { sniStrict ? Kind::Refuse : Kind::Default, nullptr, nullptr };
}

} // namespace portico::tls
