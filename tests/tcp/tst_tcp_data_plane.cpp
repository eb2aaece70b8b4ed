// The TCP data plane with real clients: openssl s_client and curl through TLS passthrough and
// termination, raw sockets for plain TCP, half-close, back-pressure and load balancing.

#include "tests/tcp/tst_tcp.h"
#include "tests/testkit/testkit.h"

#include <QTest>

using namespace portico;
using testing::run;

namespace {

const char *const kBackendCn = "portico-test-backend";

/// Entry points: `web` (HTTP, HTTPS and TLS TCP routers side by side), `tcpep` (plain TCP echo),
/// `greetep` (a server-first protocol), `lbep` (weighted), `denyep` (ipAllowList), `downep`.
const QByteArray kDynamic = R"y(
http:
  routers:
    web: {rule: "Host(`web.localhost`)", service: up, entryPoints: [web]}
    websecure: {rule: "Host(`web.localhost`)", service: up, entryPoints: [web], tls: {}}
  services:
    up: {loadBalancer: {servers: [{url: "%UPSTREAM%"}]}}
tcp:
  routers:
    pass: {rule: "HostSNI(`pass.localhost`)", service: tlsback, entryPoints: [web], tls: {passthrough: true}}
    regexp: {rule: "HostSNIRegexp(`^db-[0-9]+\\.localhost$`)", service: tlsback, entryPoints: [web], tls: {passthrough: true}}
    alpn: {rule: "HostSNI(`*`) && ALPN(`x-portico-test`)", service: tlsback, entryPoints: [web], tls: {passthrough: true}}
    term: {rule: "HostSNI(`term.localhost`)", service: plainhttp, entryPoints: [web], tls: {}}
    claimed: {rule: "HostSNI(`web.localhost`)", service: tlsback, entryPoints: [web], tls: {passthrough: true}}
    faraway: {rule: "ClientIP(`10.0.0.0/8`)", service: echo, entryPoints: [web]}
    echo: {rule: "HostSNI(`*`) && ClientIP(`127.0.0.0/8`)", service: echo, entryPoints: [tcpep]}
    greet: {rule: "HostSNI(`*`)", service: greeter, entryPoints: [greetep]}
    lb: {rule: "HostSNI(`*`)", service: weighted, entryPoints: [lbep]}
    deny: {rule: "HostSNI(`*`)", service: denied, entryPoints: [denyep], middlewares: [lan-only]}
    down: {rule: "HostSNI(`*`)", service: nobody, entryPoints: [downep]}
    tlsup: {rule: "HostSNI(`*`)", service: tlsupstream, entryPoints: [tlsupep]}
    slow: {rule: "HostSNI(`slow.localhost`)", service: echo, entryPoints: [slowep], tls: {passthrough: true}}
  services:
    tlsback: {loadBalancer: {servers: [{address: "%TLSBACK%"}]}}
    plainhttp: {loadBalancer: {servers: [{address: "%UPSTREAM_ADDR%"}]}}
    echo: {loadBalancer: {servers: [{address: "%ECHO%"}], terminationDelay: 2000}}
    greeter: {loadBalancer: {servers: [{address: "%GREETER%"}]}}
    a: {loadBalancer: {servers: [{address: "%A%"}]}}
    b: {loadBalancer: {servers: [{address: "%B%"}]}}
    weighted: {weighted: {services: [{name: a, weight: 3}, {name: b, weight: 1}]}}
    denied: {loadBalancer: {servers: [{address: "%DENIED%"}]}}
    nobody: {loadBalancer: {servers: [{address: "%NOBODY%"}]}}
    tlsupstream: {loadBalancer: {servers: [{address: "localhost:%TLSPORT%", tls: true}]}}
  middlewares:
    lan-only: {ipAllowList: {sourceRange: ["10.0.0.0/8", "192.168.0.0/16"]}}
)y";

} // namespace

void TestTcp::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(testing::makeSelfSigned(
        m_dir->path(), QStringLiteral("pass.localhost"), QString::fromLatin1(kBackendCn)));
    m_tlsBackend = std::make_unique<TcpBackend>(TcpBackend::Mode::TlsHttp, "T",
        m_dir->filePath(QStringLiteral("backend.pem")),
        m_dir->filePath(QStringLiteral("backend.key")));
    m_echo = std::make_unique<TcpBackend>(TcpBackend::Mode::Echo, "E");
    m_greeter = std::make_unique<TcpBackend>(TcpBackend::Mode::Greeter, "G");
    m_a = std::make_unique<TcpBackend>(TcpBackend::Mode::Echo, "A");
    m_b = std::make_unique<TcpBackend>(TcpBackend::Mode::Echo, "B");
    m_denied = std::make_unique<TcpBackend>(TcpBackend::Mode::Echo, "D");
    for (const auto *b :
        { m_tlsBackend.get(), m_echo.get(), m_greeter.get(), m_a.get(), m_b.get(), m_denied.get() })
        QVERIFY(b->ok());
    std::vector<config::EntryPointSpec> eps;
    for (const char *name : { "web", "tcpep", "greetep", "lbep", "denyep", "downep", "tlsupep" })
        eps.push_back(testing::entryPoint(QString::fromLatin1(name)));
    eps.push_back(testing::entryPoint(QStringLiteral("slowep")));
    eps.back().respondingTimeouts.readTimeout = std::chrono::milliseconds(200);
    m_fixture = std::make_unique<testing::TlsProxyFixture>(eps, QByteArray());
    QVERIFY(m_fixture->ok());
    const QByteArray upstream = m_fixture->upstream().url().toUtf8();
    m_fixture->reload(yamlFor(upstream));
    for (const auto &[name, router] : m_fixture->state().tcpRouters) {
        if (!router.errors.empty())
            QFAIL(qPrintable(name + u' ' + router.errors.front().toString()));
    }
}

QByteArray TestTcp::yamlFor(const QByteArray &upstreamUrl) const
{
    QByteArray yaml = kDynamic;
    const std::map<QByteArray, QByteArray> values {
        { "%TLSBACK%", m_tlsBackend->address().toUtf8() },
        { "%TLSPORT%", QByteArray::number(m_tlsBackend->port()) },
        { "%UPSTREAM_ADDR%", upstreamUrl.mid(upstreamUrl.indexOf("//") + 2) },
        { "%ECHO%", m_echo->address().toUtf8() },
        { "%GREETER%", m_greeter->address().toUtf8() },
        { "%A%", m_a->address().toUtf8() },
        { "%B%", m_b->address().toUtf8() },
        { "%DENIED%", m_denied->address().toUtf8() },
        { "%NOBODY%",
            QByteArray("127.0.0.1:") + QByteArray::number(testkit::closedLoopbackPort()) },
    };
    for (const auto &[key, value] : values)
        yaml.replace(key, value);
    return yaml;
}

void TestTcp::cleanupTestCase()
{
    m_fixture.reset();
}

quint16 TestTcp::port(const char *entryPoint) const
{
    return m_fixture->port(QString::fromLatin1(entryPoint));
}

void TestTcp::passthroughCurlSeesBackendCertificate()
{
    // Only the backend's own certificate verifies against backend.pem: Portico's leaf would not.
    const QString hostPort = QStringLiteral("pass.localhost:%1").arg(port("web"));
    const auto r = run(QStringLiteral("curl"),
        { QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("15"),
            QStringLiteral("--cacert"), m_dir->filePath(QStringLiteral("backend.pem")),
            QStringLiteral("--resolve"), hostPort + QStringLiteral(":127.0.0.1"),
            QStringLiteral("https://") + hostPort + u'/' });
    QCOMPARE(r.err, QByteArray());
    QCOMPARE(r.out, QByteArray("tls-backend T sni=pass.localhost\n"));
}

void TestTcp::passthroughOpensslSeesBackendCertificate()
{
    const auto r = run(QStringLiteral("openssl"),
        { QStringLiteral("s_client"), QStringLiteral("-connect"),
            QStringLiteral("127.0.0.1:%1").arg(port("web")), QStringLiteral("-servername"),
            QStringLiteral("pass.localhost") });
    QVERIFY2(r.out.contains(QByteArray("subject=CN = ") + kBackendCn), r.out.constData());
}

void TestTcp::hostSniRegexpAndAlpn_data()
{
    QTest::addColumn<QString>("serverName");
    QTest::addColumn<QString>("alpn");
    QTest::addColumn<bool>("backend"); // else Portico's own certificate (HTTPS path)

    QTest::newRow("HostSNIRegexp matches db-42") << s("db-42.localhost") << QString() << true;
    QTest::newRow("HostSNIRegexp misses db-x") << s("db-x.localhost") << QString() << false;
    QTest::newRow("ALPN x-portico-test offered")
        << s("any.localhost") << s("x-portico-test") << true;
    QTest::newRow("ALPN h2 only: HTTPS path") << s("any.localhost") << s("h2") << false;
    QTest::newRow("HTTPS router's host beats TCP router")
        << s("web.localhost") << QString() << false;
}

void TestTcp::hostSniRegexpAndAlpn()
{
    QFETCH(QString, serverName);
    QFETCH(QString, alpn);
    QFETCH(bool, backend);
    QStringList args { QStringLiteral("s_client"), QStringLiteral("-connect"),
        QStringLiteral("127.0.0.1:%1").arg(port("web")), QStringLiteral("-servername"),
        serverName };
    if (!alpn.isEmpty())
        args << QStringLiteral("-alpn") << alpn;
    const auto r = run(QStringLiteral("openssl"), args);
    const bool sawBackend = r.out.contains(QByteArray("CN = ") + kBackendCn);
    QVERIFY2(r.out.contains("subject="), r.out.constData());
    QCOMPARE(sawBackend, backend);
}

void TestTcp::terminateThenTcp()
{
    // Portico terminates TLS with a certificate from its CA for term.localhost, then forwards the
    // plain bytes: the HTTP upstream sees a request no HTTP router touched (no X-Forwarded-*).
    const auto r = m_fixture->curl(QStringLiteral("https"), QStringLiteral("term.localhost"),
        QStringLiteral("web"), QStringLiteral("/raw"), { QStringLiteral("--http1.1") });
    QCOMPARE(r.err, QByteArray());
    QVERIFY2(r.out.startsWith("HTTP/1.1 200"), r.out.constData());
    QVERIFY2(r.out.endsWith("GET /raw proto= port=\n"), r.out.constData());
}

void TestTcp::httpRoutersKeepWorking_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("plain http next to a plain TCP router") << s("http") << QByteArray("proto=http");
    QTest::newRow("https next to TLS TCP routers") << s("https") << QByteArray("proto=https");
}

void TestTcp::httpRoutersKeepWorking()
{
    QFETCH(QString, scheme);
    QFETCH(QByteArray, body);
    const auto r = m_fixture->curl(scheme, QStringLiteral("web.localhost"), QStringLiteral("web"));
    QCOMPARE(r.err, QByteArray());
    QVERIFY2(r.out.contains("GET / " + body), r.out.constData());
}

void TestTcp::plainEchoWithHalfClose()
{
    // The client's FIN reaches the backend as a FIN, and the backend's answer after it still
    // comes back (RFC 9293 §3.6 half-close).
    QCOMPARE(testing::tcpExchange(port("tcpep"), "ping"), QByteArray("E:pingE:eof\n"));
}

void TestTcp::largeTransferBothWays()
{
    // 8 MiB up while the echo comes back: bounded buffers pause each side instead of growing.
    constexpr qsizetype kSize = 8 * 1024 * 1024;
    const quint16 p = port("tcpep");
    const QByteArray received = testing::tcpExchangeConcurrent(p, QByteArray(kSize, 'x'), 30000);
    QCOMPARE(received.count('x'), kSize);
    QVERIFY(received.endsWith("E:eof\n"));
}

void TestTcp::serverFirstProtocol()
{
    // Only plain TCP routers on greetep: the server is dialled at accept, its greeting arrives
    // before the client sent a byte.
    QCOMPARE(testing::tcpReadFirst(port("greetep"), 8), QByteArray("G hello\n"));
}

void TestTcp::weightedDistribution()
{
    QString sequence;
    for (int i = 0; i < 8; ++i)
        sequence += QString::fromLatin1(testing::tcpExchange(port("lbep"), "x").left(1));
    QCOMPARE(sequence.count(u'A'), 6);
    QCOMPARE(sequence.count(u'B'), 2);
    QCOMPARE(m_a->accepted(), 6);
    QCOMPARE(m_b->accepted(), 2);
}

void TestTcp::ipAllowListRefuses()
{
    QCOMPARE(testing::tcpExchange(port("denyep"), "x"), QByteArray());
    QCOMPARE(m_denied->accepted(), 0);
}

void TestTcp::tlsToBackend()
{
    // `tls: true`: Portico dials the server with TLS and verifies its certificate against the
    // system roots (Traefik's default without insecureSkipVerify): a self-signed backend is
    // reached, refused, and the client's connection is closed without a byte.
    const int before = m_tlsBackend->accepted();
    const QByteArray response = testing::tcpExchange(
        port("tlsupep"), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false);
    QCOMPARE(response, QByteArray());
    QCOMPARE(m_tlsBackend->accepted(), before + 1);
}

void TestTcp::incompleteHelloTimesOut()
{
    // A record header promising a ClientHello that never comes: the peek is bounded by the entry
    // point's readTimeout (200 ms here), then the connection is closed (the client sees EOF well
    // before its own 10 s deadline).
    QVERIFY(
        testing::tcpClosedByServer(port("slowep"), QByteArray("\x16\x03\x01\x02\x00", 5), 10000));
}

void TestTcp::backendDownClosesClient()
{
    QCOMPARE(testing::tcpExchange(port("downep"), "x", false), QByteArray());
}
