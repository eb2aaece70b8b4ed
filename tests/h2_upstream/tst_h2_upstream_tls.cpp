// `https://` upstreams negotiate the protocol by ALPN (core/proxy/h2_upstream_alpn, tls_client):
// real Node TLS backends that offer h2, only http/1.1, or no ALPN at all report the protocol each
// request arrived with; serversTransport's rootCAs and insecureSkipVerify decide the trust.

#include "core/config/loader.h"
#include "core/service/health_probe.h"
#include "tests/h2_upstream/node_backend.h"
#include "tests/testkit/proxy_fixture.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/testkit.h"
#include "tests/testkit/wait.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace portico;
using namespace portico::testkit;

namespace {

QByteArray get(const QByteArray &path)
{
    return "GET " + path + " HTTP/1.1\r\nHost: app.localhost\r\n\r\n";
}

QByteArray post(const QByteArray &path, const QByteArray &body)
{
    return "POST " + path + " HTTP/1.1\r\nHost: app.localhost\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

QByteArray field(const QByteArray &line, const QByteArray &key)
{
    return answerField(line, key);
}

std::vector<TestRoute> routeTo(const QString &url)
{
    return { { QStringLiteral("Host(`app.localhost`)"), { url } } };
}

/// GET `path` through `proxy` on a new client connection; an empty response when none came.
testkit::RawResponse fetchThrough(const ProxyFixture &proxy, const QByteArray &path)
{
    RawClient client;
    client.connectTo(proxy.port());
    client.send(get(path));
    const auto &responses = client.waitForResponses(1, 15000);
    return responses.empty() ? testkit::RawResponse {} : responses.front();
}

} // namespace

class tst_H2UpstreamTls : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void negotiatesByAlpn_data();
    void negotiatesByAlpn();
    void trust_data();
    void trust();
    void concurrentFirstContact_data();
    void concurrentFirstContact();
    void serverRestartsWithoutH2();
    void serverRestartsWithH2();
    void upgradeRequestsUseHttp1();
    void rootCAsInStaticConfig();
    void healthProbeTrust_data();
    void healthProbeTrust();

private:
    config::ServersTransportSpec trusting() const;
    QTemporaryDir m_dir;
    QString m_cert, m_key, m_otherCert;
};

void tst_H2UpstreamTls::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty())
        QFAIL("node is missing (apt-get install nodejs): the TLS backends are Node servers");
    QVERIFY(m_dir.isValid());
    // A self-signed CA certificate for localhost and 127.0.0.1, and another one nobody uses.
    for (const QString &name : { QStringLiteral("backend"), QStringLiteral("other") }) {
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
            { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                QStringLiteral("-keyout"), m_dir.filePath(name + QStringLiteral("-key.pem")),
                QStringLiteral("-out"), m_dir.filePath(name + QStringLiteral(".pem")),
                QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1") });
        QVERIFY(openssl.waitForFinished(30000));
        QCOMPARE(openssl.exitCode(), 0);
    }
    m_cert = m_dir.filePath(QStringLiteral("backend.pem"));
    m_key = m_dir.filePath(QStringLiteral("backend-key.pem"));
    m_otherCert = m_dir.filePath(QStringLiteral("other.pem"));
}

config::ServersTransportSpec tst_H2UpstreamTls::trusting() const
{
    config::ServersTransportSpec transport;
    transport.rootCAs = QStringList { m_cert };
    return transport;
}

void tst_H2UpstreamTls::negotiatesByAlpn_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QByteArray>("proto");
    QTest::addColumn<int>("connections");
    // h2: one shared connection. HTTP/1.1: the ALPN probe, then one kept-alive connection.
    QTest::newRow("server offers h2: HTTP/2, one connection")
        << QStringLiteral("h2") << QStringLiteral("localhost") << QByteArray("2.0") << 1;
    QTest::newRow("server offers h2, IP literal: HTTP/2")
        << QStringLiteral("h2") << QStringLiteral("127.0.0.1") << QByteArray("2.0") << 1;
    QTest::newRow("server offers http/1.1 only: HTTP/1.1")
        << QStringLiteral("http1") << QStringLiteral("localhost") << QByteArray("1.1") << 2;
    QTest::newRow("server without ALPN: HTTP/1.1")
        << QStringLiteral("noalpn") << QStringLiteral("localhost") << QByteArray("1.1") << 2;
}

void tst_H2UpstreamTls::negotiatesByAlpn()
{
    QFETCH(QString, mode);
    QFETCH(QString, host);
    QFETCH(QByteArray, proto);
    QFETCH(int, connections);
    NodeBackend backend(mode, m_cert, m_key);
    QVERIFY(backend.port() > 0);
    ProxyFixture proxy(routeTo(backend.url(host)), loopbackEntryPoint(), trusting());
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/first?x=1"));
    QCOMPARE(client.waitForResponses(1, 15000).size(), size_t(1));
    client.send(post("/second", "hello"));
    QCOMPARE(client.waitForResponses(2, 15000).size(), size_t(2));
    client.send(get("/third"));
    const auto &responses = client.waitForResponses(3, 15000);
    QCOMPARE(responses.size(), size_t(3));
    const QByteArray paths[] = { "/first?x=1", "/second", "/third" };
    for (int i = 0; i < 3; ++i) {
        const QByteArray &body = responses[size_t(i)].body;
        QVERIFY2(responses[size_t(i)].status == 200, body.constData());
        QCOMPARE(field(body, "proto"), proto);
        QCOMPARE(field(body, "path"), paths[i]);
        QCOMPARE(field(body, "host"), QByteArray("app.localhost"));
        // HTTP/2 requests to an https server say so (:scheme, RFC 9113 §8.3.1).
        QCOMPARE(field(body, "scheme"), proto == "2.0" ? QByteArray("https") : QByteArray("-"));
    }
    QCOMPARE(field(responses[1].body, "body"), QByteArray("5"));
    QCOMPARE(field(responses[2].body, "conns").toInt(), connections);
}

void tst_H2UpstreamTls::trust_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("trust"); // 0 system roots, 1 rootCAs file, 2 rootCAs PEM text,
                                    // 3 another CA, 4 insecureSkipVerify, 5 unreadable file
    QTest::addColumn<int>("status");
    QTest::newRow("h2 server, system roots only: 502") << QStringLiteral("h2") << 0 << 502;
    QTest::newRow("http/1.1 server, system roots only: 502") << QStringLiteral("http1") << 0 << 502;
    QTest::newRow("rootCAs file trusts it") << QStringLiteral("h2") << 1 << 200;
    QTest::newRow("rootCAs as PEM text trusts it") << QStringLiteral("h2") << 2 << 200;
    QTest::newRow("rootCAs of another CA: 502") << QStringLiteral("h2") << 3 << 502;
    QTest::newRow("insecureSkipVerify: h2 anyway") << QStringLiteral("h2") << 4 << 200;
    QTest::newRow("insecureSkipVerify: http/1.1 server") << QStringLiteral("http1") << 4 << 200;
    QTest::newRow("unreadable rootCAs file trusts nothing") << QStringLiteral("h2") << 5 << 502;
}

void tst_H2UpstreamTls::trust()
{
    QFETCH(QString, mode);
    QFETCH(int, trust);
    QFETCH(int, status);
    NodeBackend backend(mode, m_cert, m_key);
    QVERIFY(backend.port() > 0);
    config::ServersTransportSpec transport;
    if (trust == 1) {
        transport.rootCAs = QStringList { m_cert };
    } else if (trust == 2) {
        QFile pem(m_cert);
        QVERIFY(pem.open(QIODevice::ReadOnly));
        transport.rootCAs = QStringList { QString::fromLatin1(pem.readAll()) };
    } else if (trust == 3) {
        transport.rootCAs = QStringList { m_otherCert };
    } else if (trust == 4) {
        transport.insecureSkipVerify = true;
    } else if (trust == 5) {
        transport.rootCAs = QStringList { m_dir.filePath(QStringLiteral("missing.pem")) };
    }
    ProxyFixture proxy(routeTo(backend.url()), loopbackEntryPoint(), transport);
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/"));
    const auto &responses = client.waitForResponses(1, 15000);
    QCOMPARE(responses.size(), size_t(1));
    QCOMPARE(responses[0].status, status);
    if (status == 200)
        QCOMPARE(field(responses[0].body, "proto"),
            QByteArray(mode == QLatin1String("h2") ? "2.0" : "1.1"));
}

void tst_H2UpstreamTls::concurrentFirstContact_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<QByteArray>("proto");
    QTest::newRow("h2 server") << QStringLiteral("h2") << QByteArray("2.0");
    QTest::newRow("http/1.1 server") << QStringLiteral("http1") << QByteArray("1.1");
}

void tst_H2UpstreamTls::concurrentFirstContact()
{
    // Many exchanges reach a server before its protocol is known: they share the ALPN probe
    // and all land on the protocol it selected.
    QFETCH(QString, mode);
    QFETCH(QByteArray, proto);
    NodeBackend backend(mode, m_cert, m_key);
    QVERIFY(backend.port() > 0);
    ProxyFixture proxy(routeTo(backend.url()), loopbackEntryPoint(), trusting());
    QVERIFY(proxy.ok());
    constexpr int kClients = 8;
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<RawClient>());
        QVERIFY(clients.back()->connectTo(proxy.port()));
    }
    for (int i = 0; i < kClients; ++i)
        clients[size_t(i)]->send(post("/c" + QByteArray::number(i), QByteArray(i * 100, 'x')));
    for (int i = 0; i < kClients; ++i) {
        const auto &responses = clients[size_t(i)]->waitForResponses(1, 15000);
        QCOMPARE(responses.size(), size_t(1));
        QCOMPARE(responses[0].status, 200);
        QCOMPARE(field(responses[0].body, "proto"), proto);
        QCOMPARE(field(responses[0].body, "path"), "/c" + QByteArray::number(i));
        QCOMPARE(field(responses[0].body, "body").toInt(), i * 100);
    }
}

void tst_H2UpstreamTls::serverRestartsWithoutH2()
{
    // The engine remembers that the server speaks h2; after a restart on the same port without
    // h2, the new connection's handshake says http/1.1 and the request moves there, no 502.
    auto backend = std::make_unique<NodeBackend>(QStringLiteral("h2"), m_cert, m_key);
    const quint16 port = backend->port();
    QVERIFY(port > 0);
    ProxyFixture proxy(routeTo(backend->url()), loopbackEntryPoint(), trusting(), 1);
    QVERIFY(proxy.ok());
    const testkit::RawResponse before = fetchThrough(proxy, "/before");
    QCOMPARE(before.status, 200);
    QCOMPARE(field(before.body, "proto"), QByteArray("2.0"));
    backend.reset();
    backend = std::make_unique<NodeBackend>(QStringLiteral("http1"), m_cert, m_key, port);
    QCOMPARE(backend->port(), port);
    for (const QByteArray &path : { QByteArray("/after"), QByteArray("/again") }) {
        const testkit::RawResponse after = fetchThrough(proxy, path);
        QVERIFY2(after.status == 200, after.body.constData());
        QCOMPARE(field(after.body, "proto"), QByteArray("1.1"));
        QCOMPARE(field(after.body, "path"), path);
    }
}

void tst_H2UpstreamTls::serverRestartsWithH2()
{
    // The engine remembers that the server answered http/1.1, but only while it keeps HTTP/1.1
    // connections to it: once the last one closed (here: the server went away) the next
    // connection offers h2 again, so a server restarted with h2 gets HTTP/2 without restarting
    // Portico. Before, http/1.1 stuck to the server until the engine ended.
    auto backend = std::make_unique<NodeBackend>(QStringLiteral("http1"), m_cert, m_key);
    const quint16 port = backend->port();
    QVERIFY(port > 0);
    ProxyFixture proxy(routeTo(backend->url()), loopbackEntryPoint(), trusting(), 1);
    QVERIFY(proxy.ok());
    for (const QByteArray &path : { QByteArray("/first"), QByteArray("/known") }) {
        const testkit::RawResponse before = fetchThrough(proxy, path);
        QCOMPARE(before.status, 200);
        QCOMPARE(field(before.body, "proto"), QByteArray("1.1"));
    }
    backend.reset();
    backend = std::make_unique<NodeBackend>(QStringLiteral("h2"), m_cert, m_key, port);
    QCOMPARE(backend->port(), port);
    for (const QByteArray &path : { QByteArray("/after"), QByteArray("/again") }) {
        const testkit::RawResponse after = fetchThrough(proxy, path);
        QVERIFY2(after.status == 200, after.body.constData());
        QCOMPARE(field(after.body, "proto"), QByteArray("2.0"));
        QCOMPARE(field(after.body, "path"), path);
    }
}

void tst_H2UpstreamTls::upgradeRequestsUseHttp1()
{
    // WebSocket has no place in HTTP/2 without RFC 8441: an Upgrade request goes over HTTP/1.1
    // with its Upgrade header, even to a server that selects h2 (Go's requiresHTTP1 does the
    // same for Traefik); other requests to it keep using h2.
    NodeBackend backend(QStringLiteral("h2"), m_cert, m_key);
    QVERIFY(backend.port() > 0);
    ProxyFixture proxy(routeTo(backend.url()), loopbackEntryPoint(), trusting(), 1);
    QVERIFY(proxy.ok());
    for (const bool first : { true, false }) {
        RawClient plain;
        QVERIFY(plain.connectTo(proxy.port()));
        plain.send(get("/plain"));
        RawClient upgrade;
        QVERIFY(upgrade.connectTo(proxy.port()));
        upgrade.send("GET /ws HTTP/1.1\r\nHost: app.localhost\r\nConnection: Upgrade\r\n"
                     "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        const auto &upgraded = upgrade.waitForResponses(1, 15000);
        QVERIFY2(upgraded.size() == 1, first ? "first contact" : "h2 known");
        QCOMPARE(field(upgraded[0].body, "proto"), QByteArray("1.1"));
        QCOMPARE(field(upgraded[0].body, "upgrade"), QByteArray("websocket"));
        const auto &plainResponses = plain.waitForResponses(1, 15000);
        QCOMPARE(plainResponses.size(), size_t(1));
        QCOMPARE(field(plainResponses[0].body, "proto"), QByteArray("2.0"));
    }
}

void tst_H2UpstreamTls::rootCAsInStaticConfig()
{
    // Traefik's static serversTransport.rootCAs: a list of PEM files (or PEM text).
    const auto loaded = config::parseStaticConfig(
        "serversTransport:\n  insecureSkipVerify: false\n  rootCAs:\n    - /etc/ca/dev.pem\n"
        "    - ./other.pem\n",
        QStringLiteral("static.yaml"));
    QVERIFY2(loaded.ok() && loaded.errors.empty(),
        qPrintable(loaded.errors.empty() ? QString() : loaded.errors.front().toString()));
    QCOMPARE(loaded.config.serversTransport.rootCAs,
        (QStringList { QStringLiteral("/etc/ca/dev.pem"), QStringLiteral("./other.pem") }));
}

void tst_H2UpstreamTls::healthProbeTrust_data()
{
    QTest::addColumn<int>("trust"); // 0 system roots, 1 rootCAs, 2 another CA, 3 insecure
    QTest::addColumn<bool>("up");
    QTest::newRow("system roots: down (unknown issuer)") << 0 << false;
    QTest::newRow("rootCAs: up") << 1 << true;
    QTest::newRow("rootCAs of another CA: down") << 2 << false;
    QTest::newRow("insecureSkipVerify: up") << 3 << true;
}

void tst_H2UpstreamTls::healthProbeTrust()
{
    // Active health checks trust what the proxy trusts: serversTransport rootCAs, else a server
    // the proxy reaches would be marked down.
    QFETCH(int, trust);
    QFETCH(bool, up);
    NodeBackend backend(QStringLiteral("h2"), m_cert, m_key);
    QVERIFY(backend.port() > 0);
    service::Server target;
    target.url = backend.url() + QStringLiteral("/health");
    target.scheme = "https";
    target.host = QStringLiteral("localhost");
    target.port = backend.port();
    target.authority = "localhost:" + QByteArray::number(backend.port());
    config::HealthCheckSpec spec;
    spec.path = QStringLiteral("/health");
    service::HealthProbe::Options options;
    if (trust == 1)
        options.rootCAs = service::rootCertificates({ m_cert });
    else if (trust == 2)
        options.rootCAs = service::rootCertificates({ m_otherCert });
    options.ignoreSslErrors = trust == 3;
    QNetworkAccessManager manager;
    service::HealthProbe probe(&manager, service::probeTargetFor(target, spec), options);
    QSignalSpy finished(&probe, &service::HealthProbe::finished);
    probe.start();
    QVERIFY(finished.wait(15000));
    QVERIFY2(finished.at(0).at(0).toBool() == up, qPrintable(finished.at(0).at(1).toString()));
}

QTEST_GUILESS_MAIN(tst_H2UpstreamTls)
#include "tst_h2_upstream_tls.moc"
