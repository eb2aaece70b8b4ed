#pragma once

#include "core/tls/certificate_store.h"
#include "core/tls/dev_names.h"
#include "core/tls/server_certificate.h"
#include "core/tls/server_options.h"

#include <QString>

#include <map>
#include <memory>
#include <vector>

namespace portico::tls {

/// The compiled dynamic `tls` section: user certificates, the default certificate and every TLS
/// options set. Built on the control thread with each routing table; immutable afterwards.
struct TlsConfig
{
    std::vector<ServerCertificatePtr> certificates; ///< `tls.certificates`, in order
    ServerCertificatePtr defaultCertificate; ///< configured, else generated; never null
    std::map<QString, ServerOptionsPtr> options; ///< by qualified name; `default` always present

    /// The `default` options.
    const ServerOptionsPtr &defaultOptions() const { return options.at(QStringLiteral("default")); }
    /// The first user certificate for `name` (lower-case host or canonical IP), or null.
    const ServerCertificate *userCertificate(const QString &name) const;
};

using TlsConfigPtr = std::shared_ptr<const TlsConfig>;

/// Which certificate a handshake presents, decided from its server name.
struct CertificateChoice
{
    enum class Kind {
        User, ///< a `tls.certificates` entry covers the name
        Leaf, ///< the local CA's leaf for the development name
        IssueLeaf, ///< a development name without a leaf yet: request one, then decide again
        Default, ///< nothing matches: the default certificate
        Refuse, ///< sniStrict and nothing matches: abort the handshake
    };
    Kind kind = Kind::Default;
    const ServerCertificate *user = nullptr;
    std::shared_ptr<const LeafCertificate> leaf;
};

/// Traefik's order, with the local CA in the middle: a user certificate whose SAN matches,
/// then the CA's on-demand leaf for a development name the CA may certify (`leafFailed`: its
/// issuance failed, skip it), then the default certificate, or Refuse under `sniStrict`.
/// `name` is the SNI, or the local address text when the client sent none (`fromSni` false).
CertificateChoice chooseCertificate(const TlsConfig &config, const CertificateStore *leaves,
    const NamePolicy *policy, const QString &name, bool fromSni, bool sniStrict, bool leafFailed);

} // namespace portico::tls
