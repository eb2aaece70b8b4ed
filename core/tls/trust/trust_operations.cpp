#include "core/tls/trust/trust_operations.h"

namespace portico::tls::trust {

namespace {

StoreResult resultFor(const TrustStore &store, StoreOutcome outcome, QString detail = {})
{
    return { store.kind(), store.name(), store.description(), outcome, std::move(detail), 0 };
}

QString outcomeText(StoreOutcome outcome)
{
    switch (outcome) {
    case StoreOutcome::Installed:
        return QStringLiteral("installed");
    case StoreOutcome::AlreadyTrusted:
        return QStringLiteral("trusted");
    case StoreOutcome::Missing:
        return QStringLiteral("NOT trusted");
    case StoreOutcome::Removed:
        return QStringLiteral("removed");
    case StoreOutcome::NotPresent:
        return QStringLiteral("not present");
    case StoreOutcome::Unavailable:
        return QStringLiteral("not available");
    case StoreOutcome::Skipped:
        return QStringLiteral("skipped");
    case StoreOutcome::Failed:
        return QStringLiteral("FAILED");
    }
    return {};
}

// Applies the elevation decision; false when the store must be skipped.
bool prepare(TrustStore &store, const QList<Command> &commands, const Elevator &elevator)
{
    if (!store.needsElevation() || !elevator)
        return true;
    const auto prefix = elevator(store, commands);
    if (!prefix)
        return false;
    store.setElevation(*prefix);
    return true;
}

StoreResult trustOne(TrustStore &store, const TrustedCa &ca, const Elevator &elevator)
{
    auto present = store.contains(ca);
    if (!present)
        return resultFor(store, StoreOutcome::Failed, present.error().toString());
    if (*present)
        return resultFor(store, StoreOutcome::AlreadyTrusted);
    if (!prepare(store, store.plannedInstall(ca), elevator))
        return resultFor(store, StoreOutcome::Skipped, QStringLiteral("needs elevation"));
    auto installed = store.install(ca);
    store.setElevation({});
    if (!installed)
        return resultFor(store, StoreOutcome::Failed, installed.error().toString());
    return resultFor(store, StoreOutcome::Installed);
}

StoreResult untrustOne(TrustStore &store, const Elevator &elevator)
{
    const QList<Command> planned = store.plannedRemoval();
    // Nothing to remove means nothing to elevate for.
    if (store.needsElevation() && planned.isEmpty())
        return resultFor(store, StoreOutcome::NotPresent);
    if (!prepare(store, planned, elevator))
        return resultFor(store, StoreOutcome::Skipped, QStringLiteral("needs elevation"));
    auto removed = store.removeAllPortico();
    store.setElevation({});
    if (!removed)
        return resultFor(store, StoreOutcome::Failed, removed.error().toString());
    StoreResult result
        = resultFor(store, *removed > 0 ? StoreOutcome::Removed : StoreOutcome::NotPresent);
    result.count = *removed;
    return result;
}

} // namespace

QString StoreResult::toLine() const
{
    QString line = QStringLiteral("%1 — %2: %3").arg(name, description, outcomeText(outcome));
    if (outcome == StoreOutcome::Removed && count > 1)
        line += QStringLiteral(" (%1 certificates)").arg(count);
    if (!detail.isEmpty())
        line += QStringLiteral(" (%1)").arg(detail);
    return line;
}

TrustStoreList selectStores(TrustStoreList stores, const QStringList &kinds)
{
    if (kinds.isEmpty())
        return stores;
    TrustStoreList selected;
    for (auto &store : stores) {
        if (kinds.contains(store->kind()))
            selected.push_back(std::move(store));
    }
    return selected;
}

QList<StoreResult> trustAll(
    const TrustStoreList &stores, const TrustedCa &ca, const Elevator &elevator)
{
    QList<StoreResult> results;
    for (const auto &store : stores) {
        if (!store->isAvailable())
            results.append(
                resultFor(*store, StoreOutcome::Unavailable, store->unavailableReason()));
        else
            results.append(trustOne(*store, ca, elevator));
    }
    return results;
}

QList<StoreResult> checkAll(const TrustStoreList &stores, const TrustedCa &ca)
{
    QList<StoreResult> results;
    for (const auto &store : stores) {
        if (!store->isAvailable()) {
            results.append(
                resultFor(*store, StoreOutcome::Unavailable, store->unavailableReason()));
            continue;
        }
        auto present = store->contains(ca);
        if (!present)
            results.append(resultFor(*store, StoreOutcome::Failed, present.error().toString()));
        else
            results.append(
                resultFor(*store, *present ? StoreOutcome::AlreadyTrusted : StoreOutcome::Missing));
    }
    return results;
}

QList<StoreResult> untrustAll(const TrustStoreList &stores, const Elevator &elevator)
{
    QList<StoreResult> results;
    for (const auto &store : stores) {
        if (!store->isAvailable())
            results.append(
                resultFor(*store, StoreOutcome::Unavailable, store->unavailableReason()));
        else
            results.append(untrustOne(*store, elevator));
    }
    return results;
}

QList<StoreResult> replaceEverywhere(const TrustStoreList &stores, const TrustedCa &oldCa,
    const TrustedCa &newCa, const Elevator &elevator)
{
    QList<StoreResult> results;
    for (const auto &store : stores) {
        if (!store->isAvailable())
            continue;
        auto held = store->contains(oldCa);
        if (!held || !*held)
            continue; // never trusted here: a rotation does not spread trust to new places
        StoreResult result = trustOne(*store, newCa, elevator);
        if (result.outcome == StoreOutcome::Installed
            || result.outcome == StoreOutcome::AlreadyTrusted) {
            if (prepare(*store, store->plannedRemoval(), elevator)) {
                if (auto removed = store->remove(oldCa); !removed)
                    result = resultFor(*store, StoreOutcome::Failed,
                        QStringLiteral("old root kept: %1").arg(removed.error().toString()));
                store->setElevation({});
            }
        }
        results.append(result);
    }
    return results;
}

bool allSucceeded(const QList<StoreResult> &results)
{
    for (const StoreResult &result : results) {
        if (result.outcome == StoreOutcome::Failed || result.outcome == StoreOutcome::Skipped
            || result.outcome == StoreOutcome::Missing)
            return false;
    }
    return true;
}

} // namespace portico::tls::trust
