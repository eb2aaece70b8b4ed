#pragma once

#include "core/tls/trust/trust_store.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace portico::tls::trust {

/// What happened to one store.
enum class StoreOutcome {
    Installed, ///< trust: added now
    AlreadyTrusted, ///< trust: was there; --check: present
    Missing, ///< --check: available but without the CA
    Removed, ///< untrust: removed (StoreResult::count entries)
    NotPresent, ///< untrust: nothing of Portico's was there
    Unavailable, ///< the store or its tool is not on this machine
    Skipped, ///< needed elevation that was declined or impossible
    Failed, ///< the tool failed; StoreResult::detail says how
};

/// One result line of `portico trust`, `untrust` or `trust --check`.
struct StoreResult
{
    QString kind;
    QString name;
    QString description;
    StoreOutcome outcome = StoreOutcome::Failed;
    QString detail; ///< error text, unavailability reason or what to run by hand
    int count = 0; ///< untrust: entries removed

    /// `  ✓ system store — /usr/local/share/ca-certificates (update-ca-certificates): installed`
    QString toLine() const;
};

/// Decides how a store that needs elevation is changed: returns the prefix to run its commands
/// with (`{"sudo"}`), or nullopt to skip it (the callback tells the user what to run instead).
using Elevator = std::function<std::optional<QStringList>(
    const TrustStore &store, const QList<Command> &commands)>;

/// Keeps only stores whose kind() is in `kinds` (all when empty).
TrustStoreList selectStores(TrustStoreList stores, const QStringList &kinds);

/// Installs `ca` in every available store, elevating through `elevator` where needed.
QList<StoreResult> trustAll(
    const TrustStoreList &stores, const TrustedCa &ca, const Elevator &elevator);
/// Whether each store holds `ca`.
QList<StoreResult> checkAll(const TrustStoreList &stores, const TrustedCa &ca);
/// Removes every Portico CA (current and rotated) from every available store.
QList<StoreResult> untrustAll(const TrustStoreList &stores, const Elevator &elevator);
/// After a rotation: in each store that held `oldCa`, installs `newCa` and removes `oldCa`.
QList<StoreResult> replaceEverywhere(const TrustStoreList &stores, const TrustedCa &oldCa,
    const TrustedCa &newCa, const Elevator &elevator);

/// Whether every result is a success (for the exit code); Unavailable counts as success.
bool allSucceeded(const QList<StoreResult> &results);

} // namespace portico::tls::trust
