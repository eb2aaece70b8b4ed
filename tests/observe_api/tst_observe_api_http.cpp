// The inspector's endpoints against a real core: real requests through the proxy, captured by
// the data plane's tap, read back over the control API.
#include "tests/observe_api/har_validator.h"
#include "tests/observe_api/inspector_fixture.h"
#include "tests/testkit/wait.h"

#include <QProcess>
#include <QTcpSocket>
#include <QTest>

using namespace portico;
using namespace portico::testkit;

namespace {

const ReceivedRequest *lastRequestTo(const HttpServer &backend, const QByteArray &target)
{
    for (auto it = backend.requests().rbegin(); it != backend.requests().rend(); ++it) {
        if (it->target == target)
            return &*it;
    }
    return nullptr;
}

QString headerOf(const QJsonObject &part, const QString &name)
{
    for (const QJsonValue &header : part[QLatin1String("headers")].toArray()) {
        if (header[QLatin1String("name")].toString().compare(name, Qt::CaseInsensitive) == 0)
            return header[QLatin1String("value")].toString();
    }
    return QStringLiteral("<absent>");
}

QByteArray idOf(const QJsonValue &record)
{
    return QByteArray::number(record[QLatin1String("id")].toInteger());
}

} // namespace

class tst_ObserveApiHttp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void listNewestFirstWithoutBodies();
    void listFilters_data();
    void listFilters();
    void paging();
    void badFilterIsAJsonError();
    void oneRecordWithBodies();
    void decodedBody();
    void unknownAndBadIds();
    void streamDeliversRequestsMadeAfterSubscribing();
    void replayWithEditsReachesTheBackend();
    void replayNeedsTheToken();
    void replayOverTls();
    void pipelinedRequestWaitsForTheReplay();
    void harValidatesAndRedacts();
    void unredactedNeedsTheToken_data();
    void unredactedNeedsTheToken();
    void curlCommandReachesTheBackend();
    void clearNeedsTokenAndForgets();
    void captureSettings();

private:
    std::unique_ptr<InspectorFixture> m_fixture;
};

void tst_ObserveApiHttp::init()
{
    m_fixture = std::make_unique<InspectorFixture>();
    QVERIFY(m_fixture->start());
}

void tst_ObserveApiHttp::cleanup()
{
    m_fixture.reset();
}

void tst_ObserveApiHttp::listNewestFirstWithoutBodies()
{
    InspectorFixture &f = *m_fixture;
    QCOMPARE(f.send("shop.localhost", "GET", "/first").status, 200);
    QCOMPARE(f.send("blog.localhost", "POST", "/second", { "Content-Type: text/plain" }, "payload")
                 .status,
        200);
    const QJsonArray records = f.waitForRecords("", 2);
    QCOMPARE(records.size(), 2);
    const QJsonObject newest = records.at(0).toObject();
    QCOMPARE(newest[QLatin1String("request")][QLatin1String("target")].toString(),
        QStringLiteral("/second"));
    QVERIFY(records.at(0)[QLatin1String("id")].toInteger()
        > records.at(1)[QLatin1String("id")].toInteger());
    QCOMPARE(newest[QLatin1String("router")].toString(), QStringLiteral("blog@file"));
    QCOMPARE(newest[QLatin1String("entryPoint")].toString(), QStringLiteral("web"));
    QCOMPARE(newest[QLatin1String("response")][QLatin1String("status")].toInt(), 200);
    const QJsonObject body = newest[QLatin1String("request")][QLatin1String("body")].toObject();
    QCOMPARE(body[QLatin1String("size")].toInteger(), 7);
    QVERIFY(!body.contains(QLatin1String("data")));
}

void tst_ObserveApiHttp::listFilters_data()
{
    QTest::addColumn<QByteArray>("query");
    QTest::addColumn<QByteArray>("targets"); // newest first, comma-separated
    QTest::newRow("host") << QByteArray("host=shop") << QByteArray("/status/503,/a");
    QTest::newRow("status class") << QByteArray("status=5xx") << QByteArray("/status/503");
    QTest::newRow("status range") << QByteArray("status=400-499") << QByteArray("/status/404");
    QTest::newRow("method") << QByteArray("method=post") << QByteArray("/b");
    QTest::newRow("router") << QByteArray("router=blog") << QByteArray("/status/404,/b");
    QTest::newRow("path") << QByteArray("path=/status") << QByteArray("/status/503,/status/404");
    QTest::newRow("text in body") << QByteArray("q=needle") << QByteArray("/b");
    QTest::newRow("combined") << QByteArray("host=blog&status=2xx") << QByteArray("/b");
}

void tst_ObserveApiHttp::listFilters()
{
    QFETCH(QByteArray, query);
    QFETCH(QByteArray, targets);
    InspectorFixture &f = *m_fixture;
    f.send("shop.localhost", "GET", "/a");
    f.send("blog.localhost", "POST", "/b", {}, "a needle here");
    f.send("blog.localhost", "GET", "/status/404");
    f.send("shop.localhost", "GET", "/status/503");
    f.waitForRecords("", 4);
    QStringList got;
    for (const QJsonValue &record : f.apiJson("/api/portico/requests?" + query).array())
        got << record[QLatin1String("request")][QLatin1String("target")].toString();
    QCOMPARE(got.join(QLatin1Char(',')).toUtf8(), targets);
}

void tst_ObserveApiHttp::paging()
{
    InspectorFixture &f = *m_fixture;
    for (int i = 0; i < 5; ++i)
        f.send("shop.localhost", "GET", "/page/" + QByteArray::number(i));
    f.waitForRecords("", 5);
    QStringList seen;
    QByteArray before = "0";
    for (int round = 0; round < 4 && (round == 0 || before != "0"); ++round) {
        const RawResponse page = f.api("GET", "/api/portico/requests?limit=2&before=" + before);
        QCOMPARE(page.status, 200);
        for (const QJsonValue &record : QJsonDocument::fromJson(page.body).array())
            seen << record[QLatin1String("request")][QLatin1String("target")].toString();
        before = page.headers.value("x-next-page");
        QVERIFY(!before.isEmpty());
    }
    QCOMPARE(
        seen.join(QLatin1Char(',')), QStringLiteral("/page/4,/page/3,/page/2,/page/1,/page/0"));
    QCOMPARE(before, QByteArray("0"));
    QCOMPARE(f.api("GET", "/api/portico/requests?limit=0").status, 400);
    QCOMPARE(f.api("GET", "/api/portico/requests?limit=5000").status, 400);
}

void tst_ObserveApiHttp::badFilterIsAJsonError()
{
    const RawResponse response = m_fixture->api("GET", "/api/portico/requests?status=oops");
    QCOMPARE(response.status, 400);
    const QString message
        = QJsonDocument::fromJson(response.body).object()[QLatin1String("message")].toString();
    QVERIFY2(message.contains(QLatin1String("\"status\"")), qPrintable(message));
}

void tst_ObserveApiHttp::oneRecordWithBodies()
{
    InspectorFixture &f = *m_fixture;
    f.send("shop.localhost", "PUT", "/item", { "Content-Type: application/json" }, "{\"n\": 1}");
    const QJsonArray records = f.waitForRecords("", 1);
    const QJsonObject record = f.apiJson("/api/portico/requests/" + idOf(records.at(0))).object();
    QCOMPARE(
        record[QLatin1String("request")][QLatin1String("body")][QLatin1String("data")].toString(),
        QStringLiteral("{\"n\": 1}"));
    QCOMPARE(
        record[QLatin1String("response")][QLatin1String("body")][QLatin1String("data")].toString(),
        QStringLiteral("hello /item"));
    QCOMPARE(record[QLatin1String("request")][QLatin1String("url")].toString(),
        QStringLiteral("http://shop.localhost/item"));
    QCOMPARE(headerOf(record[QLatin1String("response")].toObject(), QStringLiteral("content-type")),
        QStringLiteral("text/plain"));
    QCOMPARE(headerOf(record[QLatin1String("request")].toObject(), QStringLiteral("content-type")),
        QStringLiteral("application/json"));
}

void tst_ObserveApiHttp::decodedBody()
{
    InspectorFixture &f = *m_fixture;
    QCOMPARE(f.send("shop.localhost", "GET", "/deflate").status, 200);
    const QByteArray id = idOf(f.waitForRecords("", 1).at(0));
    const QJsonObject raw = f.apiJson("/api/portico/requests/" + id).object();
    QCOMPARE(
        raw[QLatin1String("response")][QLatin1String("body")][QLatin1String("encoding")].toString(),
        QStringLiteral("base64"));
    const QJsonObject decoded = f.apiJson("/api/portico/requests/" + id + "?decoded=1").object();
    const QJsonObject body = decoded[QLatin1String("response")][QLatin1String("body")].toObject();
    QCOMPARE(body[QLatin1String("data")].toString(), QStringLiteral("squeezed text ").repeated(10));
    QCOMPARE(body[QLatin1String("decoded")].toBool(), true);
}

void tst_ObserveApiHttp::unknownAndBadIds()
{
    const RawResponse missing = m_fixture->api("GET", "/api/portico/requests/999999");
    QCOMPARE(missing.status, 404);
    QVERIFY(QJsonDocument::fromJson(missing.body).object().contains(QLatin1String("message")));
    QCOMPARE(m_fixture->api("GET", "/api/portico/requests/abc").status, 400);
    QCOMPARE(m_fixture->api("GET", "/api/portico/requests/999999/curl").status, 404);
}

void tst_ObserveApiHttp::streamDeliversRequestsMadeAfterSubscribing()
{
    InspectorFixture &f = *m_fixture;
    QTcpSocket stream;
    stream.connectToHost(QHostAddress::LocalHost, f.apiPort());
    QVERIFY(stream.waitForConnected(5000));
    stream.write("GET /api/portico/requests/stream?host=shop&heartbeat=1 HTTP/1.1\r\nHost: "
                 "127.0.0.1\r\n\r\n");
    QByteArray received;
    const auto readUntil = [&](const QByteArray &needle) {
        return waitUntil([&] {
            received += stream.readAll();
            return received.contains(needle);
        });
    };
    QVERIFY(readUntil(": subscribed"));
    QVERIFY(received.startsWith("HTTP/1.1 200"));
    QVERIFY(received.contains("Content-Type: text/event-stream"));
    f.send("blog.localhost", "GET", "/not-for-this-stream");
    f.send("shop.localhost", "GET", "/streamed");
    // Records of earlier requests may still arrive (deliveries gather 20 ms): wait for ours.
    QVERIFY2(readUntil("/streamed"), received.constData());
    QVERIFY2(readUntil("\"state\":\"complete\""), received.constData());
    QVERIFY(received.contains("event: request\nid: "));
    QVERIFY(!received.contains("/not-for-this-stream"));
    QVERIFY(readUntil(": heartbeat"));
    // The client leaves; the API goes on serving (and the stream stops writing to nobody).
    stream.abort();
    f.send("shop.localhost", "GET", "/after");
    QCOMPARE(f.waitForRecords("host=shop", 2).size(), 2);
}

void tst_ObserveApiHttp::replayWithEditsReachesTheBackend()
{
    InspectorFixture &f = *m_fixture;
    f.send("shop.localhost", "POST", "/orig", { "X-Keep: kept", "X-Drop: dropped" }, "original");
    const QByteArray id = idOf(f.waitForRecords("", 1).at(0));
    const QByteArray edits = R"({"method": "PUT", "url": "/edited?x=1",
        "headers": {"X-Edit": "yes", "X-Drop": null}, "body": "bmV3IGJvZHk=",
        "bodyEncoding": "base64"})";
    const RawResponse response
        = f.api("POST", "/api/portico/requests/" + id + "/replay", edits, true);
    QCOMPARE(response.status, 200);
    const QJsonObject answer = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(answer[QLatin1String("status")].toInt(), 200);
    QCOMPARE(answer[QLatin1String("body")].toString(), QStringLiteral("hello /edited?x=1"));
    const ReceivedRequest *received = lastRequestTo(f.backend(), "/edited?x=1");
    QVERIFY(received);
    QCOMPARE(received->method, QByteArray("PUT"));
    QCOMPARE(received->body, QByteArray("new body"));
    QCOMPARE(received->headers.value("x-edit"), QByteArray("yes"));
    QCOMPARE(received->headers.value("x-keep"), QByteArray("kept"));
    QVERIFY(!received->headers.contains("x-drop"));
    // The replay went through the proxy, so it is a record of its own.
    const QJsonValue newId = answer[QLatin1String("recordId")];
    QVERIFY2(newId.isDouble(), response.body.constData());
    QVERIFY(newId.toInteger() > id.toLongLong());
    const QJsonObject record
        = f.apiJson("/api/portico/requests/" + QByteArray::number(newId.toInteger())).object();
    QCOMPARE(record[QLatin1String("request")][QLatin1String("method")].toString(),
        QStringLiteral("PUT"));
    QCOMPARE(record[QLatin1String("router")].toString(), QStringLiteral("shop@file"));
}

void tst_ObserveApiHttp::replayNeedsTheToken()
{
    InspectorFixture &f = *m_fixture;
    f.send("shop.localhost", "GET", "/once");
    const QByteArray id = idOf(f.waitForRecords("", 1).at(0));
    const int before = int(f.backend().requests().size());
    QCOMPARE(f.api("POST", "/api/portico/requests/" + id + "/replay", "{}", false).status, 401);
    QCOMPARE(f.api("POST", "/api/portico/requests/" + id + "/replay", "{\"method\": \"G T\"}", true)
                 .status,
        400);
    QCOMPARE(int(f.backend().requests().size()), before);
    QCOMPARE(f.api("POST", "/api/portico/requests/" + id + "/replay", {}, true).status, 200);
    QCOMPARE(int(f.backend().requests().size()), before + 1);
}

void tst_ObserveApiHttp::replayOverTls()
{
    InspectorFixture &f = *m_fixture;
    QCOMPARE(f.sendTls("shop.localhost", "/over-tls"), 200);
    const QJsonArray records = f.waitForRecords("", 1);
    QCOMPARE(records.at(0)[QLatin1String("entryPoint")].toString(), QStringLiteral("websecure"));
    QCOMPARE(records.at(0)[QLatin1String("request")][QLatin1String("scheme")].toString(),
        QStringLiteral("https"));
    const RawResponse response
        = f.api("POST", "/api/portico/requests/" + idOf(records.at(0)) + "/replay",
            R"({"url": "/tls-again"})", true);
    QCOMPARE(response.status, 200);
    const QJsonObject answer = QJsonDocument::fromJson(response.body).object();
    QCOMPARE(answer[QLatin1String("body")].toString(), QStringLiteral("hello /tls-again"));
    QVERIFY(lastRequestTo(f.backend(), "/tls-again"));
    const QJsonObject replayed
        = f.apiJson("/api/portico/requests/"
               + QByteArray::number(answer[QLatin1String("recordId")].toInteger()))
              .object();
    QCOMPARE(replayed[QLatin1String("entryPoint")].toString(), QStringLiteral("websecure"));
    QCOMPARE(replayed[QLatin1String("request")][QLatin1String("target")].toString(),
        QStringLiteral("/tls-again"));
}

void tst_ObserveApiHttp::pipelinedRequestWaitsForTheReplay()
{
    InspectorFixture &f = *m_fixture;
    f.send("shop.localhost", "GET", "/pipelined");
    const QByteArray id = idOf(f.waitForRecords("", 1).at(0));
    RawClient client;
    QVERIFY(client.connectTo(f.apiPort()));
    const QByteArray host = "Host: 127.0.0.1:" + QByteArray::number(f.apiPort()) + "\r\n";
    // The replay answers later; the list behind it on the same connection must come second.
    client.send("POST /api/portico/requests/" + id + "/replay HTTP/1.1\r\n" + host
        + "Authorization: Bearer " + f.token() + "\r\nContent-Length: 0\r\n\r\n"
        + "GET /api/portico/requests?path=/pipelined HTTP/1.1\r\n" + host
        + "Connection: close\r\n\r\n");
    client.expectMethods({ "POST", "GET" });
    const auto &responses = client.waitForResponses(2, 10000);
    QCOMPARE(responses.size(), size_t(2));
    QCOMPARE(responses.at(0).status, 200);
    QCOMPARE(QJsonDocument::fromJson(responses.at(0).body)[QLatin1String("body")].toString(),
        QStringLiteral("hello /pipelined"));
    QCOMPARE(responses.at(1).status, 200);
    // The list was answered after the replay finished, so it already shows both exchanges.
    QCOMPARE(QJsonDocument::fromJson(responses.at(1).body).array().size(), 2);
}

void tst_ObserveApiHttp::harValidatesAndRedacts()
{
    InspectorFixture &f = *m_fixture;
    f.send("shop.localhost", "GET", "/secret?q=1", { "Authorization: Bearer hunter2" });
    f.send("shop.localhost", "POST", "/form", { "Cookie: sid=cookie-secret" }, "a=b");
    f.send("blog.localhost", "GET", "/other");
    f.waitForRecords("", 3);
    const RawResponse response = f.api("GET", "/api/portico/har?host=shop");
    QCOMPARE(response.status, 200);
    QVERIFY(response.headers.value("content-type").startsWith("application/json"));
    const QJsonObject har = QJsonDocument::fromJson(response.body).object();
    const QStringList problems = validateHar(har);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    const QJsonArray entries = har[QLatin1String("log")][QLatin1String("entries")].toArray();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0)[QLatin1String("request")][QLatin1String("url")].toString(),
        QStringLiteral("http://shop.localhost/secret?q=1"));
    QCOMPARE(
        entries.at(1)[QLatin1String("request")][QLatin1String("postData")][QLatin1String("text")]
            .toString(),
        QStringLiteral("a=b"));
    QVERIFY(!response.body.contains("hunter2"));
    QVERIFY(!response.body.contains("cookie-secret"));
    const RawResponse kept = f.api("GET", "/api/portico/har?host=shop&redact=0", {}, true);
    QVERIFY(kept.body.contains("hunter2"));
    QVERIFY(kept.body.contains("cookie-secret"));
}

void tst_ObserveApiHttp::unredactedNeedsTheToken_data()
{
    QTest::addColumn<QByteArray>("target"); // {id}: the captured record
    QTest::addColumn<QByteArray>("authorization"); // {token}: the real one
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("secretShown");
    const QByteArray bearer = "Bearer {token}";
    const QByteArray targets[]
        = { "/api/portico/requests?redact=0&limit=5", "/api/portico/requests/{id}?redact=0",
              "/api/portico/requests/{id}/curl?redact=0", "/api/portico/har?redact=0" };
    const char *names[] = { "list", "record", "curl", "har" };
    for (int i = 0; i < 4; ++i) {
        const QByteArray name = names[i];
        QTest::newRow((name + ", redact=0 without token: 401").constData())
            << targets[i] << QByteArray() << 401 << false;
        QTest::newRow((name + ", redact=0 with a wrong token: 401").constData())
            << targets[i] << QByteArray("Bearer not-the-token") << 401 << false;
        QTest::newRow((name + ", redact=0 with the token: secrets").constData())
            << targets[i] << bearer << 200 << true;
        QByteArray redacted = targets[i];
        redacted.replace("redact=0", "redact=1");
        QTest::newRow((name + ", redacted without token").constData())
            << redacted << QByteArray() << 200 << false;
    }
    QTest::newRow("record, redact=false without token: 401")
        << QByteArray("/api/portico/requests/{id}?redact=false") << QByteArray() << 401 << false;
    QTest::newRow("stream, redact=0 without token: 401")
        << QByteArray("/api/portico/requests/stream?redact=0") << QByteArray() << 401 << false;
}

void tst_ObserveApiHttp::unredactedNeedsTheToken()
{
    // redact=0 reveals credentials that passed through the proxy: like a mutating call, only a
    // caller with the API token may see them.
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(bool, secretShown);
    InspectorFixture &f = *m_fixture;
    f.send("shop.localhost", "GET", "/private", { "Authorization: Bearer hunter2" });
    target.replace("{id}", idOf(f.waitForRecords("", 1).at(0)));
    authorization.replace("{token}", f.token());
    RawClient client;
    QVERIFY(client.connectTo(f.apiPort()));
    QByteArray head = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!authorization.isEmpty())
        head += "Authorization: " + authorization + "\r\n";
    client.send(head + "Connection: close\r\n\r\n");
    const auto &responses = client.waitForResponses(1, 10000);
    QCOMPARE(responses.size(), size_t(1));
    const RawResponse &response = responses.front();
    QCOMPARE(response.status, status);
    QCOMPARE(response.body.contains("hunter2"), secretShown);
    if (status == 401) {
        // A JSON error that says how to pass the token, as the mutating routes answer.
        const QString message
            = QJsonDocument::fromJson(response.body)[QLatin1String("message")].toString();
        QVERIFY2(message.contains(QLatin1String("Authorization: Bearer")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("api-token")), qPrintable(message));
        QCOMPARE(
            response.headers.value("WWW-Authenticate"), QByteArray("Bearer realm=\"portico\""));
    }
}

void tst_ObserveApiHttp::curlCommandReachesTheBackend()
{
    InspectorFixture &f = *m_fixture;
    f.send("shop.localhost", "POST", "/curl-me?a=1",
        { "X-Quote: it's", "Content-Type: text/plain" }, "body with 'quotes'\n");
    const QByteArray id = idOf(f.waitForRecords("", 1).at(0));
    const RawResponse response = f.api("GET", "/api/portico/requests/" + id + "/curl");
    QCOMPARE(response.status, 200);
    QVERIFY(response.headers.value("content-type").startsWith("text/plain"));
    // The URL names shop.localhost on port 80; curl resolves *.localhost to loopback itself, so
    // --connect-to points it at the entry point's real port without changing the request.
    const QString command = QString::fromUtf8(response.body).trimmed()
        + QStringLiteral(" --connect-to shop.localhost:80:127.0.0.1:%1 -sS -o /dev/null")
              .arg(f.proxyPort());
    const int before = int(f.backend().requests().size());
    QProcess shell;
    shell.start(QStringLiteral("sh"), { QStringLiteral("-c"), command });
    QVERIFY(waitUntil([&] { return shell.state() == QProcess::NotRunning; }, 15000));
    QVERIFY2(shell.exitCode() == 0,
        qPrintable(command + QString::fromUtf8(shell.readAllStandardError())));
    QCOMPARE(int(f.backend().requests().size()), before + 1);
    const ReceivedRequest &received = f.backend().requests().back();
    QCOMPARE(received.method, QByteArray("POST"));
    QCOMPARE(received.target, QByteArray("/curl-me?a=1"));
    QCOMPARE(received.body, QByteArray("body with 'quotes'\n"));
    QCOMPARE(received.headers.value("x-quote"), QByteArray("it's"));
    QCOMPARE(received.headers.value("content-type"), QByteArray("text/plain"));
}

void tst_ObserveApiHttp::clearNeedsTokenAndForgets()
{
    InspectorFixture &f = *m_fixture;
    f.send("shop.localhost", "GET", "/x");
    f.waitForRecords("", 1);
    QCOMPARE(f.api("DELETE", "/api/portico/requests", {}, false).status, 401);
    QCOMPARE(f.apiJson("/api/portico/requests").array().size(), 1);
    QCOMPARE(f.api("DELETE", "/api/portico/requests", {}, true).status, 204);
    QCOMPARE(f.apiJson("/api/portico/requests").array().size(), 0);
}

void tst_ObserveApiHttp::captureSettings()
{
    InspectorFixture &f = *m_fixture;
    QCOMPARE(f.api("PUT", "/api/portico/capture", "{\"paused\": true}", false).status, 401);
    QCOMPARE(f.api("PUT", "/api/portico/capture", "{\"paused\": 3}", true).status, 400);
    const RawResponse paused = f.api("PUT", "/api/portico/capture", "{\"paused\": true}", true);
    QCOMPARE(paused.status, 200);
    QCOMPARE(QJsonDocument::fromJson(paused.body)[QLatin1String("paused")].toBool(), true);
    QCOMPARE(f.send("shop.localhost", "GET", "/unseen").status, 200);
    QCOMPARE(f.api("PUT", "/api/portico/capture",
                  "{\"paused\": false, \"bodyCap\": 4, \"routers\": [\"shop@file\"]}", true)
                 .status,
        200);
    f.send("blog.localhost", "GET", "/not-captured-router");
    f.send("shop.localhost", "POST", "/capped", {}, "0123456789");
    const QJsonArray records = f.waitForRecords("", 1);
    QCOMPARE(records.at(0)[QLatin1String("request")][QLatin1String("target")].toString(),
        QStringLiteral("/capped"));
    const QJsonObject record = f.apiJson("/api/portico/requests/" + idOf(records.at(0))).object();
    const QJsonObject body = record[QLatin1String("request")][QLatin1String("body")].toObject();
    QCOMPARE(body[QLatin1String("data")].toString(), QStringLiteral("0123"));
    QCOMPARE(body[QLatin1String("truncated")].toBool(), true);
    const QJsonObject settings = f.apiJson("/api/portico/capture").object();
    QCOMPARE(settings[QLatin1String("bodyCap")].toInteger(), 4);
    QCOMPARE(settings[QLatin1String("routers")].toArray().size(), 1);
    // The ring's use against its budget: at least the record above, in bytes within the budget.
    const QJsonObject ring = settings[QLatin1String("ring")].toObject();
    QVERIFY(ring[QLatin1String("records")].toInteger() >= 1);
    QVERIFY(ring[QLatin1String("bytes")].toInteger() > 0);
    QVERIFY(ring[QLatin1String("bytes")].toInteger()
        <= settings[QLatin1String("budgetBytes")].toInteger());
}

QTEST_GUILESS_MAIN(tst_ObserveApiHttp)
#include "tst_observe_api_http.moc"
