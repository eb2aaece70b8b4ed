#include "tests/trust/tst_trust.h"

#include "core/tls/ca_environment.h"
#include "core/tls/pem_file.h"
#include "core/tls/trust/firefox_profiles.h"
#include "core/tls/trust/java_store.h"
#include "core/tls/trust/nss_store.h"
#include "tests/trust/trust_test_util.h"

#include <QDir>
#include <QFileInfo>
#include <QTest>

using namespace portico;
using namespace portico::tls;
using namespace portico::tls::testing;

void TstTrust::initTestCase()
{
    QVERIFY(m_scratch.isValid());
    // Nothing may reach the real user's stores or CA.
    qputenv("PORTICO_HOME", QFile::encodeName(m_scratch.filePath(QStringLiteral("portico-home"))));
    qputenv("HOME", QFile::encodeName(m_scratch.filePath(QStringLiteral("home"))));
    QDir().mkpath(m_scratch.filePath(QStringLiteral("home")));
}

QString TstTrust::freshDir(const QString &name) const
{
    const QString path = m_scratch.filePath(name);
    QDir(path).removeRecursively();
    QDir().mkpath(path);
    return path;
}

void TstTrust::parseCertutilList_data()
{
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QStringList>("nicknames");
    const QByteArray header
        = "\nCertificate Nickname                                         Trust Attributes\n"
          "                                                             SSL,S/MIME,JAR/XPI\n\n";
    QTest::newRow("empty database") << header << QStringList();
    QTest::newRow("nickname with spaces")
        << header + "Portico Local CA 0123456789ABCDEF                            C,,  \n"
        << strings({ "Portico Local CA 0123456789ABCDEF" });
    QTest::newRow("several, mixed trust") << header
            + "a                                                            CT,C,C\n"
              "My Corp Root                                                 ,,   \n"
                                          << strings({ "a", "My Corp Root" });
}

void TstTrust::parseCertutilList()
{
    QFETCH(QByteArray, output);
    QFETCH(QStringList, nicknames);
    QCOMPARE(trust::parseCertutilList(output), nicknames);
}

void TstTrust::parseKeytoolList()
{
    const QByteArray output
        = "Keystore type: JKS\nKeystore provider: SUN\n\nYour keystore contains 2 entries\n\n"
          "debian:ac_raiz.pem, Jun 24, 2025, trustedCertEntry, \n"
          "Certificate fingerprint (SHA-256): EB:C5:57:0C\n"
          "portico-local-ca-0123456789abcdef, Nov 29, 2026, trustedCertEntry,\n"
          "Certificate fingerprint (SHA-256): 0a:0B:0c\n";
    const auto entries = trust::parseKeytoolList(output);
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries[0].first, QStringLiteral("debian:ac_raiz.pem"));
    QCOMPARE(entries[0].second, QStringLiteral("EBC5570C"));
    QCOMPARE(entries[1].first, QStringLiteral("portico-local-ca-0123456789abcdef"));
    QCOMPARE(entries[1].second, QStringLiteral("0A0B0C"));
}

void TstTrust::firefoxProfiles_data()
{
    QTest::addColumn<QByteArray>("ini");
    QTest::addColumn<QStringList>(
        "withDatabase"); // profile dirs (relative to root) given a cert9.db
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("relative profile from profiles.ini")
        << QByteArray("[Install4F96D1932A9F858E]\nDefault=abc.default-release\n\n"
                      "[Profile0]\nName=default-release\nIsRelative=1\nPath=abc.default-release\n\n"
                      "[General]\nStartWithLastProfile=1\nVersion=2\n")
        << strings({ "abc.default-release" }) << strings({ "abc.default-release" });
    QTest::newRow("absolute profile elsewhere")
        << QByteArray("[Profile0]\nName=work\nIsRelative=0\nPath=@ROOT@/../elsewhere/work\n")
        << strings({ "../elsewhere/work" }) << strings({ "../elsewhere/work" });
    QTest::newRow("profile never started has no database")
        << QByteArray("[Profile0]\nName=new\nIsRelative=1\nPath=new.profile\n") << QStringList()
        << QStringList();
    QTest::newRow("profile missing from profiles.ini still found") << QByteArray(
        "[General]\nVersion=2\n") << strings({ "copied.profile" }) << strings({ "copied.profile" });
    QTest::newRow("no profiles.ini at all")
        << QByteArray() << strings({ "lone.profile" }) << strings({ "lone.profile" });
}

void TstTrust::firefoxProfiles()
{
    QFETCH(QByteArray, ini);
    QFETCH(QStringList, withDatabase);
    QFETCH(QStringList, expected);
    const QString root = freshDir(QStringLiteral("ff/root"));
    QDir(m_scratch.filePath(QStringLiteral("ff/elsewhere"))).removeRecursively();
    if (!ini.isEmpty())
        QVERIFY(writeText(root + QStringLiteral("/profiles.ini"),
            ini.replace("@ROOT@", QFile::encodeName(root))));
    QDir().mkpath(root + QStringLiteral("/new.profile"));
    for (const QString &dir : withDatabase)
        QVERIFY(writeText(root + QLatin1Char('/') + dir + QStringLiteral("/cert9.db"), "x"));
    QStringList canonical;
    for (const QString &dir : expected)
        canonical.append(QFileInfo(root + QLatin1Char('/') + dir).canonicalFilePath());
    QCOMPARE(trust::firefoxProfiles({ root, root + QStringLiteral("/absent") }), canonical);
}

void TstTrust::caBundle()
{
    const QString dir = freshDir(QStringLiteral("bundle"));
    const auto ca = makeCa(dir + QStringLiteral("/ca"));
    QVERIFY(ca);
    const QString system = dir + QStringLiteral("/system.pem");
    const QByteArray otherRoot = *certificateToPem(ca->certificate()); // any valid PEM will do
    QVERIFY(writeText(system, "# system roots\n" + otherRoot.trimmed()));

    const auto path = writeCaBundle(ca->certificatePath(), system);
    VERIFY_EXPECTED(path);
    QCOMPARE(*path, ca->directory() + QStringLiteral("/bundle.pem"));
    const QByteArray bundle = *readWholeFile(*path);
    QVERIFY(bundle.startsWith("# system roots\n"));
    QVERIFY(bundle.endsWith(*readWholeFile(ca->certificatePath())));
    QCOMPARE(trust::certificatesInPem(bundle).size(), 2);

    // Unchanged inputs leave the file alone; a changed system bundle is picked up.
    const QDateTime written = QFileInfo(*path).lastModified();
    QVERIFY(writeCaBundle(ca->certificatePath(), system));
    QCOMPARE(QFileInfo(*path).lastModified(), written);
    QVERIFY(writeText(system, otherRoot + otherRoot));
    QVERIFY(writeCaBundle(ca->certificatePath(), system));
    QCOMPARE(trust::certificatesInPem(*readWholeFile(*path)).size(), 3);

    const auto variables = caEnvironment(ca->certificatePath(), system);
    QCOMPARE(int(variables.size()), 6);
    QCOMPARE(variables[0],
        EnvironmentVariable(QStringLiteral("NODE_EXTRA_CA_CERTS"), ca->certificatePath()));
    for (const auto &[name, value] : variables) {
        QVERIFY(caEnvironmentNames().contains(name));
        if (name != QStringLiteral("NODE_EXTRA_CA_CERTS"))
            QCOMPARE(value, *path);
    }
    // Without a system bundle only the additive variable is safe.
    QCOMPARE(int(caEnvironment(ca->certificatePath(), QString()).size()), 1);
    QVERIFY(!writeCaBundle(ca->certificatePath(), QString()));
    QVERIFY(!systemCaBundlePath().isEmpty()); // Debian: /etc/ssl/certs/ca-certificates.crt
}

QTEST_GUILESS_MAIN(TstTrust)
