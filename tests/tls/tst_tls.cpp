// tst_Tls, part 1: development names, the name policy and the local CA.

#include "tests/tls/tst_tls.h"

#include "core/tls/certificate_builder.h"
#include "core/tls/leaf_issuer.h"
#include "core/tls/pem_file.h"
#include "tests/tls/tls_test_util.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

using namespace portico;
using namespace portico::tls;
using namespace portico::tls::testing;

namespace {

int fileMode(const QString &path)
{
#ifdef Q_OS_UNIX
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 0777);
#else
    Q_UNUSED(path);
    return -1;
#endif
}

CaOptions testCaOptions(const QStringList &extra = { QStringLiteral("internal") })
{
    CaOptions options;
    options.extraSuffixes = extra;
    options.owner = QStringLiteral("tester@box");
    return options;
}

QString asciiOf(const ASN1_STRING *s)
{
    return QString::fromLatin1(
        reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
}

} // namespace

void tst_Tls::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    auto ca = LocalCa::loadOrCreate(m_tmp.filePath(QStringLiteral("ca")), testCaOptions());
    QVERIFY2(ca.ok(), ca.ok() ? "" : qPrintable(ca.error().toString()));
    m_ca = *ca;
}

QString tst_Tls::freshDir(const QString &name) const
{
    return m_tmp.filePath(name);
}

void tst_Tls::devNameParsing_data()
{
    QTest::addColumn<QString>("raw");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<bool>("ip");
    QTest::newRow("lower-cased") << "App.LocalHost"
                                 << "app.localhost" << false;
    QTest::newRow("trailing dot (absolute name)") << "app.localhost."
                                                  << "app.localhost" << false;
    QTest::newRow("underscore tolerated") << "my_app.localhost"
                                          << "my_app.localhost" << false;
    QTest::newRow("ipv4") << "127.0.0.1"
                          << "127.0.0.1" << true;
    QTest::newRow("bracketed ipv6") << "[::1]"
                                    << "::1" << true;
    QTest::newRow("ipv6 long form, RFC 5952 §4.2") << "0:0:0:0:0:0:0:1"
                                                   << "::1" << true;
    QTest::newRow("RFC 5952 §4.2.3 first longest run") << "2001:DB8:0:0:1:0:0:1"
                                                       << "2001:db8::1:0:0:1" << true;
    QTest::newRow("RFC 5952 §4.2.2 single zero not compressed") << "2001:db8:0:1:1:1:1:1"
                                                                << "2001:db8:0:1:1:1:1:1" << true;
}

void tst_Tls::devNameParsing()
{
    QFETCH(QString, raw);
    QFETCH(QString, canonical);
    QFETCH(bool, ip);
    const auto name = parseDevName(raw);
    QVERIFY2(name.ok(), name.ok() ? "" : qPrintable(name.error().toString()));
    QCOMPARE(name->text, canonical);
    QCOMPARE(name->isIp(), ip);
}

void tst_Tls::policyMatching_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("permitted");
    QTest::newRow("localhost itself") << "localhost" << true;
    QTest::newRow("subdomain of localhost") << "app.localhost" << true;
    QTest::newRow("deep subdomain") << "a.b.c.localhost" << true;
    QTest::newRow("test TLD, RFC 6761 §6.2") << "shop.test" << true;
    QTest::newRow("extra suffix") << "db.internal" << true;
    QTest::newRow("loopback 127.0.0.1") << "127.0.0.1" << true;
    QTest::newRow("loopback 127.8.9.10") << "127.8.9.10" << true;
    QTest::newRow("ipv6 loopback") << "::1" << true;
    QTest::newRow("suffix without dot boundary") << "evillocalhost" << false;
    QTest::newRow("localhost as a left label") << "localhost.com" << false;
    QTest::newRow("public name") << "example.com" << false;
    QTest::newRow("private LAN address") << "192.168.1.10" << false;
    QTest::newRow("ipv4-mapped loopback") << "::ffff:127.0.0.1" << false;
}

void tst_Tls::policyMatching()
{
    QFETCH(QString, name);
    QFETCH(bool, permitted);
    const auto parsed = parseDevName(name);
    QVERIFY(parsed.ok());
    QCOMPARE(m_ca->policy().permits(*parsed), permitted);
    QCOMPARE(NamePolicy::forSuffixes({ QStringLiteral("internal") }).permits(*parsed), permitted);
}

void tst_Tls::caExtensions_data()
{
    QTest::addColumn<int>("nid");
    QTest::addColumn<int>("critical");
    // RFC 5280 §4.2.1.9 / §4.2.1.3 / §4.2.1.10: MUST be critical; SKI MUST NOT be.
    QTest::newRow("basicConstraints") << int(NID_basic_constraints) << 1;
    QTest::newRow("keyUsage") << int(NID_key_usage) << 1;
    QTest::newRow("nameConstraints") << int(NID_name_constraints) << 1;
    QTest::newRow("subjectKeyIdentifier") << int(NID_subject_key_identifier) << 0;
    QTest::newRow("extKeyUsage") << int(NID_ext_key_usage) << 0;
}

void tst_Tls::caExtensions()
{
    QFETCH(int, nid);
    QFETCH(int, critical);
    // Parse the certificate back from disk, not from memory: what browsers get is the file.
    const auto pem = readWholeFile(m_ca->certificatePath());
    QVERIFY(pem.ok());
    const auto cert = certificateFromPem(*pem, m_ca->certificatePath());
    QVERIFY(cert.ok());
    QCOMPARE(criticality(cert->get(), nid), critical);

    X509 *x = cert->get();
    const BasicConstraintsPtr bc(static_cast<BASIC_CONSTRAINTS *>(
        X509_get_ext_d2i(x, NID_basic_constraints, nullptr, nullptr)));
    QVERIFY(bc && bc->ca);
    QCOMPARE(ASN1_INTEGER_get(bc->pathlen), 0L);
    QCOMPARE(X509_get_key_usage(x), uint32_t(KU_KEY_CERT_SIGN | KU_CRL_SIGN));
    QVERIFY(X509_get_extended_key_usage(x) & XKU_SSL_SERVER);
    QCOMPARE(X509_check_ca(x), 1);
    QVERIFY(X509_get0_subject_key_id(x) != nullptr);
    QCOMPARE(X509_check_issued(x, x), int(X509_V_OK)); // self-signed
}

void tst_Tls::caNameConstraintsContent()
{
    const NameConstraintsPtr nc(static_cast<NAME_CONSTRAINTS *>(
        X509_get_ext_d2i(m_ca->certificate(), NID_name_constraints, nullptr, nullptr)));
    QVERIFY(nc);
    QVERIFY(!nc->excludedSubtrees);
    QStringList dns, ips;
    for (int i = 0; i < sk_GENERAL_SUBTREE_num(nc->permittedSubtrees); ++i) {
        const GENERAL_NAME *base = sk_GENERAL_SUBTREE_value(nc->permittedSubtrees, i)->base;
        if (base->type == GEN_DNS)
            dns << asciiOf(base->d.dNSName);
        else if (base->type == GEN_IPADD)
            ips << QString::fromLatin1(
                QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(base->d.iPAddress)),
                    ASN1_STRING_length(base->d.iPAddress))
                    .toHex());
        else
            QFAIL("unexpected general name type in the name constraints");
    }
    QCOMPARE(dns, strings({ "localhost", ".localhost", "test", ".test", "internal", ".internal" }));
    QCOMPARE(ips,
        strings({ "7f000000ff000000",
            "00000000000000000000000000000001ffffffffffffffffffffffffffffffff" }));
    QCOMPARE(m_ca->policy().describe(),
        QStringLiteral("localhost, *.localhost, *.test, *.internal, 127.0.0.0/8, ::1"));
}

void tst_Tls::caKeySubjectAndValidity()
{
    EVP_PKEY *key = m_ca->key();
    QVERIFY(EVP_PKEY_is_a(key, "EC"));
    char group[64] = {};
    QVERIFY(EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof group, nullptr));
    QCOMPARE(QByteArray(group), QByteArray("prime256v1"));
    char subject[256] = {};
    X509_NAME_oneline(X509_get_subject_name(m_ca->certificate()), subject, sizeof subject);
    QCOMPARE(QByteArray(subject),
        QByteArray("/CN=Portico Local CA tester@box/O=Portico local development CA"));
    const QDateTime from = toDateTime(X509_get0_notBefore(m_ca->certificate()));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(from <= now && from.secsTo(now) < 2 * 3600);
    QVERIFY(qAbs(now.daysTo(m_ca->notAfter()) - 3650) <= 1);
    QCOMPARE(m_ca->sha256Fingerprint().size(), 64);
}

void tst_Tls::caFilesArePrivate()
{
#ifndef Q_OS_UNIX
    QSKIP("POSIX modes only; Windows relies on the profile directory's ACLs");
#endif
    QCOMPARE(fileMode(m_ca->directory()), 0700);
    QCOMPARE(fileMode(m_ca->keyPath()), 0600);
    QCOMPARE(fileMode(m_ca->certificatePath()), 0644);
    const auto keyPem = readWholeFile(m_ca->keyPath());
    QVERIFY(keyPem.ok() && keyPem->startsWith("-----BEGIN PRIVATE KEY-----"));
    // Atomic writes leave no temporary files behind.
    QCOMPARE(QDir(m_ca->directory()).entryList(QDir::Files), strings({ "ca-key.pem", "ca.pem" }));
}

void tst_Tls::caReloadGivesSameCertificate()
{
    const auto again = LocalCa::loadOrCreate(m_ca->directory(), testCaOptions());
    QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().toString()));
    QCOMPARE(toDer(again->certificate()), toDer(m_ca->certificate()));
    QCOMPARE(EVP_PKEY_eq(again->key(), m_ca->key()), 1);
    QCOMPARE(again->policy().dnsConstraints(), m_ca->policy().dnsConstraints());
    QVERIFY(again->missingSuffixes().isEmpty());
}

void tst_Tls::caLoadFailures_data()
{
    QTest::addColumn<QString>("broken"); // which file is replaced or removed
    QTest::addColumn<QByteArray>("content"); // empty = remove it
    QTest::addColumn<QString>("expected");
    QTest::newRow("key of another CA")
        << "ca-key.pem" << QByteArray("other-key") << "does not match";
    QTest::newRow("key removed") << "ca-key.pem" << QByteArray() << "is incomplete";
    QTest::newRow("certificate removed") << "ca.pem" << QByteArray() << "is incomplete";
    QTest::newRow("certificate garbage")
        << "ca.pem" << QByteArray("garbage") << "no certificate in";
    QTest::newRow("key garbage") << "ca-key.pem" << QByteArray("garbage") << "no private key in";
}

void tst_Tls::caLoadFailures()
{
    QFETCH(QString, broken);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString dir
        = freshDir(QStringLiteral("broken-") + QString::fromLatin1(QTest::currentDataTag()));
    QVERIFY(LocalCa::loadOrCreate(dir, testCaOptions()).ok());
    const QString path = dir + u'/' + broken;
    QVERIFY(QFile::remove(path));
    if (content == "other-key") {
        auto key = generateKey();
        QVERIFY(key.ok());
        content = *privateKeyToPem(key->get());
    }
    if (!content.isEmpty())
        QVERIFY(writeFileAtomically(path, content, ownerOnlyFile).ok());
    const auto ca = LocalCa::loadOrCreate(dir, testCaOptions());
    QVERIFY(!ca.ok());
    QVERIFY2(ca.error().message.contains(expected), qPrintable(ca.error().toString()));
    QVERIFY2(ca.error().message.contains(dir), qPrintable(ca.error().toString()));
    QVERIFY(QFile::exists(path) == !content.isEmpty()); // nothing was overwritten
}

void tst_Tls::caReportsMissingSuffixes()
{
    const QString dir = freshDir(QStringLiteral("missing-suffix"));
    QVERIFY(LocalCa::loadOrCreate(dir, testCaOptions({})).ok());
    const auto ca = LocalCa::loadOrCreate(dir, testCaOptions({ QStringLiteral("*.corp") }));
    QVERIFY(ca.ok());
    QCOMPARE(ca->missingSuffixes(), QStringList { QStringLiteral("corp") });
    LeafIssuer issuer(*ca);
    const auto leaf = issuer.certificateFor(QStringLiteral("app.corp"));
    QVERIFY(!leaf.ok()); // the root itself would not allow it, so the issuer refuses
    // Rotating with the new configuration makes a root that permits it.
    auto rotated = *ca;
    QVERIFY(rotated.rotate().ok());
    QVERIFY(rotated.missingSuffixes().isEmpty());
    LeafIssuer after(rotated);
    QVERIFY(after.certificateFor(QStringLiteral("app.corp")).ok());

    const auto bad = LocalCa::loadOrCreate(dir, testCaOptions({ QStringLiteral("bad suffix!") }));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().message, QStringLiteral("\"bad suffix!\" is not a valid domain suffix"));
}

void tst_Tls::caRotation()
{
    const QString dir = freshDir(QStringLiteral("rotation"));
    auto ca = LocalCa::loadOrCreate(dir, testCaOptions());
    QVERIFY(ca.ok());
    const QByteArray before = toDer(ca->certificate());
    QVERIFY(ca->rotate().ok());
    QVERIFY(ca->rotate().ok()); // twice within a second: backups must not collide
    QVERIFY(toDer(ca->certificate()) != before);
    const QStringList backups
        = QDir(dir).entryList({ QStringLiteral("ca-2*.pem") }, QDir::Files, QDir::Name);
    QCOMPARE(backups.size(), 2);
    const QStringList keyBackups
        = QDir(dir).entryList({ QStringLiteral("ca-key-*.pem") }, QDir::Files, QDir::Name);
    QCOMPARE(keyBackups.size(), 2);
    QCOMPARE(fileMode(dir + u'/' + keyBackups.first()) & 077, 0);
    const QString firstBackup
        = backups.filter(QRegularExpression(QStringLiteral("^ca-\\d{8}-\\d{6}\\.pem$"))).value(0);
    QVERIFY2(!firstBackup.isEmpty(), qPrintable(backups.join(u' ')));
    const auto oldPem = readWholeFile(dir + u'/' + firstBackup);
    QVERIFY(oldPem.ok());
    QCOMPARE(toDer(certificateFromPem(*oldPem, QString())->get()), before);
    const auto reloaded = LocalCa::loadOrCreate(dir, testCaOptions());
    QVERIFY(reloaded.ok());
    QCOMPARE(toDer(reloaded->certificate()), toDer(ca->certificate()));
    QVERIFY(X509_get_ext_by_NID(reloaded->certificate(), NID_name_constraints, -1) >= 0);
}

QTEST_GUILESS_MAIN(tst_Tls)
