#include "core/http/h1_writer.h"
#include "core/proxy/proxy_server.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/proxy_fixture.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/testkit.h"

#include <QSignalSpy>
#include <QSysInfo>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace portico;
using namespace portico::testkit;

namespace {

QByteArray get(
    const QByteArray &path, const QByteArray &host = "app.localhost", const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "\r\n";
}

/// Client connections the proxy's engines have accepted (a connect alone only reaches the
/// kernel's backlog).
qint64 acceptedConnections(const proxy::ProxyServer &server)
{
    qint64 open = 0;
    for (const auto &[entryPoint, count] : server.connectionGauges()->counts())
        open += count;
    return open;
}

} // namespace

class tst_Proxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void forwardsWithForwardedHeadersAndWithoutHopByHop();
    void passHostHeaderOffAndPreservePath();
    void localResponses_data();
    void localResponses();
    void badRequestsNeverForwarded_data();
    void badRequestsNeverForwarded();
    void keepAliveReusesUpstreamConnection();
    void serverClosingKeptAliveConnections();
    void pipelinedRequestsAnsweredInOrder();
    void chunkedBothWaysWithTrailers();
    void headResponseHasNoBody();
    void http10ClientGetsCloseDelimitedBody();
    void expectContinueRelayed();
    void slowClientGets408();
    void responseHeaderTimeoutGives504();
    void gracefulShutdownFinishesInFlightResponse();
    void bindErrorsExplainTheFix();
    void routingTableSwap();
};

void tst_Proxy::forwardsWithForwardedHeadersAndWithoutHopByHop()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("Host(`app.localhost`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(
        "GET /a/./b/../c?x=1 HTTP/1.1\r\nHost: app.localhost\r\nX-Forwarded-For: 6.6.6.6\r\n"
        "Connection: keep-alive, X-Hop\r\nX-Hop: secret\r\nKeep-Alive: 5\r\n"
        "Proxy-Connection: keep-alive\r\nX-Plain: kept\r\n\r\n");
    const auto &responses = client.waitForResponses(1);
    QCOMPARE(responses.size(), size_t(1));
    QCOMPARE(responses[0].status, 200);
    QCOMPARE(backend.requests().size(), size_t(1));
    const ReceivedRequest &seen = backend.requests()[0];
    QCOMPARE(seen.target, QByteArray("/a/c?x=1"));
    QCOMPARE(seen.headers.value("Host"), QByteArray("app.localhost"));
    QCOMPARE(seen.headers.value("X-Forwarded-For"), QByteArray("127.0.0.1"));
    QCOMPARE(seen.headers.value("X-Forwarded-Host"), QByteArray("app.localhost"));
    QCOMPARE(seen.headers.value("X-Forwarded-Port"), QByteArray("80"));
    QCOMPARE(seen.headers.value("X-Forwarded-Proto"), QByteArray("http"));
    QCOMPARE(seen.headers.value("X-Forwarded-Server"), QSysInfo::machineHostName().toUtf8());
    QCOMPARE(seen.headers.value("X-Real-Ip"), QByteArray("127.0.0.1"));
    QCOMPARE(seen.headers.value("X-Plain"), QByteArray("kept"));
    for (const char *gone : { "X-Hop", "Keep-Alive", "Proxy-Connection", "Connection" })
        QVERIFY2(!seen.headers.contains(gone), gone);
    QVERIFY(responses[0].headers.contains("Date"));
}

void tst_Proxy::passHostHeaderOffAndPreservePath()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    TestRoute route { QStringLiteral("PathPrefix(`/`)"),
        { backend.url() + QStringLiteral("/base") } };
    route.passHostHeader = false;
    route.preservePath = true;
    ProxyFixture proxy({ route });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/x?y=2"));
    QCOMPARE(client.waitForResponses(1).size(), size_t(1));
    QCOMPARE(backend.requests().at(0).target, QByteArray("/base/x?y=2"));
    QCOMPARE(backend.requests().at(0).headers.value("Host"),
        "127.0.0.1:" + QByteArray::number(backend.port()));
}

void tst_Proxy::localResponses_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<bool>("backendUp");
    QTest::addColumn<bool>("healthy");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("nosniff");
    QTest::newRow("no router matches -> 404")
        << "Host(`other.localhost`)" << true << true << 404 << QByteArray("404 page not found\n")
        << QByteArray("text/plain; charset=utf-8") << QByteArray("nosniff");
    QTest::newRow("all servers unhealthy -> 503")
        << "Host(`app.localhost`)" << true << false << 503 << QByteArray("no available server\n")
        << QByteArray("text/plain; charset=utf-8") << QByteArray("nosniff");
    QTest::newRow("backend down -> 502")
        << "Host(`app.localhost`)" << false << true << 502 << QByteArray("Bad Gateway")
        << QByteArray() << QByteArray();
}

void tst_Proxy::localResponses()
{
    QFETCH(QString, rule);
    QFETCH(bool, backendUp);
    QFETCH(bool, healthy);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, nosniff);
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    const QString url = backendUp ? backend.url() : testkit::closedLoopbackUrl();
    ProxyFixture proxy({ { rule, { url } } });
    QVERIFY(proxy.ok());
    if (!healthy)
        proxy.table()
            ->entryPoints.at(QStringLiteral("web"))
            .routes[0]
            .balancer->servers()[0]
            ->healthy
            = false;
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/") + get("/again"));
    const auto &responses = client.waitForResponses(2);
    QCOMPARE(responses.size(), size_t(2)); // the connection stays usable
    for (const RawResponse &r : responses) {
        QCOMPARE(r.status, status);
        QCOMPARE(r.body, body);
        QCOMPARE(r.headers.value("Content-Type"), contentType);
        QCOMPARE(r.headers.value("X-Content-Type-Options"), nosniff);
        QCOMPARE(r.headers.value("Content-Length"), QByteArray::number(body.size()));
    }
    QCOMPARE(backend.requests().size(), size_t(0));
}

void tst_Proxy::badRequestsNeverForwarded_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("oversize header -> 431")
        << QByteArray(get("/", "app.localhost", "X-Big: " + QByteArray(3000, 'x') + "\r\n")) << 431;
    QTest::newRow("long uri -> 414") << get("/" + QByteArray(2100, 'u')) << 414;
    QTest::newRow("malformed -> 400") << QByteArray("GET / HTTP/1.1\r\nHost app\r\n\r\n") << 400;
    QTest::newRow("smuggling cl+te -> 400")
        << QByteArray("POST / HTTP/1.1\r\nHost: app.localhost\r\nContent-Length: 4\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << 400;
    QTest::newRow("fragment in target -> 400") << get("/a#frag") << 400;
    QTest::newRow("bad percent-encoding -> 400") << get("/a%zz") << 400;
}

void tst_Proxy::badRequestsNeverForwarded()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    config::EntryPointSpec ep = loopbackEntryPoint();
    ep.maxHeaderBytes = 2048;
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } }, ep);
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(request);
    const auto &responses = client.waitForResponses(1);
    QCOMPARE(responses.size(), size_t(1));
    QCOMPARE(responses[0].status, status);
    QVERIFY(client.waitForClosed() || status == 400);
    QCOMPARE(backend.requests().size(), size_t(0));
}

void tst_Proxy::keepAliveReusesUpstreamConnection()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    for (int i = 0; i < 20; ++i) {
        client.send(get("/n" + QByteArray::number(i)));
        QCOMPARE(client.waitForResponses(i + 1).size(), size_t(i + 1));
    }
    QCOMPARE(backend.requests().size(), size_t(20));
    QCOMPARE(backend.acceptCount(), 1);
    QVERIFY(!client.closed());
}

void tst_Proxy::serverClosingKeptAliveConnections()
{
    // The backend closes every connection right after its response (without saying so): a
    // pooled connection found closed is dropped or, for GET, retried once on a fresh one.
    HttpServer backend([](const ReceivedRequest &, QTcpSocket *socket) {
        HttpServer::respond(socket, 200, "ok");
        socket->disconnectFromHost();
    });
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    for (int i = 0; i < 10; ++i) {
        client.send(get("/"));
        const auto &responses = client.waitForResponses(i + 1);
        QCOMPARE(responses.size(), size_t(i + 1));
        QCOMPARE(responses.back().status, 200);
    }
}

void tst_Proxy::pipelinedRequestsAnsweredInOrder()
{
    // The first answer is the slowest: order must still follow the requests.
    HttpServer backend([](const ReceivedRequest &request, QTcpSocket *socket) {
        const int delay = request.target == "/1" ? 100 : 0;
        QTimer::singleShot(
            delay, socket, [socket, request] { HttpServer::respond(socket, 200, request.target); });
    });
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    QByteArray burst;
    for (int i = 1; i <= 6; ++i)
        burst += get("/" + QByteArray::number(i));
    burst += "POST /7 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc" + get("/8");
    client.send(burst);
    const auto &responses = client.waitForResponses(8);
    QCOMPARE(responses.size(), size_t(8));
    for (int i = 0; i < 8; ++i)
        QCOMPARE(responses[size_t(i)].body, "/" + QByteArray::number(i + 1));
}

void tst_Proxy::chunkedBothWaysWithTrailers()
{
    HttpServer backend([](const ReceivedRequest &request, QTcpSocket *socket) {
        QByteArray out = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        http::h1::writeChunk(out, "got:");
        http::h1::writeChunk(out, request.body);
        HeaderList trailers;
        trailers.add("X-Sum", "42");
        http::h1::writeLastChunk(out, trailers);
        socket->write(out);
    });
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTE: trailers\r\n\r\n"
                "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Up: 7\r\n\r\n");
    const auto &responses = client.waitForResponses(1);
    QCOMPARE(responses.size(), size_t(1));
    QCOMPARE(responses[0].body, QByteArray("got:hello world"));
    QCOMPARE(responses[0].headers.value("Transfer-Encoding"), QByteArray("chunked"));
    QCOMPARE(responses[0].trailers.value("X-Sum"), QByteArray("42"));
    const ReceivedRequest &seen = backend.requests().at(0);
    QCOMPARE(seen.body, QByteArray("hello world"));
    QCOMPARE(seen.headers.value("Transfer-Encoding"), QByteArray("chunked"));
    QCOMPARE(seen.trailers.value("X-Up"), QByteArray("7"));
}

void tst_Proxy::headResponseHasNoBody()
{
    HttpServer backend([](const ReceivedRequest &request, QTcpSocket *socket) {
        if (request.method == "HEAD")
            socket->write("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
        else
            HttpServer::respond(socket, 200, "full");
    });
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.expectMethods({ "HEAD", "GET" });
    client.send("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n" + get("/"));
    const auto &responses = client.waitForResponses(2);
    QCOMPARE(responses.size(), size_t(2));
    QCOMPARE(responses[0].headers.value("Content-Length"), QByteArray("1234"));
    QCOMPARE(responses[0].body, QByteArray());
    QCOMPARE(responses[1].body, QByteArray("full"));
}

void tst_Proxy::http10ClientGetsCloseDelimitedBody()
{
    HttpServer backend([](const ReceivedRequest &, QTcpSocket *socket) {
        socket->write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    });
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send("GET / HTTP/1.0\r\nHost: a\r\n\r\n");
    QVERIFY(client.waitForClosed());
    QVERIFY2(client.received().startsWith("HTTP/1.0 200 OK\r\n"), client.received().constData());
    QVERIFY(client.received().endsWith("\r\n\r\nabc"));
    QVERIFY(!client.received().contains("chunked"));
}

void tst_Proxy::expectContinueRelayed()
{
    HttpServer backend(echoHandler());
    backend.setHeadHandler([](const ReceivedRequest &request, QTcpSocket *socket) {
        if (request.headers.hasToken("Expect", "100-continue"))
            socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    });
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send("PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    const auto &interim = client.waitForResponses(1);
    QCOMPARE(interim.size(), size_t(1));
    QCOMPARE(interim[0].status, 100);
    client.send("12345");
    const auto &responses = client.waitForResponses(2);
    QCOMPARE(responses.size(), size_t(2));
    QCOMPARE(responses[1].status, 200);
    QVERIFY(responses[1].body.endsWith("\n\n12345"));
}

void tst_Proxy::slowClientGets408()
{
    config::EntryPointSpec ep = loopbackEntryPoint();
    ep.respondingTimeouts.readTimeout = std::chrono::milliseconds(300);
    ProxyFixture proxy({}, ep);
    QVERIFY(proxy.ok());
    // An idle connection is not a slow request. It opens first, so by the time the slow client's
    // 408 arrives it has been idle for longer than readTimeout — and must still be open.
    RawClient idle;
    QVERIFY(idle.connectTo(proxy.port()));
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send("GET / HTTP/1.1\r\nHo");
    QVERIFY(client.waitForClosed(5000));
    QVERIFY2(client.received().startsWith("HTTP/1.1 408 Request Timeout\r\n"),
        client.received().constData());
    QVERIFY(!idle.closed());
    QVERIFY(idle.received().isEmpty());
}

void tst_Proxy::responseHeaderTimeoutGives504()
{
    HttpServer backend([](const ReceivedRequest &, QTcpSocket *) {}); // never answers
    QVERIFY(backend.listen());
    config::ServersTransportSpec transport;
    transport.responseHeaderTimeout = std::chrono::milliseconds(200);
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } },
        loopbackEntryPoint(), transport);
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/"));
    const auto &responses = client.waitForResponses(1);
    QCOMPARE(responses.size(), size_t(1));
    QCOMPARE(responses[0].status, 504);
    QCOMPARE(responses[0].body, QByteArray("Gateway Timeout"));
}

void tst_Proxy::gracefulShutdownFinishesInFlightResponse()
{
    QTcpSocket *held = nullptr;
    HttpServer backend([&](const ReceivedRequest &, QTcpSocket *socket) { held = socket; });
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient busy, idle;
    QVERIFY(busy.connectTo(proxy.port()));
    QVERIFY(idle.connectTo(proxy.port()));
    // A connection still in the backlog when accepting stops is never served (nor closed before
    // the listening sockets are): both must be the engines' before the shutdown.
    QTRY_COMPARE(acceptedConnections(proxy.server()), qint64(2));
    busy.send(get("/slow"));
    QTRY_VERIFY(held != nullptr);
    QSignalSpy finished(&proxy.server(), &proxy::ProxyServer::finished);
    proxy.server().shutdown(std::chrono::milliseconds(5000));
    QVERIFY(idle.waitForClosed()); // idle keep-alive connections close at once
    QCOMPARE(finished.count(), 0);
    HttpServer::respond(held, 200, "finally");
    const auto &responses = busy.waitForResponses(1);
    QCOMPARE(responses.size(), size_t(1));
    QCOMPARE(responses[0].body, QByteArray("finally"));
    QCOMPARE(responses[0].headers.value("Connection"), QByteArray("close"));
    QVERIFY(busy.waitForClosed());
    QVERIFY(finished.wait(5000) || finished.count() == 1);
    QVERIFY(proxy.shutdown(0));
    // Nothing listens any more.
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, proxy.port());
    QVERIFY(!probe.waitForConnected(1000) || probe.state() != QAbstractSocket::ConnectedState);
}

void tst_Proxy::bindErrorsExplainTheFix()
{
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    config::EntryPointSpec ep = loopbackEntryPoint();
    ep.port = taken.serverPort();
    proxy::ProxyServer server;
    auto result = server.listen({ ep }, {}, 1);
    QVERIFY(!result);
    const QString text = result.error().toString();
    QVERIFY2(text.contains(QStringLiteral("cannot listen on 127.0.0.1:%1 for entry point \"web\": "
                                          "address already in use")
                               .arg(taken.serverPort())),
        qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("ss -ltnp 'sport = :%1'").arg(taken.serverPort())),
        qPrintable(text));
    QVERIFY(!server.isRunning());
}

void tst_Proxy::routingTableSwap()
{
    HttpServer a([](const ReceivedRequest &, QTcpSocket *s) { HttpServer::respond(s, 200, "a"); });
    HttpServer b([](const ReceivedRequest &, QTcpSocket *s) { HttpServer::respond(s, 200, "b"); });
    QVERIFY(a.listen());
    QVERIFY(b.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { a.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send(get("/"));
    QCOMPARE(client.waitForResponses(1).at(0).body, QByteArray("a"));
    proxy.server().setRoutingTable(makeRoutingTable(
        QStringLiteral("web"), { { QStringLiteral("PathPrefix(`/`)"), { b.url() } } }));
    // Queued to the engines: poll until the new table answers.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            client.send(get("/"));
            const auto &r = client.waitForResponses(int(client.responses().size()) + 1);
            return r.back().body == "b";
        }(),
        5000);
}

QTEST_MAIN(tst_Proxy)
#include "tst_proxy.moc"
