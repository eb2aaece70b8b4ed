#include "core/tls/trust/firefox_profiles.h"
#include "core/tls/trust/java_store.h"
#include "core/tls/trust/nss_store.h"
#include "core/tls/trust/system_store.h"
#include "core/tls/trust/trust_stores.h"

#include <QDir>
#include <QFileInfo>

namespace portico::tls::trust {

namespace {

// Chromium-family browsers create ~/.pki/nssdb on first start; when one is installed we create
// it ourselves so the CA is trusted even before that first start.
bool chromiumInstalled()
{
    for (const char *program : { "chromium", "chromium-browser", "google-chrome",
             "google-chrome-stable", "brave-browser", "microsoft-edge" }) {
        if (!findProgram(QLatin1String(program)).isEmpty())
            return true;
    }
    return false;
}

void addChromiumStores(TrustStoreList &stores, const QString &home)
{
    const QString shared = home + QStringLiteral("/.pki/nssdb");
    stores.push_back(std::make_unique<NssStore>(QStringLiteral("nss"),
        QStringLiteral("Chromium/Chrome NSS database"), shared, chromiumInstalled()));
    const QString snap = home + QStringLiteral("/snap/chromium/current/.pki/nssdb");
    if (QFileInfo::exists(snap))
        stores.push_back(std::make_unique<NssStore>(
            QStringLiteral("nss"), QStringLiteral("Chromium (snap) NSS database"), snap));
}

void addFirefoxStores(TrustStoreList &stores, const QString &home)
{
    for (const QString &profile : firefoxProfiles(firefoxProfileRoots(home))) {
        stores.push_back(std::make_unique<NssStore>(QStringLiteral("firefox"),
            QStringLiteral("Firefox profile \"%1\"").arg(QFileInfo(profile).fileName()), profile));
    }
}

} // namespace

StoreEnvironment StoreEnvironment::fromProcess()
{
    StoreEnvironment environment;
    environment.home = QDir::homePath();
    environment.javaHome = QString::fromLocal8Bit(qgetenv("JAVA_HOME"));
    return environment;
}

TrustStoreList discoverTrustStores(const StoreEnvironment &environment)
{
    TrustStoreList stores;
    stores.push_back(std::make_unique<SystemStore>(environment.systemRoot));
    addChromiumStores(stores, environment.home);
    addFirefoxStores(stores, environment.home);
    if (environment.includeJava) {
        if (auto java = JavaStore::find(environment.javaHome))
            stores.push_back(std::move(java));
    }
    return stores;
}

QStringList trustStoreKinds()
{
    return { QStringLiteral("system"), QStringLiteral("nss"), QStringLiteral("firefox"),
        QStringLiteral("java") };
}

} // namespace portico::tls::trust
