// The first connections right after the data plane starts, before the control thread published
// its first routing table: a TLS ClientHello used to be sniffed as plain HTTP (no TLS configuration
// yet: the handshake failed) and a plain request got 404 (no routers yet). Engines now accept only
// once they have a table; until then connections wait in the listen backlog. Each iteration starts
// a real ProxyServer, connects a real client at once and only then hands the engines their first
// table, the order `portico serve` produces when a browser is quick.

#include "core/config/loader.h"
#include "core/control/table_builder.h"
#include "core/proxy/proxy_server.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/wait.h"

#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace portico;

namespace {

config::EntryPointSpec entryPoint(const QString &name)
{
    config::EntryPointSpec spec;
    spec.name = name;
    spec.host = QStringLiteral("127.0.0.1");
    spec.address = QStringLiteral("127.0.0.1:0");
    spec.asDefault = true;
    return spec;
}

config::EntryPointSpec websecure()
{
    config::EntryPointSpec spec = entryPoint(QStringLiteral("websecure"));
    spec.tls = config::RouterTlsSpec {};
    return spec;
}

proxy::RoutingTablePtr tableFor(
    const QByteArray &yaml, quint64 generation, const config::EntryPointSpec &entry = websecure())
{
    const control::TableBuilder builder({ entry });
    return builder
        .build({ { QStringLiteral("file"),
                   config::parseDynamicConfig(yaml, QStringLiteral("dyn.yaml")) } },
            generation)
        .table;
}

const QByteArray kOneRouter = "http:\n  routers:\n    app:\n      rule: Host(`app.localhost`)\n"
                              "      service: app\n  services:\n    app:\n      loadBalancer:\n"
                              "        servers:\n          - url: http://127.0.0.1:9\n";

/// A TLS client that trusts only the local CA and sends `name` as SNI.
struct Client
{
    QSslSocket socket;
    bool encrypted = false;
    QString failure;

    Client(const QString &caPath, const QString &name, quint16 port)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(caPath));
        socket.setSslConfiguration(tls);
        QObject::connect(&socket, &QSslSocket::encrypted, [this] { encrypted = true; });
        QObject::connect(&socket, &QSslSocket::sslErrors,
            [this](const QList<QSslError> &errors) { failure = errors.first().errorString(); });
        QObject::connect(&socket, &QAbstractSocket::errorOccurred,
            [this](QAbstractSocket::SocketError) { failure = socket.errorString(); });
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port, name);
    }
    bool done() const { return encrypted || !failure.isEmpty(); }
    QString leafName() const
    {
        const QStringList names
            = socket.peerCertificate().subjectAlternativeNames().values(QSsl::DnsEntry);
        return names.value(0);
    }
};

} // namespace

class tst_ProxyStart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void firstHandshakeBeforeFirstTable();
    void firstRequestBeforeFirstTable();
    void handshakeAfterReloadAddingName();

private:
    QTemporaryDir m_home;
    QThread m_control;
};

void tst_ProxyStart::initTestCase()
{
    QVERIFY(m_home.isValid());
    m_control.start();
}

void tst_ProxyStart::cleanupTestCase()
{
    m_control.quit();
    m_control.wait();
}

void tst_ProxyStart::firstHandshakeBeforeFirstTable()
{
    const QString caDir = m_home.filePath(QStringLiteral("ca"));
    for (int round = 0; round < 12; ++round) {
        proxy::ProxyServer server;
        QVERIFY(server.useLocalCa(caDir, &m_control).ok());
        QVERIFY(server.listen({ websecure() }, {}, 2).ok());
        Client client(caDir + QStringLiteral("/ca.pem"), QStringLiteral("app.localhost"),
            server.port(QStringLiteral("websecure")));
        // The ClientHello is on the wire before the engines have any table.
        QVERIFY(testkit::waitUntil([&] {
            return client.done()
                || (client.socket.state() == QAbstractSocket::ConnectedState
                    && client.socket.encryptedBytesToWrite() == 0);
        }));
        server.setRoutingTable(tableFor(kOneRouter, 1));
        QVERIFY2(testkit::waitUntil([&] { return client.done(); }, 10000),
            qPrintable(QStringLiteral("round %1: no handshake result").arg(round)));
        QVERIFY2(client.encrypted,
            qPrintable(QStringLiteral("round %1: %2").arg(round).arg(client.failure)));
        QCOMPARE(client.leafName(), QStringLiteral("app.localhost"));
    }
}

void tst_ProxyStart::firstRequestBeforeFirstTable()
{
    testkit::HttpServer backend([](const testkit::ReceivedRequest &, QTcpSocket *socket) {
        testkit::HttpServer::respond(socket, 200, "routed");
    });
    QVERIFY(backend.listen());
    QByteArray routes = kOneRouter;
    routes.replace("http://127.0.0.1:9", backend.url().toUtf8());
    const config::EntryPointSpec web = entryPoint(QStringLiteral("web"));
    for (int round = 0; round < 12; ++round) {
        proxy::ProxyServer server;
        QVERIFY(server.listen({ web }, {}, 2).ok());
        QTcpSocket client;
        client.connectToHost(QHostAddress::LocalHost, server.port(QStringLiteral("web")));
        client.write("GET / HTTP/1.1\r\nHost: app.localhost\r\nConnection: close\r\n\r\n");
        // The request is on the wire before the engines have any table.
        QVERIFY(testkit::waitUntil([&] {
            return client.state() == QAbstractSocket::ConnectedState && client.bytesToWrite() == 0;
        }));
        server.setRoutingTable(tableFor(routes, 1, web));
        QByteArray response;
        QVERIFY2(testkit::waitUntil(
                     [&] {
                         response += client.readAll();
                         return client.state() == QAbstractSocket::UnconnectedState;
                     },
                     10000),
            qPrintable(QStringLiteral("round %1: no complete response").arg(round)));
        response += client.readAll();
        QVERIFY2(response.startsWith("HTTP/1.1 200") && response.endsWith("\r\n\r\nrouted"),
            qPrintable(QStringLiteral("round %1: %2").arg(round).arg(QString::fromUtf8(response))));
    }
}

void tst_ProxyStart::handshakeAfterReloadAddingName()
{
    // On-demand issuance covers any name the CA may certify, so a name a reload just added
    // (or one no router has yet) gets its own leaf on the very first handshake.
    const QString caDir = m_home.filePath(QStringLiteral("ca"));
    proxy::ProxyServer server;
    QVERIFY(server.useLocalCa(caDir, &m_control).ok());
    QVERIFY(server.listen({ websecure() }, {}, 2).ok());
    server.setRoutingTable(tableFor(kOneRouter, 1));
    QByteArray added = kOneRouter;
    added.replace("app.localhost", "fresh.localhost");
    server.setRoutingTable(tableFor(added, 2));
    Client client(caDir + QStringLiteral("/ca.pem"), QStringLiteral("fresh.localhost"),
        server.port(QStringLiteral("websecure")));
    QVERIFY(testkit::waitUntil([&] { return client.done(); }, 10000));
    QVERIFY2(client.encrypted, qPrintable(client.failure));
    QCOMPARE(client.leafName(), QStringLiteral("fresh.localhost"));
}

QTEST_GUILESS_MAIN(tst_ProxyStart)
#include "tst_proxy_start.moc"
