// gRPC through the proxy with a real gRPC client and server (Debian's python3-grpcio): the server
// behind an `h2c://` service, the client over h2c prior knowledge and over TLS with ALPN h2 and
// the local CA. The checks themselves live in grpc_client.py (one per row).

#include "tests/testkit/testkit.h"
#include "tests/testkit/wait.h"
#include "tests/tls_proxy/tls_proxy_fixture.h"

#include <QProcess>
#include <QStandardPaths>
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
  services:
    grpc:
      loadBalancer:
        servers: [{url: "%GRPC_URL%"}]
)yaml"; // the URL is filled in at run time (moc misreads "//" inside raw strings)

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
    quint16 m_grpcPort = 0;
    std::unique_ptr<TlsProxyFixture> m_proxy;
};

void tst_Grpc::initTestCase()
{
    m_python = pythonWithGrpc();
    if (m_python.isEmpty())
        QFAIL("python3-grpcio is missing: install it (apt-get install python3-grpcio, see "
              "scripts/install-deps.sh); gRPC through the proxy cannot be verified without it");
    m_server.setProcessChannelMode(QProcess::MergedChannels);
    m_server.start(m_python, { testkit::sourcePath(QStringLiteral("tests/grpc/grpc_server.py")) });
    QVERIFY(m_server.waitForStarted(5000));
    QByteArray banner;
    QVERIFY2(testkit::waitUntil(
                 [&] {
                     banner += m_server.readAll();
                     return banner.contains('\n') || m_server.state() == QProcess::NotRunning;
                 },
                 20000),
        "the gRPC server did not start");
    QVERIFY2(banner.startsWith("PORT "), banner.constData());
    m_grpcPort = quint16(banner.mid(5).trimmed().toUInt());
    QVERIFY(m_grpcPort > 0);
    QByteArray routes = kRoutes;
    routes.replace("%GRPC_URL%", "h2c://127.0.0.1:" + QByteArray::number(m_grpcPort));
    m_proxy = std::make_unique<TlsProxyFixture>(
        std::vector<config::EntryPointSpec> {
            entryPoint(QStringLiteral("web")), entryPoint(QStringLiteral("websecure"), true) },
        routes);
    QVERIFY(m_proxy->ok());
}

void tst_Grpc::cleanupTestCase()
{
    m_proxy.reset();
    if (m_server.state() != QProcess::NotRunning) {
        m_server.kill();
        m_server.waitForFinished(5000);
    }
}

void tst_Grpc::throughProxy_data()
{
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("check");
    const QStringList checks { QStringLiteral("unary"), QStringLiteral("error"),
        QStringLiteral("deadline"), QStringLiteral("server_stream"),
        QStringLiteral("client_stream"), QStringLiteral("bidi"), QStringLiteral("concurrent") };
    for (const bool tls : { false, true }) {
        for (const QString &check : checks) {
            const QString row
                = (tls ? QStringLiteral("tls alpn h2: ") : QStringLiteral("h2c: ")) + check;
            QTest::newRow(qPrintable(row)) << tls << check;
        }
    }
}

void tst_Grpc::throughProxy()
{
    QFETCH(bool, tls);
    QFETCH(QString, check);
    const quint16 port = m_proxy->port(tls ? QStringLiteral("websecure") : QStringLiteral("web"));
    QStringList args { testkit::sourcePath(QStringLiteral("tests/grpc/grpc_client.py")),
        QStringLiteral("--target"), QStringLiteral("127.0.0.1:%1").arg(port),
        QStringLiteral("--authority"), QStringLiteral("grpc.localhost") };
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
