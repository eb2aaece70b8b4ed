// gRPC through the proxy with a real gRPC client and server (Debian's python3-grpcio): the server
// behind an `h2c://` service, or serving TLS itself behind an `https://` service (the proxy
// negotiates h2 by ALPN and trusts its certificate through serversTransport.rootCAs); the client
// over h2c prior knowledge and over TLS with ALPN h2 and the local CA. The checks themselves live
// in grpc_client.py (one per row).

#include "tests/testkit/testkit.h"
#include "tests/testkit/wait.h"
#include "tests/tls_proxy/tls_proxy_fixture.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace portico;
using namespace portico::testing;

namespace {

const QByteArray kRoutes = R"yaml(
http:
  routers:
    grpc:
      rule: "Host(`grpc.localhost`)"
      service: grpc
    grpcs:
      rule: "Host(`grpcs.localhost`)"
      service: grpcs
  services:
    grpc:
      loadBalancer:
        servers: [{url: "%GRPC_URL%"}]
    grpcs:
      loadBalancer:
        servers: [{url: "%GRPCS_URL%"}]
)yaml"; // the URLs are filled in at run time (moc misreads "//" inside raw strings)

/// Debian's interpreter first: python3-grpcio is installed for it, not for other pythons on PATH.
QString pythonWithGrpc()
{
    QStringList candidates { QStringLiteral("/usr/bin/python3") };
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (!onPath.isEmpty())
        candidates << onPath;
    for (const QString &python : candidates) {
        QProcess p;
        p.start(python, { QStringLiteral("-c"), QStringLiteral("import grpc") });
        if (p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0)
            return python;
    }
    return {};
}

/// Starts grpc_server.py (`extra` arguments) and returns its port, 0 when it did not start.
quint16 startServer(QProcess &server, const QString &python, const QStringList &extra)
{
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(python,
        QStringList { testkit::sourcePath(QStringLiteral("tests/grpc/grpc_server.py")) } + extra);
    if (!server.waitForStarted(5000))
        return 0;
    QByteArray banner;
    testkit::waitUntil(
        [&] {
            banner += server.readAll();
            return banner.contains('\n') || server.state() == QProcess::NotRunning;
        },
        20000);
    if (!banner.startsWith("PORT "))
        qWarning() << "grpc_server.py:" << banner;
    return banner.startsWith("PORT ") ? quint16(banner.mid(5).trimmed().toUInt()) : 0;
}

} // namespace

class tst_Grpc : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void throughProxy_data();
    void throughProxy();
    void unknownHostIsNotRouted();

private:
    QString m_python;
    QProcess m_server;
    QProcess m_tlsServer; ///< the same server speaking TLS with its own certificate
    QTemporaryDir m_certDir;
    quint16 m_grpcPort = 0;
    std::unique_ptr<TlsProxyFixture> m_proxy;
};

void tst_Grpc::initTestCase()
{
    m_python = pythonWithGrpc();
    if (m_python.isEmpty())
        QFAIL("python3-grpcio is missing: install it (apt-get install python3-grpcio, see "
              "scripts/install-deps.sh); gRPC through the proxy cannot be verified without it");
    m_grpcPort = startServer(m_server, m_python, {});
    QVERIFY2(m_grpcPort > 0, "the gRPC server did not start");
    // The TLS backend's own self-signed certificate, trusted by the proxy through rootCAs only.
    QVERIFY(m_certDir.isValid());
    const QString cert = m_certDir.filePath(QStringLiteral("backend.pem"));
    const QString key = m_certDir.filePath(QStringLiteral("backend-key.pem"));
    const ProcessResult openssl = run(QStringLiteral("openssl"),
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert, QStringLiteral("-days"),
            QStringLiteral("2"), QStringLiteral("-subj"), QStringLiteral("/CN=localhost"),
            QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1") });
    QCOMPARE(openssl.exitCode, 0);
    const quint16 tlsPort = startServer(
        m_tlsServer, m_python, { QStringLiteral("--cert"), cert, QStringLiteral("--key"), key });
    QVERIFY2(tlsPort > 0, "the gRPC TLS server did not start");
    QByteArray routes = kRoutes;
    routes.replace("%GRPC_URL%", "h2c://127.0.0.1:" + QByteArray::number(m_grpcPort));
    routes.replace("%GRPCS_URL%", "https://localhost:" + QByteArray::number(tlsPort));
    config::ServersTransportSpec transport;
    transport.rootCAs = QStringList { cert };
    m_proxy = std::make_unique<TlsProxyFixture>(
        std::vector<config::EntryPointSpec> {
            entryPoint(QStringLiteral("web")), entryPoint(QStringLiteral("websecure"), true) },
        routes, transport);
    QVERIFY(m_proxy->ok());
}

void tst_Grpc::cleanupTestCase()
{
    m_proxy.reset();
    for (QProcess *server : { &m_server, &m_tlsServer }) {
        if (server->state() != QProcess::NotRunning) {
            server->kill();
            server->waitForFinished(5000);
        }
    }
}

void tst_Grpc::throughProxy_data()
{
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("authority");
    QTest::addColumn<QString>("check");
    const QStringList checks { QStringLiteral("unary"), QStringLiteral("error"),
        QStringLiteral("deadline"), QStringLiteral("server_stream"),
        QStringLiteral("client_stream"), QStringLiteral("bidi"), QStringLiteral("concurrent") };
    for (const bool tls : { false, true }) {
        for (const QString &check : checks) {
            const QString row
                = (tls ? QStringLiteral("tls alpn h2: ") : QStringLiteral("h2c: ")) + check;
            QTest::newRow(qPrintable(row)) << tls << QStringLiteral("grpc.localhost") << check;
        }
    }
    // The backend itself speaks TLS: the proxy's upstream connection negotiates h2 by ALPN.
    for (const QString &check : checks) {
        const QString row = QStringLiteral("h2c to tls backend: ") + check;
        QTest::newRow(qPrintable(row)) << false << QStringLiteral("grpcs.localhost") << check;
    }
    for (const QString &check : { QStringLiteral("unary"), QStringLiteral("bidi") }) {
        const QString row = QStringLiteral("tls alpn h2 to tls backend: ") + check;
        QTest::newRow(qPrintable(row)) << true << QStringLiteral("grpcs.localhost") << check;
    }
}

void tst_Grpc::throughProxy()
{
    QFETCH(bool, tls);
    QFETCH(QString, authority);
    QFETCH(QString, check);
    const quint16 port = m_proxy->port(tls ? QStringLiteral("websecure") : QStringLiteral("web"));
    QStringList args { testkit::sourcePath(QStringLiteral("tests/grpc/grpc_client.py")),
        QStringLiteral("--target"), QStringLiteral("127.0.0.1:%1").arg(port),
        QStringLiteral("--authority"), authority };
    if (tls)
        args << QStringLiteral("--ca") << m_proxy->caPath();
    args << check;
    const ProcessResult result = run(m_python, args, {}, 90000);
    const QByteArray report = result.out + result.err;
    QVERIFY2(result.exitCode == 0, report.constData());
    QVERIFY2(result.out.contains("ok " + check.toUtf8()), report.constData());
}

void tst_Grpc::unknownHostIsNotRouted()
{
    // Control: the same client against a name no router matches fails with UNIMPLEMENTED (the
    // proxy's 404), so the rows above prove routing to the gRPC server, not a lucky default.
    const quint16 port = m_proxy->port(QStringLiteral("web"));
    const ProcessResult result = run(m_python,
        { testkit::sourcePath(QStringLiteral("tests/grpc/grpc_client.py")),
            QStringLiteral("--target"), QStringLiteral("127.0.0.1:%1").arg(port),
            QStringLiteral("--authority"), QStringLiteral("nothing.localhost"),
            QStringLiteral("unary") },
        {}, 60000);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.out.contains("FAIL unary"), result.out.constData());
}

QTEST_GUILESS_MAIN(tst_Grpc)
#include "tst_grpc.moc"
