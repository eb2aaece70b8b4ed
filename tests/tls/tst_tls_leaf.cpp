// tst_Tls, part 2: leaves — verification, refusals, forged leaves, cache, renewal.

#include "core/tls/certificate_builder.h"
#include "core/tls/leaf_issuer.h"
#include "core/tls/pem_file.h"
#include "tests/tls/tls_test_util.h"
#include "tests/tls/tst_tls.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace portico;
using namespace portico::tls;
using namespace portico::tls::testing;

namespace {

QByteArray serialOf(X509 *cert)
{
    const BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
    char *hex = BN_bn2hex(bn.get());
    const QByteArray out(hex);
    OPENSSL_free(hex);
    return out;
}

QByteArray octets(const ASN1_OCTET_STRING *s)
{
    return s ? QByteArray(
               reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s))
             : QByteArray();
}

} // namespace

void tst_Tls::leafVerifies_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("app.localhost") << "app.localhost";
    QTest::newRow("localhost") << "localhost";
    QTest::newRow("deep.api.app.localhost") << "deep.api.app.localhost";
    QTest::newRow("127.0.0.1") << "127.0.0.1";
    QTest::newRow("::1") << "::1";
    QTest::newRow("shop.test") << "shop.test";
    QTest::newRow("extra suffix db.internal") << "db.internal";
}

void tst_Tls::leafVerifies()
{
    QFETCH(QString, name);
    LeafIssuer issuer(*m_ca);
    const auto leaf = mustIssue(issuer, name);
    QVERIFY(leaf);
    QCOMPARE(verifyInProcess(m_ca->certificate(), leaf->certificate.get(), name), int(X509_V_OK));
    // The real command line, as a user would check it, with host/IP matching switched on.
    const auto verdict
        = opensslVerify(m_ca->certificatePath(), leaf->certificate.get(), name, m_tmp.path());
    QVERIFY2(verdict.exitCode == 0, qPrintable(verdict.output));
    QVERIFY2(verdict.output.endsWith(QLatin1String(": OK")), qPrintable(verdict.output));
    // ...and a different name does not match it.
    const QString other = name.contains(u':') || name.startsWith(QLatin1String("127"))
        ? QStringLiteral("127.0.0.2")
        : QStringLiteral("other.localhost");
    QCOMPARE(verifyInProcess(m_ca->certificate(), leaf->certificate.get(), other),
        name.contains(u':') || name.startsWith(QLatin1String("127"))
            ? int(X509_V_ERR_IP_ADDRESS_MISMATCH)
            : int(X509_V_ERR_HOSTNAME_MISMATCH));
}

void tst_Tls::leafExtensions_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("ip");
    QTest::newRow("dns name") << "app.localhost" << false;
    QTest::newRow("ipv6 literal") << "::1" << true;
}

void tst_Tls::leafExtensions()
{
    QFETCH(QString, name);
    QFETCH(bool, ip);
    LeafIssuer issuer(*m_ca);
    const auto leaf = mustIssue(issuer, name);
    QVERIFY(leaf);
    X509 *x = leaf->certificate.get();
    const GeneralNamesPtr san(
        static_cast<GENERAL_NAMES *>(X509_get_ext_d2i(x, NID_subject_alt_name, nullptr, nullptr)));
    QVERIFY(san);
    QCOMPARE(sk_GENERAL_NAME_num(san.get()), 1); // exactly one name, never a wildcard
    const GENERAL_NAME *gen = sk_GENERAL_NAME_value(san.get(), 0);
    QCOMPARE(gen->type, ip ? GEN_IPADD : GEN_DNS);
    if (ip)
        QCOMPARE(ipToText(octets(gen->d.iPAddress)), name);
    else
        QCOMPARE(QString::fromLatin1(octets(gen->d.dNSName)), name);
    QCOMPARE(X509_get_extended_key_usage(x), uint32_t(XKU_SSL_SERVER));
    QCOMPARE(X509_get_key_usage(x), uint32_t(KU_DIGITAL_SIGNATURE));
    QCOMPARE(X509_check_ca(x), 0);
    QCOMPARE(criticality(x, NID_basic_constraints), 1);
    QCOMPARE(octets(X509_get0_authority_key_id(x)),
        octets(X509_get0_subject_key_id(m_ca->certificate())));
    QVERIFY(X509_get0_subject_key_id(x) != nullptr);
    QCOMPARE(serialOf(x).size(), 32); // 128 bits, top bit set
    QVERIFY(serialOf(x)
        != serialOf(mustIssue(issuer, QStringLiteral("other.localhost"))->certificate.get()));
    QVERIFY(EVP_PKEY_is_a(leaf->key.get(), "EC"));
    QCOMPARE(EVP_PKEY_get_bits(leaf->key.get()), 256);
    QCOMPARE(X509_NAME_get_index_by_NID(X509_get_subject_name(x), NID_commonName, -1) >= 0, !ip);
}

void tst_Tls::refusedNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("message");
    const QString notDev = QStringLiteral(
        "\"%1\" is not a development name: Portico's CA may only sign localhost, *.localhost, "
        "*.test, *.internal, 127.0.0.0/8, ::1");
    QTest::newRow("public name") << "example.com" << notDev.arg(QLatin1String("example.com"));
    QTest::newRow("localhost as left label")
        << "localhost.com" << notDev.arg(QLatin1String("localhost.com"));
    QTest::newRow("no dot boundary")
        << "evillocalhost" << notDev.arg(QLatin1String("evillocalhost"));
    QTest::newRow("LAN address") << "192.168.1.10" << notDev.arg(QLatin1String("192.168.1.10"));
    QTest::newRow("ipv6 not loopback") << "::2" << notDev.arg(QLatin1String("::2"));
    QTest::newRow("wildcard") << "*.localhost"
                              << "wildcard \"*.localhost\" cannot be issued";
    QTest::newRow("empty") << ""
                           << "empty certificate name";
    QTest::newRow("empty label") << "a..localhost"
                                 << "\"a..localhost\" is not a valid host name";
    QTest::newRow("bad ipv4") << "127.0.0.300"
                              << "\"127.0.0.300\" is not a valid IP address";
    QTest::newRow("non-ascii") << "café.localhost"
                               << "\"café.localhost\" is not a valid host name";
}

void tst_Tls::refusedNames()
{
    QFETCH(QString, name);
    QFETCH(QString, message);
    LeafIssuer issuer(*m_ca);
    const auto filesBefore = QDir(issuer.leafDirectory()).entryList(QDir::Files);
    const auto leaf = issuer.certificateFor(name);
    QVERIFY(!leaf.ok());
    QCOMPARE(leaf.error().message, message);
    if (message.contains(QLatin1String("not a development name")))
        QCOMPARE(leaf.error().hint,
            QStringLiteral("use one of those or add a suffix in tls.extraSuffixes"));
    QCOMPARE(issuer.snapshot()->size(), 0);
    QCOMPARE(QDir(issuer.leafDirectory()).entryList(QDir::Files), filesBefore);
}

void tst_Tls::forgedLeafAgainstNameConstraints_data()
{
    QTest::addColumn<QStringList>("dns");
    QTest::addColumn<QList<QByteArray>>("ips");
    QTest::addColumn<QString>("commonName");
    QTest::addColumn<bool>("accepted");
    const QList<QByteArray> none;
    // The control row proves the forging path itself yields valid certificates, so every
    // rejection below is the name constraint at work, nothing else.
    QTest::newRow("control: app.localhost") << strings({ "app.localhost" }) << none << "" << true;
    QTest::newRow("control: 127.0.0.1")
        << QStringList {} << QList<QByteArray> { QByteArray::fromHex("7f000001") } << "" << true;
    QTest::newRow("example.com") << strings({ "example.com" }) << none << "" << false;
    QTest::newRow("www.google.com") << strings({ "www.google.com" }) << none << "" << false;
    QTest::newRow("evillocalhost (no dot boundary)")
        << strings({ "evillocalhost" }) << none << "" << false;
    QTest::newRow("localhost.com") << strings({ "localhost.com" }) << none << "" << false;
    QTest::newRow("one good, one bad SAN")
        << strings({ "app.localhost", "example.com" }) << none << "" << false;
    QTest::newRow("IP 10.0.0.1") << QStringList {}
                                 << QList<QByteArray> { QByteArray::fromHex("0a000001") } << ""
                                 << false;
    QTest::newRow("IP 2001:db8::1")
        << QStringList {}
        << QList<QByteArray> { QByteArray::fromHex("20010db8000000000000000000000001") } << ""
        << false;
    QTest::newRow("CN example.com, no SAN") << QStringList {} << none << "example.com" << false;
}

void tst_Tls::forgedLeafAgainstNameConstraints()
{
    QFETCH(QStringList, dns);
    QFETCH(QList<QByteArray>, ips);
    QFETCH(QString, commonName);
    QFETCH(bool, accepted);
    const X509Ptr forged = forgeLeaf(*m_ca, dns, ips, commonName);
    QVERIFY(forged);
    const int inProcess = verifyInProcess(m_ca->certificate(), forged.get(), QString());
    QCOMPARE(inProcess, accepted ? int(X509_V_OK) : int(X509_V_ERR_PERMITTED_VIOLATION));
    const auto verdict
        = opensslVerify(m_ca->certificatePath(), forged.get(), QString(), m_tmp.path());
    QCOMPARE(verdict.exitCode == 0, accepted);
    if (!accepted)
        QVERIFY2(verdict.output.contains(QLatin1String("permitted subtree violation")),
            qPrintable(verdict.output));
    qInfo().noquote() << QTest::currentDataTag()
                      << "→ openssl verify:" << verdict.output.section(u'\n', -2);
}

void tst_Tls::leafValidity_data()
{
    QTest::addColumn<qint64>("requested");
    QTest::addColumn<qint64>("expectedAfterNow");
    QTest::newRow("default 90 days") << 90 * day << 90 * day;
    QTest::newRow("short, one hour") << qint64(3600) << qint64(3600);
    QTest::newRow("1000 days capped at 397") << 1000 * day << 397 * day;
}

void tst_Tls::leafValidity()
{
    QFETCH(qint64, requested);
    QFETCH(qint64, expectedAfterNow);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    IssuerOptions options;
    options.validitySecs = requested;
    options.clock = [now] { return now; };
    LeafIssuer issuer(*m_ca, options);
    const auto leaf = mustIssue(issuer, QStringLiteral("validity.localhost"));
    QVERIFY(leaf);
    QVERIFY(qAbs(now.secsTo(leaf->notAfter) - expectedAfterNow) <= 1);
    QVERIFY(qAbs(leaf->notBefore.secsTo(now) - 3600) <= 1); // backdated for clock skew
    QVERIFY(leaf->notBefore.daysTo(leaf->notAfter) <= 398);
}

void tst_Tls::leafCachedInMemoryAndOnDisk()
{
    const QString dir = freshDir(QStringLiteral("cache"));
    const auto ca = LocalCa::loadOrCreate(dir, {});
    QVERIFY(ca.ok());
    LeafIssuer issuer(*ca);
    const auto first = mustIssue(issuer, QStringLiteral("app.localhost"));
    const auto again = mustIssue(issuer, QStringLiteral("APP.localhost."));
    QVERIFY(first && again);
    QCOMPARE(again.get(), first.get()); // same object: no second issuance
    const auto v6 = mustIssue(issuer, QStringLiteral("::1"));
    QVERIFY(v6);
    QCOMPARE(issuer.leafPath(v6->name), dir + QStringLiteral("/leaves/__1.pem"));
    const QString path = issuer.leafPath(first->name);
    QCOMPARE(path, dir + QStringLiteral("/leaves/app.localhost.pem"));
#ifdef Q_OS_UNIX
    QCOMPARE(QFile::permissions(path) & ~(QFile::ReadUser | QFile::WriteUser),
        QFile::ReadOwner | QFile::WriteOwner);
#endif
    const auto pem = readWholeFile(path);
    QVERIFY(pem.ok());
    QVERIFY(pem->contains("-----BEGIN PRIVATE KEY-----"));
    QVERIFY(pem->contains("-----BEGIN CERTIFICATE-----"));
    QCOMPARE(toDer(certificateFromPem(*pem, path)->get()), toDer(first->certificate.get()));
}

void tst_Tls::leafReloadedFromDisk()
{
    const QString dir = freshDir(QStringLiteral("reload"));
    const auto ca = LocalCa::loadOrCreate(dir, {});
    QVERIFY(ca.ok());
    QByteArray serial;
    {
        LeafIssuer issuer(*ca);
        serial = serialOf(mustIssue(issuer, QStringLiteral("app.localhost"))->certificate.get());
        QVERIFY(mustIssue(issuer, QStringLiteral("127.0.0.1")));
    }
    QVERIFY(
        writeFileAtomically(dir + QStringLiteral("/leaves/junk.pem"), "not a pem", ownerOnlyFile)
            .ok());
    LeafIssuer issuer(*ca);
    QCOMPARE(issuer.loadFromDisk(), 2);
    QVERIFY(!QFile::exists(dir + QStringLiteral("/leaves/junk.pem")));
    QCOMPARE(issuer.snapshot()->size(), 2);
    QCOMPARE(serialOf(issuer.snapshot()->find(QStringLiteral("app.localhost"))->certificate.get()),
        serial);
    QVERIFY(issuer.snapshot()->context(QStringLiteral("127.0.0.1")) != nullptr);
    QCOMPARE(
        serialOf(mustIssue(issuer, QStringLiteral("app.localhost"))->certificate.get()), serial);
}

void tst_Tls::renewal_data()
{
    QTest::addColumn<qint64>("later");
    QTest::addColumn<bool>("renewed");
    // 90-day leaf (+1 h backdating): renewed once less than a third of the life remains.
    QTest::newRow("next day") << day << false;
    QTest::newRow("day 59: 31 days left") << 59 * day << false;
    QTest::newRow("day 61: 29 days left") << 61 * day << true;
    QTest::newRow("expired") << 100 * day << true;
}

void tst_Tls::renewal()
{
    QFETCH(qint64, later);
    QFETCH(bool, renewed);
    auto now = std::make_shared<QDateTime>(QDateTime::currentDateTimeUtc());
    IssuerOptions options;
    options.clock = [now] { return *now; };
    const QString dir
        = freshDir(QStringLiteral("renewal-") + QString::fromLatin1(QTest::currentDataTag()));
    const auto ca = LocalCa::loadOrCreate(dir, {});
    QVERIFY(ca.ok());
    LeafIssuer issuer(*ca, options);
    const auto first = mustIssue(issuer, QStringLiteral("app.localhost"));
    QVERIFY(first);
    const auto onDisk = readWholeFile(issuer.leafPath(first->name));
    *now = now->addSecs(later);
    const auto second = mustIssue(issuer, QStringLiteral("app.localhost"));
    QVERIFY(second);
    QCOMPARE(second.get() != first.get(), renewed);
    QCOMPARE(*readWholeFile(issuer.leafPath(first->name)) != *onDisk, renewed);
    QCOMPARE(issuer.snapshot()->find(QStringLiteral("app.localhost")).get(), second.get());
    QVERIFY(!second->needsRenewal(*now));
}

void tst_Tls::renewDue()
{
    auto now = std::make_shared<QDateTime>(QDateTime::currentDateTimeUtc());
    IssuerOptions options;
    options.clock = [now] { return *now; };
    LeafIssuer issuer(*m_ca, options);
    QVERIFY(mustIssue(issuer, QStringLiteral("a.localhost")));
    QVERIFY(mustIssue(issuer, QStringLiteral("b.localhost")));
    QCOMPARE(issuer.renewDue(), 0);
    *now = now->addSecs(70 * day);
    QVERIFY(mustIssue(issuer, QStringLiteral("c.localhost"))); // fresh at day 70
    QCOMPARE(issuer.renewDue(), 2);
    QCOMPARE(issuer.renewDue(), 0);
}

void tst_Tls::rotationDropsLeaves()
{
    const QString dir = freshDir(QStringLiteral("rotate-leaves"));
    auto ca = LocalCa::loadOrCreate(dir, {});
    QVERIFY(ca.ok());
    LeafIssuer issuer(*ca);
    const auto old = mustIssue(issuer, QStringLiteral("app.localhost"));
    QVERIFY(old);
    QVERIFY(ca->rotate().ok());
    // The old leaf no longer chains to the new root...
    QCOMPARE(verifyInProcess(ca->certificate(), old->certificate.get(), QString()),
        int(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY));
    // ...and a fresh issuer loading the old files drops them.
    {
        LeafIssuer fresh(*ca);
        QCOMPARE(fresh.loadFromDisk(), 0);
    }
    QVERIFY(mustIssue(issuer, QStringLiteral("keep.localhost"))); // still the old CA here
    issuer.replaceCa(*ca);
    QCOMPARE(issuer.snapshot()->size(), 0);
    QVERIFY(QDir(issuer.leafDirectory()).isEmpty());
    const auto renewed = mustIssue(issuer, QStringLiteral("app.localhost"));
    QVERIFY(renewed);
    QCOMPARE(verifyInProcess(
                 ca->certificate(), renewed->certificate.get(), QStringLiteral("app.localhost")),
        int(X509_V_OK));
}
