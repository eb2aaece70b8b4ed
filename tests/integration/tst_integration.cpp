#include "tests/testkit/http_server.h"
#include "tests/testkit/proxy_fixture.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/wait.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#ifdef PORTICO_HAVE_WEBSOCKETS
#include <QWebSocket>
#include <QWebSocketServer>
#endif

using namespace portico;
using namespace portico::testkit;

namespace {

constexpr qint64 kGiB = qint64(1) << 30;

/// Resident memory of this process (proxy engines + test servers) from /proc/self/status.
qint64 residentKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

/// Samples residentKiB() while the event loop runs and keeps the peak.
struct RssWatch
{
    qint64 baseline = residentKiB();
    qint64 peak = baseline;
    QTimer timer;
    RssWatch()
    {
        QObject::connect(
            &timer, &QTimer::timeout, [this] { peak = std::max(peak, residentKiB()); });
        timer.start(20);
    }
    qint64 growthMiB() const { return (peak - baseline) / 1024; }
};

/// Runs a shell pipeline (curl and friends) while the event loop keeps the servers going.
struct Shell
{
    QProcess process;
    bool run(const QString &command, int timeoutMs = 60000)
    {
        process.start(QStringLiteral("/bin/bash"), { QStringLiteral("-c"), command });
        if (!process.waitForStarted())
            return false;
        return waitUntil([&] { return process.state() == QProcess::NotRunning; }, timeoutMs)
            && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
    }
    QByteArray out() { return process.readAllStandardOutput(); }
    QByteArray err() { return process.readAllStandardError(); }
};

} // namespace

class tst_Integration : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void curlThroughProxyReusesConnections();
    void gigabyteUploadKeepsMemoryFlat();
    void gigabyteDownloadKeepsMemoryFlat();
    void serverSentEventsAreNotBuffered();
    void webSocketEchoThroughTunnel();
};

void tst_Integration::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty())
        QSKIP("curl is not installed (scripts/install-deps.sh test)");
}

void tst_Integration::curlThroughProxyReusesConnections()
{
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("Host(`app.localhost`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    Shell curl;
    const QString url = QStringLiteral("http://app.localhost:%1").arg(proxy.port());
    QVERIFY2(curl.run(QStringLiteral("curl -sS --resolve app.localhost:%1:127.0.0.1 %2/one %2/two "
                                     "-H 'X-Forwarded-For: 9.9.9.9' -d payload")
                          .arg(proxy.port())
                          .arg(url)),
        curl.err().constData());
    const QByteArray out = curl.out();
    QVERIFY2(out.contains("POST /one\n") && out.contains("POST /two\n"), out.constData());
    QVERIFY(out.contains("X-Forwarded-For: 127.0.0.1\n"));
    QVERIFY(out.endsWith("\n\npayload"));
    QCOMPARE(backend.requests().size(), size_t(2));
    QCOMPARE(backend.acceptCount(), 1); // curl reused its connection, so did the proxy
}

void tst_Integration::gigabyteUploadKeepsMemoryFlat()
{
    HttpServer backend([](const ReceivedRequest &request, QTcpSocket *socket) {
        HttpServer::respond(socket, 200, QByteArray::number(request.bodySize));
    });
    backend.setKeepBodies(false);
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RssWatch rss;
    Shell curl;
    QVERIFY2(curl.run(QStringLiteral("head -c %1 /dev/zero | curl -sS -T - %2")
                          .arg(kGiB)
                          .arg(proxy.url(QStringLiteral("/upload"))),
                 100000),
        curl.err().constData());
    QCOMPARE(curl.out(), QByteArray::number(kGiB));
    QVERIFY2(rss.growthMiB() < 64,
        qPrintable(QStringLiteral("rss grew by %1 MiB").arg(rss.growthMiB())));
}

void tst_Integration::gigabyteDownloadKeepsMemoryFlat()
{
    HttpServer backend([](const ReceivedRequest &request, QTcpSocket *socket) {
        HttpServer::streamBody(socket, kGiB, request.target == "/chunked");
    });
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RssWatch rss;
    Shell curl;
    QVERIFY2(curl.run(QStringLiteral("curl -sS -o /dev/null -w '%{size_download}' %1")
                          .arg(proxy.url(QStringLiteral("/download"))),
                 100000),
        curl.err().constData());
    QCOMPARE(curl.out(), QByteArray::number(kGiB));
    QVERIFY2(rss.growthMiB() < 64,
        qPrintable(QStringLiteral("rss grew by %1 MiB").arg(rss.growthMiB())));
}

void tst_Integration::serverSentEventsAreNotBuffered()
{
    QTcpSocket *stream = nullptr;
    HttpServer backend([&](const ReceivedRequest &, QTcpSocket *socket) {
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                      "Cache-Control: no-cache\r\n\r\ndata: one\n\n");
        stream = socket;
    });
    QVERIFY(backend.listen());
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/`)"), { backend.url() } } });
    QVERIFY(proxy.ok());
    RawClient client;
    QVERIFY(client.connectTo(proxy.port()));
    client.send("GET /events HTTP/1.1\r\nHost: a\r\nAccept: text/event-stream\r\n\r\n");
    // The first event arrives while the upstream still holds the stream open.
    QTRY_VERIFY(client.received().contains("data: one\n\n"));
    QVERIFY(stream);
    QVERIFY(client.responses().empty());
    QVERIFY(client.received().contains("Transfer-Encoding: chunked"));
    stream->write("data: two\n\n");
    QTRY_VERIFY(client.received().contains("data: two\n\n"));
    stream->disconnectFromHost();
    const auto &responses = client.waitForResponses(1);
    QCOMPARE(responses.size(), size_t(1));
    QCOMPARE(responses[0].body, QByteArray("data: one\n\ndata: two\n\n"));
}

void tst_Integration::webSocketEchoThroughTunnel()
{
#ifndef PORTICO_HAVE_WEBSOCKETS
    QSKIP("Qt WebSockets not found");
#else
    QWebSocketServer upstream(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY(upstream.listen(QHostAddress::LocalHost, 0));
    connect(&upstream, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *ws = upstream.nextPendingConnection();
        connect(ws, &QWebSocket::textMessageReceived, ws,
            [ws](const QString &m) { ws->sendTextMessage(QStringLiteral("echo:") + m); });
        connect(ws, &QWebSocket::binaryMessageReceived, ws,
            [ws](const QByteArray &m) { ws->sendBinaryMessage(m); });
    });
    ProxyFixture proxy({ { QStringLiteral("PathPrefix(`/ws`)"),
        { QStringLiteral("http://127.0.0.1:%1").arg(upstream.serverPort()) } } });
    QVERIFY(proxy.ok());
    QWebSocket client;
    QSignalSpy connected(&client, &QWebSocket::connected);
    QSignalSpy text(&client, &QWebSocket::textMessageReceived);
    QSignalSpy binary(&client, &QWebSocket::binaryMessageReceived);
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/ws").arg(proxy.port())));
    QVERIFY(connected.wait(5000) || connected.count() == 1);
    client.sendTextMessage(QStringLiteral("hello"));
    QTRY_COMPARE(text.count(), 1);
    QCOMPARE(text.at(0).at(0).toString(), QStringLiteral("echo:hello"));
    // 8 MiB each way goes through the tunnel's back-pressure.
    QByteArray big(8 << 20, 'w');
    for (int i = 0; i < big.size(); i += 4096)
        big[i] = char(i / 4096);
    client.sendBinaryMessage(big);
    QTRY_VERIFY_WITH_TIMEOUT(binary.count() == 1, 20000);
    QCOMPARE(binary.at(0).at(0).toByteArray(), big);
    client.close();
#endif
}

QTEST_MAIN(tst_Integration)
#include "tst_integration.moc"
