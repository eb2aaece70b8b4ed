// serversTransport toward upstreams: `https://` servers (a real QSslServer with a certificate made
// by the openssl CLI) verified unless insecureSkipVerify, and the dial timeout.
#include "tests/testkit/proxy_fixture.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/wait.h"

#include <QProcess>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;

namespace {

/// A TLS server answering every request with `secure`, remembering the SNI it was offered.
class TlsBackend
{
public:
    bool start(const QString &certFile, const QString &keyFile)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificateChain(QSslCertificate::fromPath(certFile));
        QFile key(keyFile);
        if (!key.open(QIODevice::ReadOnly))
            return false;
        tls.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec));
        m_server.setSslConfiguration(tls);
        QObject::connect(&m_server, &QSslServer::pendingConnectionAvailable, &m_server, [this] {
            while (auto *socket = qobject_cast<QSslSocket *>(m_server.nextPendingConnection())) {
                QObject::connect(socket, &QSslSocket::readyRead, socket, [this, socket] {
                    m_request += socket->readAll();
                    if (m_request.contains("\r\n\r\n"))
                        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure");
                });
            }
        });
        return m_server.listen(QHostAddress::LocalHost, 0);
    }
    quint16 port() const { return m_server.serverPort(); }
    const QByteArray &request() const { return m_request; }

private:
    QSslServer m_server;
    QByteArray m_request;
};

/// `GET /` through the proxy; the response status and body.
testkit::RawResponse fetch(quint16 port)
{
    testkit::RawClient client;
    if (!client.connectTo(port))
        return {};
    client.send("GET / HTTP/1.1\r\nHost: app.localhost\r\n\r\n");
    const auto &responses = client.waitForResponses(1, 10000);
    return responses.empty() ? testkit::RawResponse {} : responses.front();
}

} // namespace

class tst_UpstreamTransport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void insecureSkipVerifyReachesASelfSignedServer();
    void verificationRejectsAnUntrustedServer();
    void dialTimeoutAnswers504();

private:
    QTemporaryDir m_dir;
    TlsBackend m_backend;
};

void tst_UpstreamTransport::initTestCase()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt has no TLS backend here");
    const QString cert = m_dir.filePath(QStringLiteral("cert.pem"));
    const QString key = m_dir.filePath(QStringLiteral("key.pem"));
    const int rc = QProcess::execute(QStringLiteral("openssl"),
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
            QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-days"),
            QStringLiteral("1"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert });
    QCOMPARE(rc, 0);
    QVERIFY(m_backend.start(cert, key));
}

void tst_UpstreamTransport::insecureSkipVerifyReachesASelfSignedServer()
{
    config::ServersTransportSpec transport;
    transport.insecureSkipVerify = true;
    testkit::ProxyFixture proxy(
        { { QStringLiteral("PathPrefix(`/`)"),
            { QStringLiteral("https://127.0.0.1:%1").arg(m_backend.port()) } } },
        testkit::loopbackEntryPoint(), transport, 1);
    QVERIFY(proxy.ok());
    const auto response = fetch(proxy.port());
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("secure"));
    QVERIFY2(m_backend.request().startsWith("GET / HTTP/1.1\r\n"), m_backend.request().constData());
}

void tst_UpstreamTransport::verificationRejectsAnUntrustedServer()
{
    testkit::ProxyFixture proxy(
        { { QStringLiteral("PathPrefix(`/`)"),
            { QStringLiteral("https://127.0.0.1:%1").arg(m_backend.port()) } } },
        testkit::loopbackEntryPoint(), {}, 1);
    QVERIFY(proxy.ok());
    const auto response = fetch(proxy.port());
    QCOMPARE(response.status, 502);
    QCOMPARE(response.body, QByteArray("Bad Gateway"));
}

void tst_UpstreamTransport::dialTimeoutAnswers504()
{
    // A listener whose accept queue is full drops further SYNs, so a connect to it hangs.
    QTcpServer full;
    full.setListenBacklogSize(0);
    QVERIFY(full.listen(QHostAddress::LocalHost, 0));
    full.pauseAccepting();
    std::vector<std::unique_ptr<QTcpSocket>> fillers;
    for (int i = 0; i < 4; ++i) {
        fillers.push_back(std::make_unique<QTcpSocket>());
        fillers.back()->connectToHost(QHostAddress::LocalHost, full.serverPort());
        fillers.back()->waitForConnected(200);
    }
    config::ServersTransportSpec transport;
    transport.dialTimeout = std::chrono::milliseconds(300);
    testkit::ProxyFixture proxy(
        { { QStringLiteral("PathPrefix(`/`)"),
            { QStringLiteral("http://127.0.0.1:%1").arg(full.serverPort()) } } },
        testkit::loopbackEntryPoint(), transport, 1);
    QVERIFY(proxy.ok());
    const auto response = fetch(proxy.port());
    QCOMPARE(response.status, 504);
    QCOMPARE(response.body, QByteArray("Gateway Timeout"));
}

QTEST_MAIN(tst_UpstreamTransport)
#include "tst_upstream_transport.moc"
