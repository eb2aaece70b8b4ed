// Dynamic `http.serversTransports` (Traefik v3): a service selects one with
// `loadBalancer.serversTransport`; SNI, trust, client certificate, ALPN and forwarding timeouts
// then follow it, against real Node TLS backends and hanging sockets. Services without one keep
// the static `serversTransport`.

#include "core/config/loader.h"
#include "core/control/table_builder.h"
#include "core/proxy/h2_upstream_alpn.h"
#include "core/service/health_probe.h"
#include "tests/h2_upstream/node_backend.h"
#include "tests/servers_transport/transport_fixture.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/wait.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>
#include <vector>

#ifdef Q_OS_UNIX
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#endif

using namespace portico;
using namespace portico::testing;
using testkit::answerField;
using testkit::NodeBackend;

namespace {

/// One router `app.localhost` → service `app` with servers `url`, using transport `t` defined by
/// the flow mapping `transport` (empty: the service names none).
QByteArray oneService(const QString &url, const QByteArray &transport)
{
    QByteArray yaml = "http:\n  routers:\n    app:\n      rule: Host(`app.localhost`)\n"
                      "      service: app\n  services:\n    app:\n      loadBalancer:\n"
                      "        servers: [{url: \""
        + url.toUtf8() + "\"}]\n";
    if (!transport.isEmpty())
        yaml += "        serversTransport: t\n  serversTransports:\n    t: " + transport + '\n';
    return yaml;
}

/// A TCP listener whose accept queue is full: connects to it hang (the kernel drops the SYNs),
/// which is what a dial timeout is for. Linux; the constructor leaves port() 0 elsewhere.
class HangingListener
{
public:
    HangingListener()
    {
#ifdef Q_OS_UNIX
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr {};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr *>(&addr), len) != 0
            || ::listen(m_fd, 0) != 0
            || ::getsockname(m_fd, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
            return;
        m_port = ntohs(addr.sin_port);
        // Backlog 0 queues one connection; these fill it, never accepted.
        for (int i = 0; i < 3; ++i) {
            m_fillers.push_back(std::make_unique<QTcpSocket>());
            m_fillers.back()->connectToHost(QHostAddress::LocalHost, m_port);
        }
        testkit::waitUntil(
            [&] { return m_fillers.front()->state() == QAbstractSocket::ConnectedState; });
#endif
    }
    ~HangingListener()
    {
#ifdef Q_OS_UNIX
        m_fillers.clear();
        if (m_fd >= 0)
            ::close(m_fd);
#endif
    }
    quint16 port() const
    {
        return m_port;
    }

private:
    int m_fd = -1;
    quint16 m_port = 0;
    std::vector<std::unique_ptr<QTcpSocket>> m_fillers;
};

/// Accepts connections and reads requests but never answers.
class SilentServer
{
public:
    SilentServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, [this] {
            while (QTcpSocket *s = m_server.nextPendingConnection())
                QObject::connect(s, &QTcpSocket::readyRead, s, [s] { s->readAll(); });
        });
        m_server.listen(QHostAddress::LocalHost);
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    QTcpServer m_server;
};

} // namespace

class tst_ServersTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tls_data();
    void tls();
    void disableHttp2SelectsPerService();
    void timeouts_data();
    void timeouts();
    void missingTransportDisablesRouter();
    void reloadChangesTransport();
    void healthProbeUsesTransport_data();
    void healthProbeUsesTransport();
    void alpnMemoryForgetsHttp1WithItsLastConnection();

private:
    QByteArray withPaths(QByteArray text) const;
    TestPki m_pki;
};

QByteArray tst_ServersTransport::withPaths(QByteArray text) const
{
    return text.replace("%CA%", m_pki.ca().toUtf8())
        .replace("%OTHER%", m_pki.otherCa().toUtf8())
        .replace("%CERT%", m_pki.clientCert().toUtf8())
        .replace("%KEY%", m_pki.clientKey().toUtf8());
}

void tst_ServersTransport::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        QFAIL("node is missing (apt-get install nodejs): the TLS backends are Node servers");
    QVERIFY(m_pki.create());
}

void tst_ServersTransport::tls_data()
{
    QTest::addColumn<QString>("mode"); // the backend's ALPN offer
    QTest::addColumn<bool>("requireClientCert");
    QTest::addColumn<QByteArray>("transport");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("sni"); // what the backend saw; "-" = none
    QTest::addColumn<QByteArray>("client"); // client certificate CN; "-" = none
    QTest::addColumn<QString>("warning"); // the log line of a failed handshake

    const QByteArray trusted = "{serverName: backend.internal, rootCAs: [\"%CA%\"]";
    const auto failed = [](const char *reason) {
        return QStringLiteral("^tls handshake with upstream 127\\.0\\.0\\.1:\\d+ failed: "
                              "certificate verification failed: ")
            + QLatin1String(reason);
    };
    // The server URL is always https://127.0.0.1:<port>; the certificate names backend.internal.
    QTest::newRow("serverName: SNI and verified name (h2)")
        << QStringLiteral("h2") << false << trusted + '}' << 200 << QByteArray("backend.internal")
        << QByteArray("-") << QString();
    QTest::newRow("serverName: SNI and verified name (http/1.1)")
        << QStringLiteral("http1") << false << trusted + '}' << 200
        << QByteArray("backend.internal") << QByteArray("-") << QString();
    QTest::newRow("no serverName: the IP does not match the certificate: 502")
        << QStringLiteral("h2") << false << QByteArray("{rootCAs: [\"%CA%\"]}") << 502
        << QByteArray() << QByteArray()
        << failed("IP address mismatch \\(set serversTransport serverName");
    QTest::newRow("rootCAs of another CA: 502")
        << QStringLiteral("http1") << false
        << QByteArray("{serverName: backend.internal, rootCAs: [\"%OTHER%\"]}") << 502
        << QByteArray() << QByteArray()
        << failed("unable to get local issuer certificate \\(trust its CA with serversTransport "
                  "rootCAs\\)");
    QTest::newRow("system roots do not know the CA: 502")
        << QStringLiteral("h2") << false << QByteArray("{serverName: backend.internal}") << 502
        << QByteArray() << QByteArray() << failed("unable to get local issuer certificate");
    QTest::newRow("insecureSkipVerify: no name, no trust needed")
        << QStringLiteral("h2") << false << QByteArray("{insecureSkipVerify: true}") << 200
        << QByteArray("-") << QByteArray("-") << QString();
    QTest::newRow("peerCertURI matches: the IP need not")
        << QStringLiteral("h2") << false
        << QByteArray("{rootCAs: [\"%CA%\"], peerCertURI: \"spiffe://portico.test/backend\"}")
        << 200 << QByteArray("-") << QByteArray("-") << QString();
    QTest::newRow("peerCertURI differs: 502")
        << QStringLiteral("http1") << false
        << QByteArray("{rootCAs: [\"%CA%\"], peerCertURI: \"spiffe://portico.test/other\"}") << 502
        << QByteArray() << QByteArray()
        << failed("hostname mismatch \\(the certificate lacks the URI SAN "
                  "\"spiffe://portico.test/other\" of peerCertURI\\)");
    QTest::newRow("client certificate presented (mutual TLS)")
        << QStringLiteral("h2") << true
        << trusted + ", certificates: [{certFile: \"%CERT%\", keyFile: \"%KEY%\"}]}" << 200
        << QByteArray("backend.internal") << QByteArray("portico-client") << QString();
    QTest::newRow("client certificate required, none configured: 502")
        << QStringLiteral("http1") << true << trusted + '}' << 502 << QByteArray() << QByteArray()
        << QString();
}

void tst_ServersTransport::tls()
{
    QFETCH(QString, mode);
    QFETCH(bool, requireClientCert);
    QFETCH(QByteArray, transport);
    QFETCH(int, status);
    QFETCH(QByteArray, sni);
    QFETCH(QByteArray, client);
    QFETCH(QString, warning);
    const QStringList extra = requireClientCert
        ? QStringList { QStringLiteral("--ca"), m_pki.clientCa() }
        : QStringList();
    NodeBackend backend(mode, m_pki.serverCert(), m_pki.serverKey(), 0, extra);
    QVERIFY(backend.port() > 0);
    TransportProxy proxy(
        withPaths(oneService(backend.url(QStringLiteral("127.0.0.1")), transport)));
    QVERIFY(proxy.ok());
    QVERIFY(proxy.state().errors.empty());
    if (!warning.isEmpty())
        QTest::ignoreMessage(QtCriticalMsg, QRegularExpression(warning));
    const testkit::RawResponse response = proxy.get("app.localhost");
    QVERIFY2(response.status == status, response.body.constData());
    if (status != 200)
        return;
    QCOMPARE(answerField(response.body, "proto"),
        QByteArray(mode == QLatin1String("h2") ? "2.0" : "1.1"));
    QCOMPARE(answerField(response.body, "sni"), sni);
    QCOMPARE(answerField(response.body, "client"), client);
}

void tst_ServersTransport::disableHttp2SelectsPerService()
{
    // One h2-capable backend behind three services: the static default transport, a named one,
    // and a named one with disableHTTP2 (HTTP/1.1 only, as Traefik's Go transport then does).
    NodeBackend backend(QStringLiteral("h2"), m_pki.serverCert(), m_pki.serverKey());
    QVERIFY(backend.port() > 0);
    const QString url = backend.url(QStringLiteral("127.0.0.1"));
    QByteArray yaml = "http:\n  routers:\n";
    for (const char *name : { "static", "named", "http1" })
        yaml += QByteArray("    ") + name + ": {rule: \"Host(`" + name
            + ".localhost`)\", service: " + name + "}\n";
    yaml += "  services:\n"
            "    static: {loadBalancer: {servers: [{url: \"URL\"}]}}\n"
            "    named: {loadBalancer: {serversTransport: named, servers: [{url: \"URL\"}]}}\n"
            "    http1: {loadBalancer: {serversTransport: http1, servers: [{url: \"URL\"}]}}\n"
            "  serversTransports:\n"
            "    named: {serverName: backend.internal, rootCAs: [\"%CA%\"]}\n"
            "    http1: {serverName: backend.internal, rootCAs: [\"%CA%\"], disableHTTP2: true}\n";
    yaml.replace("URL", url.toUtf8());
    config::ServersTransportSpec staticTransport;
    staticTransport.insecureSkipVerify = true;
    TransportProxy proxy(withPaths(yaml), staticTransport);
    QVERIFY(proxy.ok());
    for (int round = 0; round < 2; ++round) { // first contact, then what the pool remembers
        const auto viaStatic = proxy.get("static.localhost");
        QCOMPARE(viaStatic.status, 200);
        QCOMPARE(answerField(viaStatic.body, "proto"), QByteArray("2.0"));
        QCOMPARE(answerField(viaStatic.body, "sni"), QByteArray("-"));
        const auto viaNamed = proxy.get("named.localhost");
        QCOMPARE(viaNamed.status, 200);
        QCOMPARE(answerField(viaNamed.body, "proto"), QByteArray("2.0"));
        QCOMPARE(answerField(viaNamed.body, "sni"), QByteArray("backend.internal"));
        const auto viaHttp1 = proxy.get("http1.localhost");
        QCOMPARE(viaHttp1.status, 200);
        QCOMPARE(answerField(viaHttp1.body, "proto"), QByteArray("1.1"));
        QCOMPARE(answerField(viaHttp1.body, "sni"), QByteArray("backend.internal"));
    }
}

void tst_ServersTransport::timeouts_data()
{
    QTest::addColumn<bool>("hangOnDial"); // else: connected, but no response ever
    QTest::addColumn<QByteArray>("transport");
    QTest::addColumn<bool>("staticTransport"); // the timeouts are in the static default
    QTest::newRow("dialTimeout: 504")
        << true << QByteArray("{forwardingTimeouts: {dialTimeout: 300ms}}") << false;
    QTest::newRow("responseHeaderTimeout: 504")
        << false << QByteArray("{forwardingTimeouts: {responseHeaderTimeout: 300ms}}") << false;
    QTest::newRow("no serversTransport: the static one's responseHeaderTimeout")
        << false << QByteArray() << true;
}

void tst_ServersTransport::timeouts()
{
    QFETCH(bool, hangOnDial);
    QFETCH(QByteArray, transport);
    QFETCH(bool, staticTransport);
    HangingListener hanging;
    SilentServer silent;
    const quint16 port = hangOnDial ? hanging.port() : silent.port();
    if (port == 0)
        QSKIP("no hanging listener on this platform");
    config::ServersTransportSpec defaults;
    if (staticTransport)
        defaults.responseHeaderTimeout = std::chrono::milliseconds(300);
    TransportProxy proxy(
        oneService(QStringLiteral("http://127.0.0.1:%1").arg(port), transport), defaults);
    QVERIFY(proxy.ok());
    QElapsedTimer elapsed;
    elapsed.start();
    const testkit::RawResponse response = proxy.get("app.localhost");
    QCOMPARE(response.status, 504);
    // Not before the configured time; the upper bound only says "not the 30s default".
    QVERIFY2(elapsed.elapsed() >= 300, qPrintable(QString::number(elapsed.elapsed())));
    QVERIFY2(elapsed.elapsed() < 15000, qPrintable(QString::number(elapsed.elapsed())));
}

void tst_ServersTransport::missingTransportDisablesRouter()
{
    // Per-object failure, as in Traefik: the router of the service naming an unknown transport
    // is disabled (404), with the position of the reference; the other router keeps serving.
    testkit::HttpServer upstream;
    upstream.setHandler([](const testkit::ReceivedRequest &, QTcpSocket *socket) {
        testkit::HttpServer::respond(socket, 200, "fine");
    });
    QVERIFY(upstream.listen());
    QByteArray yaml = "http:\n"
                      "  routers:\n"
                      "    app:\n"
                      "      rule: Host(`app.localhost`)\n"
                      "      service: app\n"
                      "    other:\n"
                      "      rule: Host(`other.localhost`)\n"
                      "      service: other\n"
                      "  services:\n"
                      "    app:\n"
                      "      loadBalancer:\n"
                      "        servers: [{url: \"URL\"}]\n"
                      "        serversTransport: tt\n"
                      "    other:\n"
                      "      loadBalancer:\n"
                      "        servers: [{url: \"URL\"}]\n"
                      "  serversTransports:\n"
                      "    t: {serverName: backend.internal}\n";
    yaml.replace("URL", upstream.url().toUtf8());
    TransportProxy proxy(yaml);
    QVERIFY(proxy.ok());
    const auto &services = proxy.state().services;
    const auto service = services.find(QStringLiteral("app@file"));
    QVERIFY(service != services.end());
    QCOMPARE(service->second.status, control::Status::Disabled);
    QCOMPARE(service->second.errors.at(0).toString(),
        QStringLiteral("dyn.yaml:13:9: http.services.app.loadBalancer.serversTransport: "
                       "serversTransport \"tt@file\" does not exist (did you mean \"t@file\"?)"));
    const auto router = proxy.state().routers.find(QStringLiteral("app@file"));
    QCOMPARE(router->second.status, control::Status::Disabled);
    QCOMPARE(proxy.get("app.localhost").status, 404);
    QCOMPARE(proxy.get("other.localhost").status, 200);
}

void tst_ServersTransport::reloadChangesTransport()
{
    // A reload that changes only the transport (same service spec) must not keep the balancer
    // built with the old one: its servers carry the transport the connections use.
    const config::DynamicConfig before = config::parseDynamicConfig(
        withPaths(oneService(QStringLiteral("https://127.0.0.1:1"), "{serverName: a.internal}")),
        QStringLiteral("dyn.yaml"));
    const config::DynamicConfig after = config::parseDynamicConfig(
        withPaths(oneService(QStringLiteral("https://127.0.0.1:1"), "{serverName: b.internal}")),
        QStringLiteral("dyn.yaml"));
    config::EntryPointSpec web;
    web.name = QStringLiteral("web");
    const control::TableBuilder builder({ web });
    const auto first = builder.build({ { QStringLiteral("file"), before } }, 1);
    const auto same = builder.build({ { QStringLiteral("file"), before } }, 2, first.balancers);
    const auto changed = builder.build({ { QStringLiteral("file"), after } }, 3, first.balancers);
    const auto &balancer = first.balancers.at(QStringLiteral("app@file"));
    QCOMPARE(same.balancers.at(QStringLiteral("app@file")), balancer);
    QVERIFY(changed.balancers.at(QStringLiteral("app@file")) != balancer);
    QCOMPARE(
        changed.balancers.at(QStringLiteral("app@file"))->servers().at(0)->transport->serverName,
        QStringLiteral("b.internal"));
}

void tst_ServersTransport::healthProbeUsesTransport_data()
{
    QTest::addColumn<bool>("requireClientCert");
    QTest::addColumn<QByteArray>("transport");
    QTest::addColumn<bool>("up");
    QTest::newRow("serverName + rootCAs: up")
        << false << QByteArray("{serverName: backend.internal, rootCAs: [\"%CA%\"]}") << true;
    QTest::newRow("rootCAs of another CA: down")
        << false << QByteArray("{serverName: backend.internal, rootCAs: [\"%OTHER%\"]}") << false;
    QTest::newRow("no serverName: the IP does not match: down")
        << false << QByteArray("{rootCAs: [\"%CA%\"]}") << false;
    QTest::newRow("client certificate presented: up")
        << true
        << QByteArray("{serverName: backend.internal, rootCAs: [\"%CA%\"], certificates: "
                      "[{certFile: \"%CERT%\", keyFile: \"%KEY%\"}]}")
        << true;
    QTest::newRow("client certificate required, none configured: down")
        << true << QByteArray("{serverName: backend.internal, rootCAs: [\"%CA%\"]}") << false;
}

void tst_ServersTransport::healthProbeUsesTransport()
{
    // Active health checks reach a server the way the proxy does: a server the proxy reaches
    // through its transport must not be marked down, nor one it cannot reach kept up.
    QFETCH(bool, requireClientCert);
    QFETCH(QByteArray, transport);
    QFETCH(bool, up);
    const QStringList extra = requireClientCert
        ? QStringList { QStringLiteral("--ca"), m_pki.clientCa() }
        : QStringList();
    NodeBackend backend(QStringLiteral("h2"), m_pki.serverCert(), m_pki.serverKey(), 0, extra);
    QVERIFY(backend.port() > 0);
    const config::DynamicConfig dynamic = config::parseDynamicConfig(
        withPaths(oneService(backend.url(QStringLiteral("127.0.0.1")), transport)),
        QStringLiteral("dyn.yaml"));
    QVERIFY(dynamic.serversTransports.size() == 1
        && dynamic.serversTransports[0].origin.errors.empty());
    auto balancer = service::LoadBalancer::create(
        QStringLiteral("app@file"), *dynamic.services.at(0).loadBalancer);
    QVERIFY(balancer.ok());
    config::HealthCheckSpec spec;
    spec.path = QStringLiteral("/health");
    service::HealthProbe::Options options;
    service::applyTransport(options, dynamic.serversTransports[0].transport);
    QNetworkAccessManager manager;
    service::HealthProbe probe(
        &manager, service::probeTargetFor(*balancer.value()->servers().at(0), spec), options);
    QSignalSpy finished(&probe, &service::HealthProbe::finished);
    probe.start();
    QVERIFY(finished.wait(15000));
    QVERIFY2(finished.at(0).at(0).toBool() == up, qPrintable(finished.at(0).at(1).toString()));
}

void tst_ServersTransport::alpnMemoryForgetsHttp1WithItsLastConnection()
{
    // The per-engine ALPN answer of an https server (h2_upstream_alpn.h): HTTP/1.1 lasts while
    // HTTP/1.1 connections to it exist, so a server that gains h2 is asked again; h2 is kept.
    using Protocol = proxy::AlpnMemory::Protocol;
    proxy::AlpnMemory memory;
    const proxy::UpstreamKey http1 { "https", QStringLiteral("localhost"), 8443, nullptr };
    const proxy::UpstreamKey h2 { "https", QStringLiteral("localhost"), 9443, nullptr };
    QCOMPARE(memory.protocol(http1), Protocol::Unknown);
    memory.remember(http1, Protocol::Http1);
    memory.http1Opened(http1);
    memory.http1Opened(http1);
    memory.http1Closed(http1);
    QCOMPARE(memory.protocol(http1), Protocol::Http1); // one connection is left
    memory.http1Closed(http1);
    QCOMPARE(memory.protocol(http1), Protocol::Unknown);
    memory.remember(h2, Protocol::Http2);
    memory.http1Opened(h2); // an Upgrade request's HTTP/1.1 connection
    memory.http1Closed(h2);
    QCOMPARE(memory.protocol(h2), Protocol::Http2);
    // Another transport to the same server is another key: its answer is its own.
    auto named = std::make_shared<const config::ServersTransportSpec>();
    const proxy::UpstreamKey viaNamed { "https", QStringLiteral("localhost"), 9443, named };
    QCOMPARE(memory.protocol(viaNamed), Protocol::Unknown);
}

QTEST_GUILESS_MAIN(tst_ServersTransport)
#include "tst_servers_transport.moc"
