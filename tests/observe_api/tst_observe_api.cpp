#include "core/observe/exports.h"
#include "core/observe/record_filter.h"
#include "tests/observe_api/har_validator.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/wait.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

using namespace portico;
using namespace portico::observe;

namespace {

ExchangeRecord sampleRecord()
{
    ExchangeRecord record;
    record.id = 7;
    record.startedUs = 1'700'000'000'000'000;
    record.method = "POST";
    record.scheme = "https";
    record.host = "shop.localhost";
    record.target = "/api/cart?item=42";
    record.httpVersion = "HTTP/2.0";
    record.protocol = Protocol::Http2;
    record.router = QStringLiteral("shop@file");
    record.status = 503;
    record.requestHeaders.add("Content-Type", "application/json");
    record.requestHeaders.add("X-Trace", "Needle-In-Header");
    record.requestBody.data = "{\"sku\":\"banana\"}";
    record.responseBody.data = "upstream is sleeping";
    return record;
}

/// A complete record as Portico would have captured a request to `authority`.
ExchangeRecord recordFor(const QByteArray &authority, const QByteArray &method,
    const QByteArray &target, const HeaderList &headers, const QByteArray &body)
{
    ExchangeRecord record;
    record.id = 1;
    record.startedUs = 1'700'000'000'123'000;
    record.state = RecordState::Complete;
    record.method = method;
    record.scheme = "http";
    record.host = authority.left(authority.indexOf(':'));
    record.target = target;
    record.httpVersion = "HTTP/1.1";
    record.requestHeaders.add("Host", authority);
    for (const auto &field : headers)
        record.requestHeaders.add(field.name, field.value);
    if (!body.isEmpty())
        record.requestHeaders.add("Content-Length", QByteArray::number(body.size()));
    record.requestBody.data = body;
    record.requestBody.size = body.size();
    record.status = 200;
    return record;
}

/// A record with everything HAR has a place for: cookies both ways, a query, a JSON body, a
/// deflate-encoded response, a redirect and full timings.
ExchangeRecord richRecord()
{
    ExchangeRecord record
        = recordFor("shop.localhost:8443", "POST", "/cart?item=42&q=a%20b", {}, "{\"sku\": 42}");
    record.scheme = "https";
    record.httpVersion = "HTTP/2.0";
    record.protocol = Protocol::Http2;
    record.requestHeaders.add("Content-Type", "application/json");
    record.requestHeaders.add("Cookie", "session=s3cr3t; theme=dark");
    record.requestHeaders.add("Authorization", "Bearer t0ken");
    record.router = QStringLiteral("shop@file");
    record.service = QStringLiteral("shop@file");
    record.serverUrl = QStringLiteral("http://127.0.0.1:3000");
    record.status = 302;
    record.responseHeaders.add("Content-Type", "text/plain");
    record.responseHeaders.add("Content-Encoding", "deflate");
    record.responseHeaders.add("Location", "/done");
    record.responseHeaders.add("Set-Cookie", "session=n3w; Path=/; HttpOnly; Secure");
    const QByteArray plain = QByteArray("moved along ").repeated(20);
    record.responseBody.data = qCompress(plain).mid(4); // zlib stream (RFC 9110 §8.4.1.2)
    record.responseBody.size = record.responseBody.data.size();
    record.timing = Timing { 2000, 150, 800, 5000, 6500 };
    return record;
}

} // namespace

class tst_ObserveApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void statusRanges_data();
    void statusRanges();
    void filterParsing_data();
    void filterParsing();
    void filterMatching_data();
    void filterMatching();
    void jsonCarriesTheRecord();
    void jsonRedactsSecrets();
    void jsonBinaryBodiesAreBase64();
    void harValidates_data();
    void harValidates();
    void harContentIsDecodedAndCookiesParsed();
    void harRedaction();
    void validatorCatchesBrokenHar_data();
    void validatorCatchesBrokenHar();
    void curlReachesTheServer_data();
    void curlReachesTheServer();
    void curlRedactsAndUsesHttp2Flags();
};

void tst_ObserveApi::statusRanges_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("low");
    QTest::addColumn<int>("high");
    QTest::newRow("class 5xx") << "5xx" << true << 500 << 599;
    QTest::newRow("class upper 4XX") << "4XX" << true << 400 << 499;
    QTest::newRow("single code") << "404" << true << 404 << 404;
    QTest::newRow("range") << "400-499" << true << 400 << 499;
    QTest::newRow("reversed range") << "499-400" << false << 0 << 0;
    QTest::newRow("class 0xx") << "0xx" << false << 0 << 0;
    QTest::newRow("word") << "error" << false << 0 << 0;
    QTest::newRow("too large") << "1000" << false << 0 << 0;
    QTest::newRow("empty") << "" << false << 0 << 0;
}

void tst_ObserveApi::statusRanges()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(int, low);
    QFETCH(int, high);
    const auto range = parseStatusRange(text);
    QCOMPARE(range.ok(), valid);
    if (valid) {
        QCOMPARE(range->first, low);
        QCOMPARE(range->second, high);
    } else {
        QVERIFY(range.error().message.contains(text));
    }
}

void tst_ObserveApi::filterParsing_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("errorParameter"); // empty: valid
    QTest::addColumn<bool>("empty");
    QTest::newRow("nothing") << ""
                             << "" << true;
    QTest::newRow("unrelated parameters") << "limit=5&before=9"
                                          << "" << true;
    QTest::newRow("host") << "host=shop"
                          << "" << false;
    QTest::newRow("status class") << "status=5xx"
                                  << "" << false;
    QTest::newRow("bad status") << "status=oops"
                                << "status" << false;
    QTest::newRow("bad protocol") << "protocol=h3"
                                  << "protocol" << false;
    QTest::newRow("since iso") << "since=2024-01-02T03:04:05Z"
                               << "" << false;
    QTest::newRow("since micros") << "since=1700000000000000"
                                  << "" << false;
    QTest::newRow("bad until") << "until=yesterday"
                               << "until" << false;
}

void tst_ObserveApi::filterParsing()
{
    QFETCH(QString, query);
    QFETCH(QString, errorParameter);
    QFETCH(bool, empty);
    const auto filter = parseRecordFilter(QUrlQuery(query));
    QCOMPARE(filter.ok(), errorParameter.isEmpty());
    if (!filter.ok()) {
        QVERIFY2(
            filter.error().message.contains(QLatin1Char('"') + errorParameter + QLatin1Char('"')),
            qPrintable(filter.error().message));
        return;
    }
    QCOMPARE(filter->isEmpty(), empty);
}

void tst_ObserveApi::filterMatching_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<bool>("expected");
    QTest::newRow("no filter") << "" << true;
    QTest::newRow("host substring any case") << "host=SHOP" << true;
    QTest::newRow("host mismatch") << "host=blog" << false;
    QTest::newRow("path substring") << "path=/api/cart" << true;
    QTest::newRow("path mismatch") << "path=/admin" << false;
    QTest::newRow("method any case") << "method=post" << true;
    QTest::newRow("method is exact") << "method=POS" << false;
    QTest::newRow("status class hit") << "status=5xx" << true;
    QTest::newRow("status exact miss") << "status=500" << false;
    QTest::newRow("status range hit") << "status=500-503" << true;
    QTest::newRow("router substring") << "router=shop" << true;
    QTest::newRow("router mismatch") << "router=blog" << false;
    QTest::newRow("protocol hit") << "protocol=h2" << true;
    QTest::newRow("protocol miss") << "protocol=h1" << false;
    QTest::newRow("text in header value") << "q=needle-in" << true;
    QTest::newRow("text in request body") << "q=BANANA" << true;
    QTest::newRow("text in response body") << "q=sleeping" << true;
    QTest::newRow("text in url") << "q=item%3D42" << true;
    QTest::newRow("text nowhere") << "q=cherry" << false;
    QTest::newRow("since before start") << "since=1699999999999999" << true;
    QTest::newRow("since after start") << "since=1700000000000001" << false;
    QTest::newRow("until after start") << "until=1700000000000001" << true;
    QTest::newRow("until at start excludes") << "until=1700000000000000" << false;
    QTest::newRow("all must match") << "host=shop&method=GET" << false;
}

void tst_ObserveApi::filterMatching()
{
    QFETCH(QString, query);
    QFETCH(bool, expected);
    const auto filter = parseRecordFilter(QUrlQuery(query));
    QVERIFY2(filter.ok(), qPrintable(filter.ok() ? QString() : filter.error().message));
    QCOMPARE(matches(sampleRecord(), *filter), expected);
}

void tst_ObserveApi::jsonCarriesTheRecord()
{
    const ExchangeRecord record = richRecord();
    const QJsonObject json = toJson(record, {});
    QCOMPARE(json.value(QLatin1String("id")).toInteger(), 1);
    QCOMPARE(json.value(QLatin1String("state")).toString(), QStringLiteral("complete"));
    QCOMPARE(json.value(QLatin1String("protocol")).toString(), QStringLiteral("h2"));
    QCOMPARE(json.value(QLatin1String("router")).toString(), QStringLiteral("shop@file"));
    QCOMPARE(json.value(QLatin1String("startedAt")).toString(),
        QStringLiteral("2023-11-14T22:13:20.123Z"));
    const QJsonObject request = json.value(QLatin1String("request")).toObject();
    QCOMPARE(request.value(QLatin1String("url")).toString(),
        QStringLiteral("https://shop.localhost:8443/cart?item=42&q=a%20b"));
    const QJsonObject body = request.value(QLatin1String("body")).toObject();
    QCOMPARE(body.value(QLatin1String("encoding")).toString(), QStringLiteral("text"));
    QCOMPARE(body.value(QLatin1String("data")).toString(), QStringLiteral("{\"sku\": 42}"));
    const QJsonObject timing = json.value(QLatin1String("timing")).toObject();
    QCOMPARE(timing.value(QLatin1String("totalUs")).toInteger(), 6500);

    // The list view: sizes, no data.
    const QJsonObject summary = toJson(record, ExportOptions { true, false });
    const QJsonObject summaryBody = summary.value(QLatin1String("request"))
                                        .toObject()
                                        .value(QLatin1String("body"))
                                        .toObject();
    QVERIFY(!summaryBody.contains(QLatin1String("data")));
    QCOMPARE(summaryBody.value(QLatin1String("size")).toInteger(), record.requestBody.size);
    QVERIFY(!summary.contains(QLatin1String("messages")));
}

void tst_ObserveApi::jsonRedactsSecrets()
{
    const ExchangeRecord record = richRecord();
    const auto headerValue = [](const QJsonObject &json, const char *part, const char *name) {
        const QJsonArray headers
            = json.value(QLatin1String(part)).toObject().value(QLatin1String("headers")).toArray();
        for (const QJsonValue &header : headers) {
            if (header[QLatin1String("name")].toString() == QLatin1String(name))
                return header[QLatin1String("value")].toString();
        }
        return QStringLiteral("<absent>");
    };
    const QJsonObject redacted = toJson(record, {});
    QCOMPARE(headerValue(redacted, "request", "Authorization"), QStringLiteral("[redacted]"));
    QCOMPARE(headerValue(redacted, "request", "Cookie"), QStringLiteral("[redacted]"));
    QCOMPARE(headerValue(redacted, "response", "Set-Cookie"), QStringLiteral("[redacted]"));
    QCOMPARE(headerValue(redacted, "request", "Content-Type"), QStringLiteral("application/json"));
    const QByteArray text = QJsonDocument(redacted).toJson();
    QVERIFY(!text.contains("t0ken"));
    QVERIFY(!text.contains("s3cr3t"));
    const QJsonObject plain = toJson(record, ExportOptions { false, true });
    QCOMPARE(headerValue(plain, "request", "Authorization"), QStringLiteral("Bearer t0ken"));
}

void tst_ObserveApi::jsonBinaryBodiesAreBase64()
{
    ExchangeRecord record = richRecord();
    const QJsonObject body = toJson(record, {})
                                 .value(QLatin1String("response"))
                                 .toObject()
                                 .value(QLatin1String("body"))
                                 .toObject();
    QCOMPARE(body.value(QLatin1String("encoding")).toString(), QStringLiteral("base64"));
    QCOMPARE(QByteArray::fromBase64(body.value(QLatin1String("data")).toString().toLatin1()),
        record.responseBody.data);
}

void tst_ObserveApi::harValidates_data()
{
    QTest::addColumn<int>("variant");
    QTest::newRow("rich POST over h2 with cookies and redirect") << 0;
    QTest::newRow("plain GET without timings (in progress)") << 1;
    QTest::newRow("binary request body") << 2;
    QTest::newRow("local 404 without upstream") << 3;
}

void tst_ObserveApi::harValidates()
{
    QFETCH(int, variant);
    ExchangeRecord record = richRecord();
    if (variant == 1) {
        record = recordFor("blog.localhost", "GET", "/", {}, {});
        record.state = RecordState::InProgress;
        record.status = 0;
    } else if (variant == 2) {
        record = recordFor("blog.localhost", "PUT", "/blob", {}, QByteArray("\x00\xff\x10", 3));
    } else if (variant == 3) {
        record = recordFor("nothing.localhost", "GET", "/x", {}, {});
        record.status = 404;
        record.timing.routing = 40;
        record.timing.total = 90;
    }
    ExchangeRecord second = recordFor("api.localhost:80", "DELETE", "/items/1", {}, {});
    second.id = record.id + 1;
    const QJsonObject har = toHar(
        { std::make_shared<ExchangeRecord>(second), std::make_shared<ExchangeRecord>(record) }, {});
    const QStringList problems = testkit::validateHar(har);
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    const QJsonArray entries = har[QLatin1String("log")][QLatin1String("entries")].toArray();
    QCOMPARE(entries.size(), 2);
    // Oldest first, whatever order they were given in.
    QCOMPARE(entries.at(0)[QLatin1String("_portico")][QLatin1String("id")].toInteger(),
        qint64(record.id));
}

void tst_ObserveApi::harContentIsDecodedAndCookiesParsed()
{
    const QJsonObject har
        = toHar({ std::make_shared<ExchangeRecord>(richRecord()) }, ExportOptions { false, true });
    const QJsonObject entry = har[QLatin1String("log")][QLatin1String("entries")][0].toObject();
    const QJsonObject response = entry[QLatin1String("response")].toObject();
    const QJsonObject content = response[QLatin1String("content")].toObject();
    QCOMPARE(
        content[QLatin1String("text")].toString(), QStringLiteral("moved along ").repeated(20));
    QCOMPARE(content[QLatin1String("size")].toInteger(), 240);
    QVERIFY(!content.contains(QLatin1String("encoding")));
    QCOMPARE(response[QLatin1String("statusText")].toString(), QStringLiteral("Found"));
    QCOMPARE(response[QLatin1String("redirectURL")].toString(), QStringLiteral("/done"));
    const QJsonObject setCookie = response[QLatin1String("cookies")][0].toObject();
    QCOMPARE(setCookie[QLatin1String("name")].toString(), QStringLiteral("session"));
    QCOMPARE(setCookie[QLatin1String("value")].toString(), QStringLiteral("n3w"));
    QCOMPARE(setCookie[QLatin1String("httpOnly")].toBool(), true);
    QCOMPARE(setCookie[QLatin1String("path")].toString(), QStringLiteral("/"));
    const QJsonObject request = entry[QLatin1String("request")].toObject();
    QCOMPARE(request[QLatin1String("cookies")].toArray().size(), 2);
    QCOMPARE(request[QLatin1String("queryString")][1][QLatin1String("value")].toString(),
        QStringLiteral("a b"));
    QCOMPARE(request[QLatin1String("postData")][QLatin1String("mimeType")].toString(),
        QStringLiteral("application/json"));
    QCOMPARE(entry[QLatin1String("serverIPAddress")].toString(), QStringLiteral("127.0.0.1"));
    QCOMPARE(entry[QLatin1String("_portico")][QLatin1String("router")].toString(),
        QStringLiteral("shop@file"));
    const QJsonObject timings = entry[QLatin1String("timings")].toObject();
    QCOMPARE(timings[QLatin1String("connect")].toDouble(), 0.8);
    QCOMPARE(timings[QLatin1String("dns")].toDouble(), -1.0);
    QCOMPARE(entry[QLatin1String("time")].toDouble(), 6.5);
}

void tst_ObserveApi::harRedaction()
{
    const QByteArray redacted
        = QJsonDocument(toHar({ std::make_shared<ExchangeRecord>(richRecord()) }, {})).toJson();
    for (const char *secret : { "t0ken", "s3cr3t", "n3w" })
        QVERIFY2(!redacted.contains(secret), secret);
    const QByteArray kept = QJsonDocument(
        toHar({ std::make_shared<ExchangeRecord>(richRecord()) }, ExportOptions { false, true }))
                                .toJson();
    for (const char *secret : { "t0ken", "s3cr3t", "n3w" })
        QVERIFY2(kept.contains(secret), secret);
}

void tst_ObserveApi::validatorCatchesBrokenHar_data()
{
    QTest::addColumn<QString>("pointer"); // field removed: "entry/part/field"
    QTest::addColumn<QString>("problem");
    QTest::newRow("no startedDateTime") << "/startedDateTime"
                                        << "startedDateTime: missing";
    QTest::newRow("no cache") << "/cache"
                              << "cache: missing";
    QTest::newRow("no request cookies") << "request/cookies"
                                        << "request.cookies: missing";
    QTest::newRow("no response content") << "response/content"
                                         << "response.content: missing";
    QTest::newRow("no redirectURL") << "response/redirectURL"
                                    << "redirectURL: missing";
    QTest::newRow("no wait timing") << "timings/wait"
                                    << "timings.wait: missing";
}

void tst_ObserveApi::validatorCatchesBrokenHar()
{
    QFETCH(QString, pointer);
    QFETCH(QString, problem);
    QJsonObject har = toHar({ std::make_shared<ExchangeRecord>(richRecord()) }, {});
    QJsonObject log = har[QLatin1String("log")].toObject();
    QJsonArray entries = log[QLatin1String("entries")].toArray();
    QJsonObject entry = entries.at(0).toObject();
    const QString part = pointer.section(QLatin1Char('/'), 0, 0);
    const QString field = pointer.section(QLatin1Char('/'), 1);
    if (part.isEmpty()) {
        entry.remove(field);
    } else {
        QJsonObject inner = entry[part].toObject();
        inner.remove(field);
        entry[part] = inner;
    }
    entries[0] = entry;
    log[QLatin1String("entries")] = entries;
    har[QLatin1String("log")] = log;
    const QStringList problems = testkit::validateHar(har);
    QVERIFY2(problems.join(QLatin1Char('\n')).contains(problem), qPrintable(problems.join(u',')));
}

void tst_ObserveApi::curlReachesTheServer_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("headerValue");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("GET with query")
        << QByteArray("GET") << QByteArray("/a?b=1&c=%20") << QByteArray("plain") << QByteArray();
    QTest::newRow("POST text with quotes and newlines")
        << QByteArray("POST") << QByteArray("/form") << QByteArray("it's \"quoted\" $HOME `x`")
        << QByteArray("line 'one'\nline \"two\" $PATH\n");
    QTest::newRow("PUT binary with NUL") << QByteArray("PUT") << QByteArray("/blob")
                                         << QByteArray("v") << QByteArray("\x00\x01\xff\n'", 5);
    QTest::newRow("PATCH body starting with @") << QByteArray("PATCH") << QByteArray("/at")
                                                << QByteArray("v") << QByteArray("@/etc/passwd");
    QTest::newRow("DELETE without body")
        << QByteArray("DELETE") << QByteArray("/items/1") << QByteArray("") << QByteArray();
}

void tst_ObserveApi::curlReachesTheServer()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, headerValue);
    QFETCH(QByteArray, body);
    testkit::HttpServer server([](const testkit::ReceivedRequest &, QTcpSocket *socket) {
        testkit::HttpServer::respond(socket, 200, "ok");
    });
    QVERIFY(server.listen());
    HeaderList headers;
    headers.add("X-Probe", headerValue);
    headers.add("Accept", "*/*");
    headers.add("User-Agent", "tst");
    const ExchangeRecord record = recordFor(
        "127.0.0.1:" + QByteArray::number(server.port()), method, target, headers, body);
    const QString command = toCurl(record, {});
    QProcess shell;
    shell.start(QStringLiteral("sh"),
        { QStringLiteral("-c"), command + QStringLiteral(" -sS -o /dev/null") });
    QVERIFY(testkit::waitUntil([&] { return shell.state() == QProcess::NotRunning; }, 15000));
    QVERIFY2(shell.exitCode() == 0,
        qPrintable(command + QLatin1Char('\n') + QString::fromUtf8(shell.readAllStandardError())));
    QCOMPARE(server.requests().size(), size_t(1));
    const testkit::ReceivedRequest &received = server.requests().front();
    QCOMPARE(received.method, method);
    QCOMPARE(received.target, target);
    QCOMPARE(received.headers.value("x-probe"), headerValue);
    QVERIFY(received.headers.contains("x-probe"));
    QCOMPARE(received.body, body);
    QCOMPARE(received.headers.contains("content-type"), false);
    QCOMPARE(received.headers.values("host").size(), size_t(1));
}

void tst_ObserveApi::curlRedactsAndUsesHttp2Flags()
{
    const ExchangeRecord record = richRecord();
    const QString redacted = toCurl(record, {});
    QVERIFY2(redacted.contains(QLatin1String("--http2 ")), qPrintable(redacted));
    QVERIFY(redacted.contains(QLatin1String("'https://shop.localhost:8443/cart?item=42&q=a%20b'")));
    QVERIFY(redacted.contains(QLatin1String("-H 'Authorization: [redacted]'")));
    QVERIFY(!redacted.contains(QLatin1String("t0ken")));
    QVERIFY(!redacted.contains(QLatin1String("-H 'Host")));
    QVERIFY(!redacted.contains(QLatin1String("Content-Length")));
    QVERIFY(!redacted.contains(QLatin1String("-X")));
    QVERIFY(toCurl(record, ExportOptions { false, true }).contains(QLatin1String("Bearer t0ken")));
    ExchangeRecord cleartext = record;
    cleartext.scheme = "http";
    QVERIFY(toCurl(cleartext, {}).contains(QLatin1String("--http2-prior-knowledge")));
}

QTEST_GUILESS_MAIN(tst_ObserveApi)
#include "tst_observe_api.moc"
