// tst_Tls, part 4: Chromium against leaves of the local CA: the browser, not only OpenSSL, must
// accept Portico's leaves and reject a leaf for a real site signed with the same (stolen) key.
// Skipped when chromium or certutil (libnss3-tools) is not installed.

#include "core/tls/leaf_issuer.h"
#include "core/tls/pem_file.h"
#include "tests/tls/tls_test_util.h"
#include "tests/tls/tst_tls.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

using namespace portico;
using namespace portico::tls;
using namespace portico::tls::testing;

namespace {

bool run(const QString &program, const QStringList &args, const QProcessEnvironment &env = {})
{
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    p.start(program, args);
    return p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

// A home whose NSS database trusts only Portico's CA, the way `portico trust` will set it up.
bool makeNssHome(const QString &home, const QString &caPath)
{
    const QString db = QStringLiteral("sql:") + home + QStringLiteral("/.pki/nssdb");
    return QDir().mkpath(home + QStringLiteral("/.pki/nssdb"))
        && run(QStringLiteral("certutil"),
            { QStringLiteral("-d"), db, QStringLiteral("-N"), QStringLiteral("--empty-password") })
        && run(QStringLiteral("certutil"),
            { QStringLiteral("-d"), db, QStringLiteral("-A"), QStringLiteral("-t"),
                QStringLiteral("C,,"), QStringLiteral("-n"), QStringLiteral("portico-ca"),
                QStringLiteral("-i"), caPath });
}

// `openssl s_server -www` on an ephemeral loopback port; returns the port, 0 on failure.
int startServer(QProcess &server, const QString &certPath, const QString &keyPath)
{
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral("openssl"),
        { QStringLiteral("s_server"), QStringLiteral("-accept"), QStringLiteral("127.0.0.1:0"),
            QStringLiteral("-cert"), certPath, QStringLiteral("-key"), keyPath,
            QStringLiteral("-www") });
    const QRegularExpression accept(QStringLiteral("ACCEPT 127\\.0\\.0\\.1:(\\d+)"));
    QByteArray seen;
    for (QDeadlineTimer deadline(20000); !deadline.hasExpired();) {
        server.waitForReadyRead(int(deadline.remainingTime()));
        seen += server.readAll();
        const auto match = accept.match(QString::fromLatin1(seen));
        if (match.hasMatch())
            return match.captured(1).toInt();
        if (server.state() == QProcess::NotRunning)
            break;
    }
    return 0;
}

struct PageLoad
{
    QString dom;
    QString failure; ///< Chromium's `net::ERR_...`, empty when the page loaded
};

PageLoad loadInChromium(const QString &home, const QString &url)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home);
    QProcess chromium;
    chromium.setProcessEnvironment(env);
    chromium.start(QStringLiteral("chromium"),
        { QStringLiteral("--headless"), QStringLiteral("--no-sandbox"),
            QStringLiteral("--disable-gpu"), QStringLiteral("--disable-quic"),
            QStringLiteral("--no-first-run"), QStringLiteral("--disable-background-networking"),
            QStringLiteral("--disable-component-update"), QStringLiteral("--disable-sync"),
            QStringLiteral("--user-data-dir=") + home + QStringLiteral("/ud"),
            // Every name, real or not, resolves to the local s_server.
            QStringLiteral("--host-resolver-rules=MAP * 127.0.0.1"), QStringLiteral("--dump-dom"),
            url });
    PageLoad load;
    if (!chromium.waitForFinished(90000)) {
        chromium.kill();
        chromium.waitForFinished();
        load.failure = QStringLiteral("chromium timed out");
        return load;
    }
    load.dom = QString::fromUtf8(chromium.readAllStandardOutput());
    const QString log = QString::fromUtf8(chromium.readAllStandardError());
    const auto failed
        = QRegularExpression(QStringLiteral("Page load failed: (net::\\w+)")).match(log);
    if (failed.hasMatch())
        load.failure = failed.captured(1);
    return load;
}

} // namespace

void tst_Tls::chromiumHonoursNameConstraints_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("forged");
    QTest::addColumn<QString>("failure"); // empty = must load
    QTest::newRow("issued app.localhost") << "app.localhost" << false << "";
    QTest::newRow("issued shop.test") << "shop.test" << false << "";
    QTest::newRow("issued 127.0.0.1") << "127.0.0.1" << false << "";
    // Control: the forging path itself yields leaves Chromium accepts, so the rows below fail on
    // the name constraint and nothing else.
    QTest::newRow("forged app.localhost (control)") << "app.localhost" << true << "";
    QTest::newRow("forged example.com") << "example.com" << true << "net::ERR_CERT_INVALID";
    QTest::newRow("forged evillocalhost") << "evillocalhost" << true << "net::ERR_CERT_INVALID";
}

void tst_Tls::chromiumHonoursNameConstraints()
{
    QFETCH(QString, host);
    QFETCH(bool, forged);
    QFETCH(QString, failure);
    if (QStandardPaths::findExecutable(QStringLiteral("chromium")).isEmpty()
        || QStandardPaths::findExecutable(QStringLiteral("certutil")).isEmpty()) {
        QSKIP("needs chromium and certutil (apt-get install chromium libnss3-tools)");
    }
    const QString dir = freshDir(QStringLiteral("chromium-")
        + QString::number(qHash(QLatin1String(QTest::currentDataTag()))));
    QVERIFY(makeNssHome(dir, m_ca->certificatePath()));
    LeafIssuer issuer(*m_ca);
    X509Ptr cert;
    EvpPkeyPtr key;
    if (forged) {
        cert = forgeLeaf(*m_ca, { host }, {}, host, &key);
    } else {
        const auto leaf = issuer.certificateFor(host);
        QVERIFY(leaf.ok());
        cert.reset(X509_dup((*leaf)->certificate.get()));
        EVP_PKEY_up_ref((*leaf)->key.get());
        key.reset((*leaf)->key.get());
    }
    QVERIFY(cert && key);
    const QString certPath = dir + QStringLiteral("/leaf.pem");
    const QString keyPath = dir + QStringLiteral("/leaf-key.pem");
    QVERIFY(writeFileAtomically(certPath, *certificateToPem(cert.get()), ownerOnlyFile).ok());
    QVERIFY(writeFileAtomically(keyPath, *privateKeyToPem(key.get()), ownerOnlyFile).ok());

    QProcess server;
    const int port = startServer(server, certPath, keyPath);
    QVERIFY2(port > 0, "openssl s_server did not start");
    const PageLoad load = loadInChromium(dir, QStringLiteral("https://%1:%2/").arg(host).arg(port));
    server.kill();
    server.waitForFinished();
    qInfo().noquote() << QTest::currentDataTag() << "→"
                      << (load.failure.isEmpty() ? QStringLiteral("loaded") : load.failure);
    QCOMPARE(load.failure, failure);
    QCOMPARE(load.dom.contains(QLatin1String("s_server")), failure.isEmpty());
}
