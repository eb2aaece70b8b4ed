#include "tests/observe_capture/tst_observe_capture.h"

#include "core/middleware/headers.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/testkit.h"
#include "tests/testkit/wait.h"

#include <QProcess>
#include <QSignalSpy>

using namespace portico;
using namespace portico::testkit;
using observe::RecordPtr;
using observe::RecordState;

namespace portico::testkit {

CaptureProxy::CaptureProxy(
    proxy::RoutingTablePtr table, observe::CaptureSettings settings, bool capture)
    : m_hub(std::move(settings))
{
    QObject::connect(&m_hub, &observe::CaptureHub::recordsPublished, &m_hub,
        [this](const observe::RecordBatch &batch) {
            m_published.insert(m_published.end(), batch.begin(), batch.end());
        });
    QObject::connect(&m_hub, &observe::CaptureHub::exchangesFinished, &m_hub,
        [this](const observe::RecordBatch &batch) {
            m_finished.insert(m_finished.end(), batch.begin(), batch.end());
        });
    if (capture)
        m_server.setCaptureHub(&m_hub);
    m_server.setRoutingTable(std::move(table));
    if (m_server.listen({ loopbackEntryPoint() }, {}, 1))
        m_port = m_server.port(QStringLiteral("web"));
}

CaptureProxy::~CaptureProxy() = default;

QString CaptureProxy::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path);
}

RecordPtr CaptureProxy::waitFinished(size_t count, int timeoutMs)
{
    if (!waitUntil([&] { return m_finished.size() >= count; }, timeoutMs))
        return {};
    return m_finished[count - 1];
}

proxy::RoutingTablePtr tableWithNames(
    const std::vector<TestRoute> &routes, const std::vector<QStringList> &middlewareNames)
{
    auto table
        = std::make_shared<proxy::RoutingTable>(*makeRoutingTable(QStringLiteral("web"), routes));
    auto &list = table->entryPoints[QStringLiteral("web")].routes;
    for (size_t i = 0; i < list.size() && i < middlewareNames.size(); ++i)
        list[i].middlewareNames = middlewareNames[i];
    return table;
}

} // namespace portico::testkit

namespace {

/// A request over a fresh connection; the raw client's parsed response.
RawResponse exchange(quint16 port, const QByteArray &bytes)
{
    RawClient client;
    if (!client.connectTo(port))
        return {};
    client.send(bytes);
    const auto &responses = client.waitForResponses(1);
    return responses.empty() ? RawResponse {} : responses.front();
}

QByteArray post(const QByteArray &target, const QByteArray &body)
{
    return "POST " + target + " HTTP/1.1\r\nHost: app.test\r\nContent-Length: "
        + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

std::shared_ptr<const middleware::Middleware> headersMiddleware()
{
    middleware::Headers::Spec spec;
    spec.customRequestHeaders = { { "X-Added", "yes" } };
    spec.customResponseHeaders = { { "X-Resp", "set" } };
    return std::make_shared<middleware::Headers>(spec);
}

/// A middleware that answers every request itself (like a redirect or an auth failure).
class Teapot final : public middleware::Middleware
{
public:
    std::optional<middleware::LocalResponse> handleRequest(
        middleware::RequestContext &) const override
    {
        middleware::LocalResponse response;
        response.head.status = 418;
        response.body = "short and stout";
        return response;
    }
};

} // namespace

void tst_ObserveCapture::h1RecordFields()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    TestRoute route(QStringLiteral("PathPrefix(`/`)"), { backend.url() });
    route.middlewares = { headersMiddleware() };
    CaptureProxy proxy(tableWithNames({ route }, { { QStringLiteral("hdr@test") } }));
    QVERIFY(proxy.ok());

    const RawResponse response = exchange(proxy.port(), post("/echo?q=1", "hello world"));
    QCOMPARE(response.status, 200);
    const RecordPtr r = proxy.waitFinished();
    QVERIFY(r);
    QCOMPARE(r->state, RecordState::Complete);
    QCOMPARE(r->protocol, observe::Protocol::Http1);
    QVERIFY(r->id > 0);
    QVERIFY(r->startedUs > 0);
    QCOMPARE(r->entryPoint, QStringLiteral("web"));
    QCOMPARE(r->clientAddress, QStringLiteral("127.0.0.1"));
    QVERIFY2(r->clientPort >= 1024, "an ephemeral port"); // the client's, from accept()
    QCOMPARE(r->method, QByteArray("POST"));
    QCOMPARE(r->scheme, QByteArray("http"));
    QCOMPARE(r->host, QByteArray("app.test"));
    QCOMPARE(r->target, QByteArray("/echo?q=1"));
    QCOMPARE(r->httpVersion, QByteArray("HTTP/1.1"));
    QCOMPARE(r->router, QStringLiteral("r0@test"));
    QCOMPARE(r->service, QStringLiteral("svc0@test"));
    QCOMPARE(r->middlewares, QStringList { QStringLiteral("hdr@test") });
    QCOMPARE(r->serverUrl, backend.url());
    // What the middleware changed: added to the forwarded request, not to the received one.
    QVERIFY(!r->requestHeaders.contains("X-Added"));
    QCOMPARE(r->forwardedRequestHeaders.value("X-Added"), QByteArray("yes"));
    QCOMPARE(r->forwardedRequestHeaders.value("X-Forwarded-For"), QByteArray("127.0.0.1"));
    QCOMPARE(r->forwardedTarget, QByteArray("/echo?q=1"));
    QCOMPARE(r->originStatus, 200);
    QCOMPARE(r->status, 200);
    QVERIFY(!r->originResponseHeaders.contains("X-Resp"));
    QCOMPARE(r->responseHeaders.value("X-Resp"), QByteArray("set"));
    QCOMPARE(r->requestBody.data, QByteArray("hello world"));
    QCOMPARE(r->requestBody.size, qint64(11));
    QVERIFY(!r->requestBody.truncated);
    QCOMPARE(r->responseBody.data, response.body);
    QCOMPARE(r->responseBody.size, qint64(response.body.size()));
    QVERIFY(r->error.isEmpty());
    // Timings: every phase happened, in order.
    const observe::Timing &t = r->timing;
    QCOMPARE(t.clientTls, qint64(-1));
    QVERIFY2(t.routing >= 0 && t.upstreamConnect > 0, qPrintable(QString::number(t.routing)));
    QVERIFY(t.timeToFirstByte > t.routing);
    QVERIFY(t.total >= t.timeToFirstByte);
    QVERIFY(r->originDurationUs > 0 && r->originDurationUs <= t.total);
    // Captured: in the ring, published once.
    QCOMPARE(proxy.hub().count(), size_t(1));
    QCOMPARE(proxy.hub().record(r->id), r);
    QCOMPARE(proxy.published().size(), size_t(1));
}

void tst_ObserveCapture::reusedConnectionConnectsInNoTime()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
        { TestRoute(QStringLiteral("PathPrefix(`/`)"), { backend.url() }) }));
    QVERIFY(proxy.ok());
    QCOMPARE(exchange(proxy.port(), post("/a", "1")).status, 200);
    QCOMPARE(exchange(proxy.port(), post("/b", "2")).status, 200);
    const RecordPtr second = proxy.waitFinished(2);
    QVERIFY(second);
    QCOMPARE(backend.acceptCount(), 1);
    QVERIFY(proxy.finished()[0]->timing.upstreamConnect > 0);
    QCOMPARE(second->timing.upstreamConnect, qint64(0));
    QVERIFY(second->id > proxy.finished()[0]->id);
}

void tst_ObserveCapture::bodiesTruncatedAtCap_data()
{
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("truncated");
    QTest::newRow("empty") << 0 << false;
    QTest::newRow("below the cap") << 10 << false;
    QTest::newRow("exactly the cap") << 16 << false;
    QTest::newRow("one over") << 17 << true;
    QTest::newRow("far over") << 100000 << true;
}

void tst_ObserveCapture::bodiesTruncatedAtCap()
{
    QFETCH(int, size);
    QFETCH(bool, truncated);
    HttpServer backend([](const ReceivedRequest &request, QTcpSocket *socket) {
        HttpServer::respond(socket, 200, request.body); // the same bytes back
    });
    QVERIFY(backend.listen());
    observe::CaptureSettings settings;
    settings.bodyCap = 16;
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
                           { TestRoute(QStringLiteral("PathPrefix(`/`)"), { backend.url() }) }),
        settings);
    QVERIFY(proxy.ok());
    QByteArray body(size, 'x');
    for (int i = 0; i < size; ++i)
        body[i] = char('a' + i % 26);
    QCOMPARE(exchange(proxy.port(), post("/", body)).body.size(), size);
    const RecordPtr r = proxy.waitFinished();
    QVERIFY(r);
    for (const observe::CapturedBody *b : { &r->requestBody, &r->responseBody }) {
        QCOMPARE(b->size, qint64(size));
        QCOMPARE(b->truncated, truncated);
        QCOMPARE(b->data, body.left(16));
    }
}

void tst_ObserveCapture::localAnswers_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<bool>("refusedUpstream");
    QTest::addColumn<bool>("teapot");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("router");
    QTest::newRow("no router: 404") << QStringLiteral("Host(`other.test`)") << false << false << 404
                                    << QStringLiteral("no router matched") << QString();
    QTest::newRow("refused upstream: 502")
        << QStringLiteral("PathPrefix(`/`)") << true << false << 502
        << QStringLiteral("upstream connect failed") << QStringLiteral("r0@test");
    QTest::newRow("middleware answers") << QStringLiteral("PathPrefix(`/`)") << false << true << 418
                                        << QString() << QStringLiteral("r0@test");
}

void tst_ObserveCapture::localAnswers()
{
    QFETCH(QString, rule);
    QFETCH(bool, refusedUpstream);
    QFETCH(bool, teapot);
    QFETCH(int, status);
    QFETCH(QString, error);
    QFETCH(QString, router);
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    TestRoute route(rule, { refusedUpstream ? closedLoopbackUrl() : backend.url() });
    if (teapot)
        route.middlewares
            = { headersMiddleware(), std::make_shared<Teapot>(), headersMiddleware() };
    CaptureProxy proxy(tableWithNames({ route },
        { { QStringLiteral("a@test"), QStringLiteral("teapot@test"), QStringLiteral("c@test") } }));
    QVERIFY(proxy.ok());
    const RawResponse response = exchange(proxy.port(), post("/x", "body"));
    QCOMPARE(response.status, status);
    const RecordPtr r = proxy.waitFinished();
    QVERIFY(r);
    QCOMPARE(r->state, RecordState::Complete);
    QCOMPARE(r->status, status);
    QCOMPARE(r->originStatus, 0);
    QCOMPARE(r->error, error);
    QCOMPARE(r->router, router);
    QCOMPARE(r->responseBody.data, response.body);
    QCOMPARE(r->timing.timeToFirstByte, qint64(-1));
    QVERIFY(r->timing.total >= 0);
    QCOMPARE(r->serverUrl.isEmpty(), !refusedUpstream);
    if (teapot) // the chain stopped at the middleware that answered
        QCOMPARE(r->middlewares,
            QStringList({ QStringLiteral("a@test"), QStringLiteral("teapot@test") }));
    QCOMPARE(backend.requests().size(), size_t(0));
}

void tst_ObserveCapture::h2Record()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
        { TestRoute(QStringLiteral("PathPrefix(`/`)"), { backend.url() }) }));
    QVERIFY(proxy.ok());
    QProcess curl;
    curl.start(QStringLiteral("curl"),
        { QStringLiteral("-s"), QStringLiteral("--http2-prior-knowledge"), QStringLiteral("-d"),
            QStringLiteral("payload"), proxy.url(QStringLiteral("/h2")) });
    QVERIFY(waitUntil([&] { return curl.state() == QProcess::NotRunning; }, 15000));
    QCOMPARE(curl.exitCode(), 0);
    const RecordPtr r = proxy.waitFinished();
    QVERIFY(r);
    QCOMPARE(r->protocol, observe::Protocol::Http2);
    QCOMPARE(r->httpVersion, QByteArray("HTTP/2.0"));
    QVERIFY2(r->clientPort >= 1024, "h2c keeps the connection's client port");
    QCOMPARE(r->method, QByteArray("POST"));
    QCOMPARE(r->status, 200);
    QCOMPARE(r->requestBody.data, QByteArray("payload"));
    QVERIFY(r->responseBody.data.startsWith("POST /h2"));
    QCOMPARE(r->state, RecordState::Complete);
}

void tst_ObserveCapture::pauseStillFinishes()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
        { TestRoute(QStringLiteral("PathPrefix(`/`)"), { backend.url() }) }));
    QVERIFY(proxy.ok());
    QSignalSpy changed(&proxy.hub(), &observe::CaptureHub::settingsChanged);
    proxy.hub().setPaused(true);
    QCOMPARE(changed.size(), 1);
    QCOMPARE(exchange(proxy.port(), post("/paused", "secret")).status, 200);
    const RecordPtr r = proxy.waitFinished();
    QVERIFY(r); // logs and metrics still hear of it
    QCOMPARE(r->status, 200);
    QCOMPARE(r->requestBody.size, qint64(6));
    QVERIFY(r->requestBody.data.isEmpty()); // but nothing was kept
    QVERIFY(proxy.published().empty());
    QCOMPARE(proxy.hub().count(), size_t(0));

    proxy.hub().setPaused(false);
    QCOMPARE(exchange(proxy.port(), post("/resumed", "visible")).status, 200);
    const RecordPtr resumed = proxy.waitFinished(2);
    QVERIFY(resumed);
    QCOMPARE(resumed->requestBody.data, QByteArray("visible"));
    QCOMPARE(proxy.hub().count(), size_t(1));
}

void tst_ObserveCapture::routerFilter()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    observe::CaptureSettings settings;
    settings.routers = { QStringLiteral("r1@test") };
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
                           { TestRoute(QStringLiteral("Path(`/zero`)"), { backend.url() }),
                               TestRoute(QStringLiteral("Path(`/one`)"), { backend.url() }) }),
        settings);
    QVERIFY(proxy.ok());
    QCOMPARE(exchange(proxy.port(), post("/zero", "0")).status, 200);
    QCOMPARE(exchange(proxy.port(), post("/one", "1")).status, 200);
    QVERIFY(proxy.waitFinished(2));
    QCOMPARE(proxy.hub().count(), size_t(1));
    const auto kept = proxy.hub().records({});
    QCOMPARE(kept.size(), size_t(1));
    QCOMPARE(kept.front()->router, QStringLiteral("r1@test"));
    QCOMPARE(kept.front()->requestBody.data, QByteArray("1"));
    QVERIFY(proxy.finished()[0]->requestBody.data.isEmpty()); // r0: not captured
}

void tst_ObserveCapture::disabledCaptureRecordsNothing()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
                           { TestRoute(QStringLiteral("PathPrefix(`/`)"), { backend.url() }) }),
        {}, false);
    QVERIFY(proxy.ok());
    QCOMPARE(exchange(proxy.port(), post("/", "x")).status, 200);
    QVERIFY(!proxy.waitFinished(1, 300));
    QCOMPARE(proxy.hub().count(), size_t(0));
}

/// 2,000 exchanges with 100 KiB response bodies through a 4 MiB ring: the budget holds at every
/// batch, old bodies go before old records, and the newest records keep theirs.
void tst_ObserveCapture::floodKeepsBudget()
{
    constexpr int kRequests = 2000;
    constexpr qint64 kBudget = qint64(4) << 20;
    const QByteArray body(100 * 1024, 'b');
    HttpServer backend([&](const ReceivedRequest &, QTcpSocket *socket) {
        HttpServer::respond(socket, 200, body);
    });
    QVERIFY(backend.listen());
    observe::CaptureSettings settings;
    settings.budgetBytes = kBudget;
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
                           { TestRoute(QStringLiteral("PathPrefix(`/`)"), { backend.url() }) }),
        settings);
    QVERIFY(proxy.ok());
    qint64 highest = 0;
    QObject::connect(&proxy.hub(), &observe::CaptureHub::recordsPublished, &proxy.hub(),
        [&] { highest = std::max(highest, proxy.hub().bytesUsed()); });
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    const QByteArray request = "GET /flood HTTP/1.1\r\nHost: app.test\r\n\r\n";
    for (int sent = 0; sent < kRequests; sent += 50) { // pipelined, 50 at a time
        client.send(request.repeated(50));
        QCOMPARE(int(client.waitForResponses(sent + 50, 30000).size()), sent + 50);
    }
    QVERIFY(proxy.waitFinished(kRequests, 30000));
    QVERIFY2(highest <= kBudget, qPrintable(QString::number(highest)));
    QVERIFY(proxy.hub().bytesUsed() <= kBudget);
    const auto kept = proxy.hub().records({}, 0, kRequests);
    QVERIFY(kept.size() > 100); // far more records than 100 KiB bodies fit: bodies went first
    QCOMPARE(kept.front()->id, proxy.finished().back()->id);
    QCOMPARE(kept.front()->responseBody.data.size(), body.size()); // the newest keeps its body
    QVERIFY(kept.back()->responseBody.evicted);
    QVERIFY(kept.back()->responseBody.data.isEmpty());
    QCOMPARE(kept.back()->responseBody.size, qint64(body.size()));
}

void tst_ObserveCapture::abortedExchanges_data()
{
    QTest::addColumn<bool>("clientLeaves");
    QTest::addColumn<QString>("error");
    QTest::newRow("client went away") << true << QStringLiteral("client went away");
    QTest::newRow("upstream closed mid-body")
        << false << QStringLiteral("upstream closed the connection");
}

void tst_ObserveCapture::abortedExchanges()
{
    QFETCH(bool, clientLeaves);
    QFETCH(QString, error);
    bool asked = false;
    HttpServer backend([&](const ReceivedRequest &, QTcpSocket *socket) {
        asked = true;
        if (clientLeaves)
            return; // never answers
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b");
        socket->flush();
        socket->disconnectFromHost();
    });
    QVERIFY(backend.listen());
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
        { TestRoute(QStringLiteral("PathPrefix(`/`)"), { backend.url() }) }));
    QVERIFY(proxy.ok());
    {
        RawClient client;
        QVERIFY(client.connectTo(proxy.port()));
        if (clientLeaves) { // leaves in the middle of its request body
            client.send("POST /upload HTTP/1.1\r\nHost: app.test\r\nContent-Length: 100\r\n\r\n"
                        "only ten b");
            QVERIFY(waitUntil([&] { return backend.acceptCount() > 0; })); // head forwarded
        } else {
            client.send("GET /slow HTTP/1.1\r\nHost: app.test\r\n\r\n");
            QVERIFY(waitUntil([&] { return asked; }));
            QVERIFY(client.waitForClosed());
        }
    } // the client closes
    const RecordPtr r = proxy.waitFinished();
    QVERIFY(r);
    QCOMPARE(r->state, RecordState::Aborted);
    QCOMPARE(r->error, error);
    QCOMPARE(r->status, clientLeaves ? 0 : 200);
    if (clientLeaves)
        QCOMPARE(r->requestBody.data, QByteArray("only ten b"));
    else
        QCOMPARE(r->responseBody.data, QByteArray("only ten b"));
}

QTEST_MAIN(tst_ObserveCapture)
