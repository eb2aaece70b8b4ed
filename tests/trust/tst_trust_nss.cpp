#include "core/tls/trust/nss_store.h"
#include "core/tls/trust/trust_operations.h"
#include "core/tls/trust/trust_stores.h"
#include "tests/trust/trust_test_util.h"
#include "tests/trust/tst_trust.h"

#include <QDir>
#include <QTest>

using namespace portico;
using namespace portico::tls;
using namespace portico::tls::testing;
using trust::StoreOutcome;

namespace {

QList<StoreOutcome> outcomes(const QList<trust::StoreResult> &results)
{
    QList<StoreOutcome> list;
    for (const auto &result : results)
        list.append(result.outcome);
    return list;
}

QString describe(const QList<trust::StoreResult> &results)
{
    QStringList lines;
    for (const auto &result : results)
        lines.append(result.toLine());
    return lines.join(QLatin1Char('\n'));
}

// A home with Chromium's shared nssdb and two Firefox profiles: one listed relative in
// profiles.ini, one found by its database only; plus a profile never started (no database).
QStringList makeBrowserHome(const QString &home)
{
    const QString firefox = home + QStringLiteral("/.mozilla/firefox");
    writeText(firefox + QStringLiteral("/profiles.ini"),
        "[Profile0]\nName=default-release\nIsRelative=1\nPath=x1.default-release\nDefault=1\n\n"
        "[Profile1]\nName=unused\nIsRelative=1\nPath=x2.unused\n\n[General]\nVersion=2\n");
    QDir().mkpath(firefox + QStringLiteral("/x2.unused"));
    const QStringList databases { home + QStringLiteral("/.pki/nssdb"),
        firefox + QStringLiteral("/x1.default-release"), firefox + QStringLiteral("/x3.copied") };
    for (const QString &dir : databases)
        createNssDatabase(dir);
    return databases;
}

trust::TrustStoreList browserStores(const QString &home)
{
    trust::StoreEnvironment environment;
    environment.home = home;
    environment.includeJava = false;
    return trust::selectStores(trust::discoverTrustStores(environment),
        { QStringLiteral("nss"), QStringLiteral("firefox") });
}

} // namespace

void TstTrust::nssStoresLifecycle()
{
    const QString home = freshDir(QStringLiteral("nss-home"));
    const QStringList databases = makeBrowserHome(home);
    const auto ca = makeCa(freshDir(QStringLiteral("nss-ca")));
    QVERIFY(ca);
    const trust::TrustedCa trusted = trustedCa(*ca);
    const trust::TrustStoreList stores = browserStores(home);
    QCOMPARE(int(stores.size()), 3);
    for (const auto &store : stores)
        QVERIFY2(store->isAvailable(), qPrintable(store->name()));

    const QList<StoreOutcome> missing(3, StoreOutcome::Missing);
    QCOMPARE(outcomes(trust::checkAll(stores, trusted)), missing);
    auto results = trust::trustAll(stores, trusted, {});
    QVERIFY2(outcomes(results) == QList<StoreOutcome>(3, StoreOutcome::Installed),
        qPrintable(describe(results)));
    QCOMPARE(outcomes(trust::checkAll(stores, trusted)),
        QList<StoreOutcome>(3, StoreOutcome::AlreadyTrusted));
    // Idempotent: a second run adds nothing, and certutil itself sees exactly one entry.
    QCOMPARE(outcomes(trust::trustAll(stores, trusted, {})),
        QList<StoreOutcome>(3, StoreOutcome::AlreadyTrusted));
    for (const QString &dir : databases) {
        QCOMPARE(nssNicknames(dir), QStringList { trusted.nickname() });
        const ToolRun attributes = runTool(QStringLiteral("certutil"),
            { QStringLiteral("-L"), QStringLiteral("-d"), QStringLiteral("sql:") + dir });
        QVERIFY2(attributes.output.contains(QStringLiteral("C,,")), qPrintable(attributes.output));
    }
    // NSS itself accepts a leaf of the CA for a TLS server (certutil -V -u V).
    const QString leaf
        = writeLeaf(*ca, QStringLiteral("app.localhost"), freshDir(QStringLiteral("nss-leaf")));
    const ToolRun added = runTool(QStringLiteral("certutil"),
        { QStringLiteral("-A"), QStringLiteral("-d"), QStringLiteral("sql:") + databases[0],
            QStringLiteral("-t"), QStringLiteral(",,"), QStringLiteral("-n"),
            QStringLiteral("leaf"), QStringLiteral("-i"), leaf });
    QCOMPARE(added.exitCode, 0);
    const ToolRun verified = runTool(QStringLiteral("certutil"),
        { QStringLiteral("-V"), QStringLiteral("-d"), QStringLiteral("sql:") + databases[0],
            QStringLiteral("-n"), QStringLiteral("leaf"), QStringLiteral("-u"),
            QStringLiteral("V") });
    QVERIFY2(verified.output.contains(QStringLiteral("certificate is valid")),
        qPrintable(verified.output));

    results = trust::untrustAll(stores, {});
    QVERIFY2(outcomes(results) == QList<StoreOutcome>(3, StoreOutcome::Removed),
        qPrintable(describe(results)));
    QCOMPARE(
        outcomes(trust::untrustAll(stores, {})), QList<StoreOutcome>(3, StoreOutcome::NotPresent));
    QCOMPARE(outcomes(trust::checkAll(stores, trusted)), missing);
    QCOMPARE(nssNicknames(databases[1]), QStringList());
    QCOMPARE(
        nssNicknames(databases[0]), QStringList { QStringLiteral("leaf") }); // others' entries stay
}

void TstTrust::nssRotationReplacesOldRoot()
{
    const QString home = freshDir(QStringLiteral("rot-home"));
    const QStringList databases = makeBrowserHome(home);
    auto ca = makeCa(freshDir(QStringLiteral("rot-ca")));
    QVERIFY(ca);
    const trust::TrustedCa oldCa = trustedCa(*ca);
    const trust::TrustStoreList stores = browserStores(home);
    // Only two of the three databases trust the old root; the rotation must not spread trust.
    QVERIFY(stores[0]->install(oldCa));
    QVERIFY(stores[1]->install(oldCa));
    QVERIFY(ca->rotate());
    const trust::TrustedCa newCa = trustedCa(*ca);
    QVERIFY(newCa.sha256 != oldCa.sha256);

    const auto results = trust::replaceEverywhere(stores, oldCa, newCa, {});
    QVERIFY2(outcomes(results) == QList<StoreOutcome>(2, StoreOutcome::Installed),
        qPrintable(describe(results)));
    QCOMPARE(nssNicknames(databases[0]), QStringList { newCa.nickname() });
    QCOMPARE(nssNicknames(databases[1]), QStringList { newCa.nickname() });
    QCOMPARE(nssNicknames(databases[2]), QStringList());

    // An old root left behind (say, restored from a backup) is still removed by untrust.
    QVERIFY(stores[2]->install(oldCa));
    QCOMPARE(
        outcomes(trust::untrustAll(stores, {})), QList<StoreOutcome>(3, StoreOutcome::Removed));
    for (const QString &dir : databases)
        QCOMPARE(nssNicknames(dir), QStringList());
}
