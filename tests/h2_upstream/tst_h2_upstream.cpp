// HTTP/2 upstream client (core/proxy/h2_upstream_*): `h2c://` servers behind the proxy, driven by
// real HTTP/1.1 clients and a real h2c server (H2TestServer on Portico's server session).

#include "core/service/health_probe.h"
#include "core/service/load_balancer.h"
#include "core/service/server_url.h"
#include "h2_test_server.h"
#include "tests/testkit/proxy_fixture.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/testkit.h"
#include "tests/testkit/wait.h"

#include <QDeadlineTimer>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace portico;
using namespace portico::testkit;

namespace {

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: grpc.localhost\r\n" + extra + "\r\n";
}

/// Answers with the request's method, target and body, and echoes x-echo as a header.
H2Reply echo(const H2ReceivedRequest &r)
{
    H2Reply reply;
    reply.headers.add("Content-Type", "text/plain");
    reply.headers.add("X-Echo", r.headers.value("X-Echo"));
    reply.body = r.method + ' ' + r.target + '\n' + r.body;
    return reply;
}

std::vector<TestRoute> routeTo(const QString &url)
{
    return { { QStringLiteral("Host(`grpc.localhost`)"), { url } } };
}

bool patternOk(const QByteArray &body)
{
    for (qsizetype i = 0; i < body.size(); ++i) {
        if (body[i] != char('a' + i % 23))
            return false;
    }
    return true;
}

} // namespace

class tst_H2Upstream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverUrlAcceptsH2c_data();
    void serverUrlAcceptsH2c();
    void forwardsRequestAsStream_data();
    void forwardsRequestAsStream();
    void responseTrailersReachChunkedClient();
    void requestTrailersForwarded();
    void exchangesShareOneConnection();
    void streamLimitOpensSecondConnection();
    void refusedStreamIsSentAgain();
    void goawayMovesNewStreamsToNewConnection();
    void failures_data();
    void failures();
    void slowClientThrottlesItsStream();
    void idleConnectionClosed();
    void healthProbeSpeaksH2c();
};

void tst_H2Upstream::serverUrlAcceptsH2c_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QByteArray>("scheme");
    QTest::addColumn<int>("port");
    QTest::newRow("h2c with port")
        << QStringLiteral("h2c://127.0.0.1:50051") << QByteArray("h2c") << 50051;
    QTest::newRow("h2c default port 80")
        << QStringLiteral("h2c://grpc.internal") << QByteArray("h2c") << 80;
    QTest::newRow("upper-case scheme")
        << QStringLiteral("H2C://localhost:9000") << QByteArray("h2c") << 9000;
}

void tst_H2Upstream::serverUrlAcceptsH2c()
{
    QFETCH(QString, url);
    QFETCH(QByteArray, scheme);
    QFETCH(int, port);
    const auto address = service::parseServerUrl(url);
    QVERIFY2(bool(address), qPrintable(address ? QString() : address.error().message));
    QCOMPARE(address->scheme, scheme);
    QCOMPARE(int(address->port), port);
}

void tst_H2Upstream::forwardsRequestAsStream_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<QByteArray>("expectedBody");
    QTest::newRow("get") << get(
        "/a/b?x=1", "X-Echo: 1\r\nConnection: keep-alive, X-Hop\r\nX-Hop: gone\r\n")
                         << QByteArray("GET /a/b?x=1\n");
    QTest::newRow("post with content-length") << QByteArray(
        "POST /submit HTTP/1.1\r\nHost: grpc.localhost\r\nX-Echo: 1\r\n"
        "Content-Length: 5\r\n\r\nhello") << QByteArray("POST /submit\nhello");
    QTest::newRow("chunked post") << QByteArray(
        "POST /up HTTP/1.1\r\nHost: grpc.localhost\r\nX-Echo: 1\r\n"
        "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n")
                                  << QByteArray("POST /up\nabcdefg");
}

void tst_H2Upstream::forwardsRequestAsStream()
{
    QFETCH(QByteArray, request);
    QFETCH(QByteArray, expectedBody);
    H2TestServer server(echo);
    QVERIFY(server.listen());
    ProxyFixture proxy(routeTo(server.url()));
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(request);
    const auto &responses = client.waitForResponses(1);
    QCOMPARE(responses.size(), size_t(1));
    QCOMPARE(responses[0].status, 200);
    QCOMPARE(responses[0].body, expectedBody);
    QCOMPARE(responses[0].headers.value("X-Echo"), QByteArray("1"));
    QCOMPARE(server.requests().size(), size_t(1));
    const H2ReceivedRequest &seen = server.requests()[0];
    // :authority came from Host; connection-specific fields never reach HTTP/2 (RFC 9113 §8.2.2).
    QCOMPARE(seen.headers.value("Host"), QByteArray("grpc.localhost"));
    QVERIFY(!seen.headers.contains("Connection"));
    QVERIFY(!seen.headers.contains("Transfer-Encoding"));
    QVERIFY(!seen.headers.contains("X-Hop"));
    QVERIFY(seen.headers.contains("X-Forwarded-For"));
    // The client connection stays usable for a second exchange on the same stream pool.
    client.send(get("/again"));
    QCOMPARE(client.waitForResponses(2).size(), size_t(2));
    QCOMPARE(client.responses()[1].body, QByteArray("GET /again\n"));
    QCOMPARE(server.acceptCount(), 1);
}

void tst_H2Upstream::responseTrailersReachChunkedClient()
{
    H2TestServer server([](const H2ReceivedRequest &r) {
        H2Reply reply;
        reply.headers.add("Content-Type", "application/grpc");
        reply.body = "payload";
        reply.trailers.add("Grpc-Status", "7");
        reply.trailers.add("Grpc-Message", "denied");
        reply.trailers.add("X-Te-Seen", r.headers.value("TE"));
        return reply;
    });
    QVERIFY(server.listen());
    ProxyFixture proxy(routeTo(server.url()));
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/svc/Method", "TE: trailers\r\n"));
    const auto &responses = client.waitForResponses(1);
    QCOMPARE(responses.size(), size_t(1));
    QCOMPARE(responses[0].body, QByteArray("payload"));
    QCOMPARE(responses[0].trailers.value("Grpc-Status"), QByteArray("7"));
    QCOMPARE(responses[0].trailers.value("Grpc-Message"), QByteArray("denied"));
    QCOMPARE(responses[0].trailers.value("X-Te-Seen"), QByteArray("trailers"));
}

void tst_H2Upstream::requestTrailersForwarded()
{
    H2TestServer server(echo);
    QVERIFY(server.listen());
    ProxyFixture proxy(routeTo(server.url()));
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send("POST /t HTTP/1.1\r\nHost: grpc.localhost\r\nTransfer-Encoding: chunked\r\n"
                "TE: trailers\r\n\r\n2\r\nhi\r\n0\r\nX-Check: 42\r\n\r\n");
    QCOMPARE(client.waitForResponses(1).size(), size_t(1));
    QCOMPARE(client.responses()[0].body, QByteArray("POST /t\nhi"));
    QCOMPARE(server.requests()[0].trailers.value("X-Check"), QByteArray("42"));
}

void tst_H2Upstream::exchangesShareOneConnection()
{
    H2TestServer server(echo);
    QVERIFY(server.listen());
    server.setHold(true);
    ProxyFixture proxy(routeTo(server.url()), loopbackEntryPoint(), {}, 1);
    QVERIFY(proxy.ok());
    constexpr int kClients = 20;
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.push_back(std::make_unique<RawClient>());
        QVERIFY(clients.back()->connectTo(proxy.port()));
        clients.back()->send(get("/c" + QByteArray::number(i)));
    }
    QVERIFY(waitUntil([&] { return int(server.requests().size()) == kClients; }));
    QCOMPARE(server.openStreams(), kClients); // all in flight at once, as streams
    server.release();
    for (int i = 0; i < kClients; ++i) {
        QCOMPARE(clients[size_t(i)]->waitForResponses(1).size(), size_t(1));
        QCOMPARE(clients[size_t(i)]->responses()[0].body, "GET /c" + QByteArray::number(i) + '\n');
    }
    QCOMPARE(server.acceptCount(), 1);
}

void tst_H2Upstream::streamLimitOpensSecondConnection()
{
    H2TestServer server(echo, 2);
    QVERIFY(server.listen());
    ProxyFixture proxy(routeTo(server.url()), loopbackEntryPoint(), {}, 1);
    QVERIFY(proxy.ok());
    // The first exchange learns the server's SETTINGS_MAX_CONCURRENT_STREAMS.
    RawClient first;
    QVERIFY(first.connectTo(proxy.port()));
    first.send(get("/first"));
    QCOMPARE(first.waitForResponses(1).size(), size_t(1));
    server.setHold(true);
    std::vector<std::unique_ptr<RawClient>> clients;
    for (int i = 0; i < 5; ++i) {
        clients.push_back(std::make_unique<RawClient>());
        QVERIFY(clients.back()->connectTo(proxy.port()));
        clients.back()->send(get("/c" + QByteArray::number(i)));
    }
    QVERIFY(waitUntil([&] { return server.requests().size() == 6; }));
    QCOMPARE(server.acceptCount(), 3); // 2 + 2 + 1 streams
    server.release();
    for (auto &c : clients)
        QCOMPARE(c->waitForResponses(1).size(), size_t(1));
}

void tst_H2Upstream::refusedStreamIsSentAgain()
{
    H2TestServer server(echo);
    QVERIFY(server.listen());
    server.refuseNext(1);
    ProxyFixture proxy(routeTo(server.url()));
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/refused-once"));
    QCOMPARE(client.waitForResponses(1).size(), size_t(1));
    QCOMPARE(client.responses()[0].status, 200);
    QCOMPARE(client.responses()[0].body, QByteArray("GET /refused-once\n"));
    QCOMPARE(server.requests().size(), size_t(1));
}

void tst_H2Upstream::goawayMovesNewStreamsToNewConnection()
{
    H2TestServer server(echo);
    QVERIFY(server.listen());
    server.goawayAfter(1);
    ProxyFixture proxy(routeTo(server.url()), loopbackEntryPoint(), {}, 1);
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/one"));
    QCOMPARE(client.waitForResponses(1).size(), size_t(1));
    QCOMPARE(client.responses()[0].status, 200);
    client.send(get("/two", "Content-Length: 0\r\n"));
    QCOMPARE(client.waitForResponses(2).size(), size_t(2));
    QCOMPARE(client.responses()[1].status, 200);
    QCOMPARE(server.requests().size(), size_t(2));
    QCOMPARE(server.requests()[1].connection, 2);
}

void tst_H2Upstream::failures_data()
{
    QTest::addColumn<QString>("mode");
    QTest::addColumn<int>("status");
    QTest::newRow("connection refused → 502") << QStringLiteral("refused") << 502;
    QTest::newRow("connection dropped before the head → 502") << QStringLiteral("drop") << 502;
    QTest::newRow("stream reset mid-body → client connection aborted")
        << QStringLiteral("reset") << 200;
    QTest::newRow("no head within responseHeaderTimeout → 504") << QStringLiteral("timeout") << 504;
}

void tst_H2Upstream::failures()
{
    QFETCH(QString, mode);
    QFETCH(int, status);
    H2TestServer server([](const H2ReceivedRequest &) {
        H2Reply reply;
        reply.resetAfterHead = true;
        return reply;
    });
    QVERIFY(server.listen());
    server.setHold(mode != QLatin1String("reset"));
    const QString url = mode == QLatin1String("refused")
        ? QStringLiteral("h2c://127.0.0.1:%1").arg(closedLoopbackPort())
        : server.url();
    config::ServersTransportSpec transport;
    if (mode == QLatin1String("timeout"))
        transport.responseHeaderTimeout = std::chrono::milliseconds(300);
    ProxyFixture proxy(routeTo(url), loopbackEntryPoint(), transport);
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/fail"));
    if (mode == QLatin1String("drop")) {
        QVERIFY(waitUntil([&] { return server.requests().size() == 1; }));
        server.dropConnections();
    }
    client.waitForResponses(1, 10000);
    if (mode == QLatin1String("reset")) {
        // The head arrived but the body cannot complete: the client must see the connection end
        // without a complete response (the head may or may not have been flushed before).
        QVERIFY(client.waitForClosed(10000));
        QVERIFY(client.responses().empty());
        QVERIFY(server.requests().size() == 1);
        return;
    }
    QCOMPARE(client.responses().size(), size_t(1));
    QCOMPARE(client.responses()[0].status, status);
}

void tst_H2Upstream::slowClientThrottlesItsStream()
{
    constexpr qint64 kSize = 24 * 1024 * 1024;
    H2TestServer server([](const H2ReceivedRequest &) {
        H2Reply reply;
        reply.generatedSize = kSize;
        reply.headers.add("Content-Length", QByteArray::number(kSize));
        return reply;
    });
    QVERIFY(server.listen());
    ProxyFixture proxy(routeTo(server.url()));
    QVERIFY(proxy.ok());
    QTcpSocket client;
    client.setReadBufferSize(64 * 1024); // the client stops reading: Qt takes 64 KiB at most
    client.connectToHost(QHostAddress::LocalHost, proxy.port());
    QVERIFY(client.waitForConnected(5000));
    client.write(get("/big"));
    // The server may only send what the proxy acknowledged: the stream window plus what the
    // downstream buffers hold, far below the whole body while the client does not read.
    QVERIFY(waitUntil([&] { return server.bodyBytesSent() > 512 * 1024; }));
    // Back-pressure holds once nothing more moves for 200 ms (checked outside waitUntil: no
    // event loop nested in its predicate).
    qint64 before = -1;
    QDeadlineTimer deadline(15000);
    while (server.bodyBytesSent() != before && !deadline.hasExpired()) {
        before = server.bodyBytesSent();
        QTest::qWait(200);
    }
    QVERIFY2(!deadline.hasExpired(), "the server never stopped sending");
    qInfo() << "bytes the server could send while the client did not read:"
            << server.bodyBytesSent();
    QVERIFY2(server.bodyBytesSent() < 8 * 1024 * 1024,
        qPrintable(QString::number(server.bodyBytesSent())));
    client.setReadBufferSize(0);
    QByteArray received;
    QVERIFY(waitUntil(
        [&] {
            received += client.readAll();
            const qsizetype end = received.indexOf("\r\n\r\n");
            return end > 0 && received.size() - end - 4 >= kSize;
        },
        60000));
    const qsizetype end = received.indexOf("\r\n\r\n");
    QVERIFY(received.startsWith("HTTP/1.1 200"));
    QCOMPARE(received.size() - end - 4, kSize);
    QVERIFY(patternOk(received.mid(end + 4)));
}

void tst_H2Upstream::idleConnectionClosed()
{
    H2TestServer server(echo);
    QVERIFY(server.listen());
    config::ServersTransportSpec transport;
    transport.idleConnTimeout = std::chrono::milliseconds(200);
    ProxyFixture proxy(routeTo(server.url()), loopbackEntryPoint(), transport, 1);
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/one"));
    QCOMPARE(client.waitForResponses(1).size(), size_t(1));
    QVERIFY(waitUntil([&] { return server.closedCount() == 1; }, 10000));
    // A new exchange dials again.
    client.send(get("/two"));
    QCOMPARE(client.waitForResponses(2).size(), size_t(2));
    QCOMPARE(client.responses()[1].status, 200);
    QCOMPARE(server.acceptCount(), 2);
}

void tst_H2Upstream::healthProbeSpeaksH2c()
{
    // An h2c server answers only HTTP/2: the active health check must use prior knowledge too,
    // or every gRPC server would be marked down.
    H2TestServer server(echo);
    QVERIFY(server.listen());
    service::Server target;
    target.url = server.url() + QStringLiteral("/health");
    target.scheme = "h2c";
    target.host = QStringLiteral("127.0.0.1");
    target.port = server.port();
    target.authority = "127.0.0.1:" + QByteArray::number(server.port());
    config::HealthCheckSpec spec;
    spec.path = QStringLiteral("/health");
    QNetworkAccessManager manager;
    service::HealthProbe probe(&manager, service::probeTargetFor(target, spec), {});
    QSignalSpy finished(&probe, &service::HealthProbe::finished);
    probe.start();
    QVERIFY(finished.wait(10000));
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));
    QCOMPARE(server.requests().size(), size_t(1));
    QCOMPARE(server.requests()[0].target, QByteArray("/health"));
}

QTEST_GUILESS_MAIN(tst_H2Upstream)
#include "tst_h2_upstream.moc"
