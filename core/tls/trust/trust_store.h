#pragma once

#include "core/common/expected.h"
#include "core/tls/trust/command_runner.h"
#include "core/tls/trust/trusted_ca.h"

#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace portico::tls::trust {

/// One place a client looks up trusted roots: the OS store, an NSS database, a Java keystore.
/// Every method is idempotent: installing twice or removing what is absent succeeds.
class TrustStore
{
public:
    virtual ~TrustStore() = default;

    /// Short stable name for `--store` and result lines: `system`, `nss`, `firefox`, `java`,
    /// `windows`.
    virtual QString kind() const = 0;
    /// What this store is, for people: `Firefox profile "default-release"`.
    virtual QString name() const = 0;
    /// Where it lives and through which tool: `sql:/home/a/.pki/nssdb (certutil)`.
    virtual QString description() const = 0;
    /// Whether the store and the tool to change it exist on this machine.
    virtual bool isAvailable() const = 0;
    /// Why isAvailable() is false (`certutil not found; install libnss3-tools`), else empty.
    virtual QString unavailableReason() const { return {}; }
    /// Whether changing it needs rights this process lacks (root for the system store).
    virtual bool needsElevation() const { return false; }

    /// Whether `ca` (by SHA-256 fingerprint) is trusted by this store.
    virtual Expected<bool> contains(const TrustedCa &ca) const = 0;
    /// Adds `ca` as a trusted root; nothing to do when it is already there.
    virtual Expected<void> install(const TrustedCa &ca) = 0;
    /// Removes `ca`; nothing to do when it is absent.
    virtual Expected<void> remove(const TrustedCa &ca) = 0;
    /// Removes every Portico CA, current and rotated (found by nickname, file name or alias);
    /// returns how many were removed.
    virtual Expected<int> removeAllPortico() = 0;

    /// The commands install(ca) would run, to tell the user before elevating.
    virtual QList<Command> plannedInstall(const TrustedCa &) const { return {}; }
    /// The commands removeAllPortico() would run, to tell the user before elevating.
    virtual QList<Command> plannedRemoval() const { return {}; }

    /// Runs this store's commands through `prefix` (`sudo`, `pkexec`) from now on.
    void setElevation(const QStringList &prefix) { m_runner.setElevation(prefix); }

protected:
    CommandRunner m_runner;
};

using TrustStoreList = std::vector<std::unique_ptr<TrustStore>>;

} // namespace portico::tls::trust
