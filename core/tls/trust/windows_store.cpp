#include "core/tls/trust/windows_store.h"

#include "core/tls/trust/windows_root_store.h"

namespace portico::tls::trust {

namespace {

win::Der toDer(const TrustedCa &ca)
{
    return win::Der(ca.der.cbegin(), ca.der.cend());
}

Error storeError(const win::RootStoreResult &result)
{
    return Error {
        QStringLiteral("windows root store: %1").arg(QString::fromStdString(result.error)), {}, {}
    };
}

} // namespace

Expected<bool> WindowsStore::contains(const TrustedCa &ca) const
{
    const auto result = win::currentUserRootContains(toDer(ca));
    if (!result.error.empty())
        return storeError(result);
    return result.present;
}

Expected<void> WindowsStore::install(const TrustedCa &ca)
{
    const auto result = win::currentUserRootAdd(toDer(ca));
    if (!result.error.empty())
        return storeError(result); // includes the user declining the confirmation dialog
    return {};
}

Expected<void> WindowsStore::remove(const TrustedCa &ca)
{
    const auto result = win::currentUserRootRemove(toDer(ca));
    if (!result.error.empty())
        return storeError(result);
    return {};
}

Expected<int> WindowsStore::removeAllPortico()
{
    const auto result
        = win::currentUserRootRemoveBySubjectPrefix(nicknamePrefix().trimmed().toStdString());
    if (!result.error.empty())
        return storeError(result);
    return result.count;
}

} // namespace portico::tls::trust
