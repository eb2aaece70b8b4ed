#include "core/tls/trust/firefox_profiles.h"
#include "core/tls/trust/java_store.h"
#include "core/tls/trust/nss_store.h"
#include "core/tls/trust/trust_stores.h"
#include "core/tls/trust/windows_store.h"

#include <QFileInfo>

namespace portico::tls::trust {

StoreEnvironment StoreEnvironment::fromProcess()
{
    StoreEnvironment environment;
    environment.home
        = QString::fromLocal8Bit(qgetenv("APPDATA")).replace(QLatin1Char('\\'), QLatin1Char('/'));
    environment.javaHome = QString::fromLocal8Bit(qgetenv("JAVA_HOME"));
    return environment;
}

TrustStoreList discoverTrustStores(const StoreEnvironment &environment)
{
    TrustStoreList stores;
    stores.push_back(std::make_unique<WindowsStore>());
    // Firefox profiles need certutil (not shipped with Firefox on Windows); without it they are
    // listed as unavailable, and Firefox's enterprise-roots import of the Windows store applies.
    for (const QString &profile : firefoxProfiles(firefoxProfileRoots(environment.home))) {
        stores.push_back(std::make_unique<NssStore>(QStringLiteral("firefox"),
            QStringLiteral("Firefox profile \"%1\"").arg(QFileInfo(profile).fileName()), profile));
    }
    if (environment.includeJava) {
        if (auto java = JavaStore::find(environment.javaHome))
            stores.push_back(std::move(java));
    }
    return stores;
}

QStringList trustStoreKinds()
{
    return { QStringLiteral("windows"), QStringLiteral("firefox"), QStringLiteral("java") };
}

} // namespace portico::tls::trust
