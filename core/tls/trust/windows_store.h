#pragma once

#include "core/tls/trust/trust_store.h"

namespace portico::tls::trust {

/// The Windows current-user Root store (what Edge, Chrome, curl's schannel and .NET trust),
/// changed through CryptoAPI; no elevation, but Windows asks the user to confirm each new root.
class WindowsStore : public TrustStore
{
public:
    QString kind() const override { return QStringLiteral("windows"); }
    QString name() const override { return QStringLiteral("Windows Root store"); }
    QString description() const override { return QStringLiteral("current user (CryptoAPI)"); }
    bool isAvailable() const override { return true; }

    Expected<bool> contains(const TrustedCa &ca) const override;
    Expected<void> install(const TrustedCa &ca) override;
    Expected<void> remove(const TrustedCa &ca) override;
    Expected<int> removeAllPortico() override;
};

} // namespace portico::tls::trust
