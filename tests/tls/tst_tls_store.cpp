// tst_Tls, part 3: snapshots read by other threads, server SSL_CTX handshakes, timing.

#include "core/tls/leaf_issuer.h"
#include "core/tls/pem_file.h"
#include "core/tls/server_context.h"
#include "tests/tls/tls_test_util.h"
#include "tests/tls/tst_tls.h"

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <thread>

using namespace portico;
using namespace portico::tls;
using namespace portico::tls::testing;

namespace { } // namespace

void tst_Tls::snapshotIsImmutable()
{
    LeafIssuer issuer(*m_ca);
    QVERIFY(mustIssue(issuer, QStringLiteral("one.localhost")));
    const auto before = issuer.snapshot();
    QVERIFY(mustIssue(issuer, QStringLiteral("two.localhost")));
    QCOMPARE(before->size(), 1);
    QVERIFY(!before->find(QStringLiteral("two.localhost")));
    QCOMPARE(issuer.snapshot()->size(), 2);
    QVERIFY(issuer.snapshot()->find(QStringLiteral("Two.Localhost.")));
}

void tst_Tls::snapshotReadFromOtherThreads()
{
    LeafIssuer issuer(*m_ca);
    std::atomic<bool> stop { false };
    std::atomic<int> handshakesReady { 0 };
    std::atomic<int> failures { 0 };
    // "Engine" threads: only ever read snapshots and create SSL objects from their contexts.
    auto engine = [&] {
        while (!stop.load()) {
            const auto store = issuer.snapshot();
            for (const auto &leaf : store->leaves()) {
                const SslPtr ssl(SSL_new(store->context(leaf->name.text)));
                ssl ? ++handshakesReady : ++failures;
            }
        }
    };
    std::thread a(engine), b(engine);
    for (int i = 0; i < 30; ++i)
        mustIssue(issuer, QStringLiteral("n%1.localhost").arg(i));
    stop = true;
    a.join();
    b.join();
    QCOMPARE(failures.load(), 0);
    QVERIFY(handshakesReady.load() > 0);
    QCOMPARE(issuer.snapshot()->size(), 30);
}

void tst_Tls::serverContextHandshake_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QList<QByteArray>>("clientAlpn");
    QTest::addColumn<int>("clientMaxVersion");
    QTest::addColumn<QByteArray>("alpn");
    QTest::addColumn<QByteArray>("version");
    using L = QList<QByteArray>;
    QTest::newRow("h2 preferred by the server") << "app.localhost" << L { "http/1.1", "h2" } << 0
                                                << QByteArray("h2") << QByteArray("TLSv1.3");
    QTest::newRow("http/1.1 only") << "app.localhost" << L { "http/1.1" } << 0
                                   << QByteArray("http/1.1") << QByteArray("TLSv1.3");
    QTest::newRow("no ALPN offered")
        << "app.localhost" << L {} << 0 << QByteArray() << QByteArray("TLSv1.3");
    QTest::newRow("no common protocol, RFC 7301 §3.2 fallback")
        << "app.localhost" << L { "spdy/3" } << 0 << QByteArray() << QByteArray("TLSv1.3");
    QTest::newRow("TLS 1.2 client") << "app.localhost" << L { "h2" } << int(TLS1_2_VERSION)
                                    << QByteArray("h2") << QByteArray("TLSv1.2");
    QTest::newRow("IP literal, no SNI")
        << "127.0.0.1" << L { "h2" } << 0 << QByteArray("h2") << QByteArray("TLSv1.3");
}

void tst_Tls::serverContextHandshake()
{
    QFETCH(QString, name);
    QFETCH(QList<QByteArray>, clientAlpn);
    QFETCH(int, clientMaxVersion);
    QFETCH(QByteArray, alpn);
    QFETCH(QByteArray, version);
    LeafIssuer issuer(*m_ca);
    const auto leaf = mustIssue(issuer, name);
    QVERIFY(leaf && leaf->context);
    QCOMPARE(SSL_CTX_get_min_proto_version(leaf->context.get()), long(TLS1_2_VERSION));
    const Handshake h
        = handshake(leaf->context.get(), m_ca->certificate(), name, clientAlpn, clientMaxVersion);
    QVERIFY2(h.completed, qPrintable(h.error));
    QCOMPARE(h.verifyResult, long(X509_V_OK));
    QCOMPARE(h.alpn, alpn);
    QCOMPARE(h.version, version);
}

void tst_Tls::issuanceTiming()
{
    const QString dir = freshDir(QStringLiteral("timing"));
    const auto ca = LocalCa::loadOrCreate(dir, {});
    QVERIFY(ca.ok());
    LeafIssuer issuer(*ca);
    constexpr int count = 50;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < count; ++i)
        QVERIFY(mustIssue(issuer, QStringLiteral("t%1.localhost").arg(i)));
    const double withDisk = double(timer.nsecsElapsed()) / count / 1e6;
    QList<LeafCertificate> leaves;
    timer.restart();
    for (int i = 0; i < count; ++i) {
        auto leaf = issueLeaf(*ca, DevName { QStringLiteral("m%1.localhost").arg(i), {} },
            QDateTime::currentDateTimeUtc(), 90 * day);
        QVERIFY(leaf.ok());
        leaves << *leaf;
    }
    const double signOnly = double(timer.nsecsElapsed()) / count / 1e6;
    timer.restart();
    for (const LeafCertificate &leaf : std::as_const(leaves))
        QVERIFY(makeServerContext(leaf, { QByteArrayLiteral("h2") }).ok());
    const double context = double(timer.nsecsElapsed()) / count / 1e6;
    timer.restart();
    for (const LeafCertificate &leaf : std::as_const(leaves))
        QVERIFY(writeFileAtomically(
            issuer.leafPath(leaf.name), *leaf.toPem(), ownerOnlyFile, Durability::Cache)
                    .ok());
    const double file = double(timer.nsecsElapsed()) / count / 1e6;
    timer.restart();
    for (int i = 0; i < count; ++i)
        QVERIFY(mustIssue(issuer, QStringLiteral("t%1.localhost").arg(i)));
    const double cached = double(timer.nsecsElapsed()) / count / 1e6;
    qInfo("leaf issuance (mean of %d): %.3f ms in all = %.3f ms key+sign + %.3f ms SSL_CTX + "
          "%.3f ms atomic 0600 file (no fsync); %.4f ms cache hit",
        count, withDisk, signOnly, context, file, cached);
}
