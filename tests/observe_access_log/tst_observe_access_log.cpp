#include "core/observe/access_log.h"
#include "tests/app/portico_process.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/wait.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <ctime>

using namespace portico;
using namespace portico::observe;
using portico::testkit::PorticoProcess;

Q_DECLARE_METATYPE(portico::observe::ExchangeRecord)
Q_DECLARE_METATYPE(portico::config::AccessLogSpec)

namespace {

/// 30/Jul/2026 10:11:12.123456 UTC, the instant of traefik-interfaces.md's example line.
const qint64 exampleStartUs
    = QDateTime(QDate(2026, 7, 30), QTime(10, 11, 12), Qt::UTC).toMSecsSinceEpoch() * 1000 + 123456;

/// The exchange behind Traefik's documented example line.
ExchangeRecord exampleRecord()
{
    ExchangeRecord r;
    r.id = 1;
    r.state = RecordState::Complete;
    r.startedUs = exampleStartUs;
    r.entryPoint = QStringLiteral("web");
    r.clientAddress = QStringLiteral("172.18.0.1");
    r.clientPort = 52000;
    r.router = QStringLiteral("whoami-demo@docker");
    r.service = QStringLiteral("whoami-demo@docker");
    r.serverUrl = QStringLiteral("http://172.18.0.3:80");
    r.method = "GET";
    r.scheme = "http";
    r.host = "whoami.localhost";
    r.target = "/hello?x=1";
    r.httpVersion = "HTTP/1.1";
    r.requestHeaders.add("Host", "whoami.localhost");
    r.requestHeaders.add("User-Agent", "curl/7.88.1");
    r.originStatus = 200;
    r.status = 200;
    r.responseBody.size = 512;
    r.timing.total = 3900; // 3.9 ms: CLF truncates to 3ms
    r.originDurationUs = 3000;
    return r;
}

config::AccessLogSpec specWith(const std::function<void(config::AccessLogSpec &)> &change)
{
    config::AccessLogSpec spec;
    change(spec);
    return spec;
}

ExchangeRecord recordWith(const std::function<void(ExchangeRecord &)> &change)
{
    ExchangeRecord r = exampleRecord();
    change(r);
    return r;
}

std::shared_ptr<ExchangeRecord> finished(int status, qint64 totalUs = 1000, int retries = 0)
{
    auto r = std::make_shared<ExchangeRecord>(exampleRecord());
    r->status = status;
    r->timing.total = totalUs;
    r->retryAttempts = retries;
    return r;
}

QByteArrayList fileLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QByteArrayList lines = file.readAll().split('\n');
    if (!lines.isEmpty() && lines.back().isEmpty())
        lines.removeLast();
    return lines;
}

QString writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(content);
    return path;
}

/// `curl -s -o /dev/null -w %{http_code}` with a Host header; the status, 0 on failure.
int curlStatus(quint16 port, const QString &path)
{
    QProcess curl;
    curl.start(QStringLiteral("curl"),
        { QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
            QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-A"),
            QStringLiteral("tst-agent"),
            QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path) });
    while (!curl.waitForFinished(10))
        QCoreApplication::processEvents(); // the backend answers from this thread
    return curl.readAllStandardOutput().toInt();
}

/// The pid of the running instance, from `<PORTICO_HOME>/instance.json`.
qint64 instancePid()
{
    QFile file(qEnvironmentVariable("PORTICO_HOME") + QStringLiteral("/instance.json"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return QJsonDocument::fromJson(file.readAll())
        .object()
        .value(QStringLiteral("pid"))
        .toInteger();
}

} // namespace

class tst_ObserveAccessLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void commonFormat_data();
    void commonFormat();
    void jsonFormat_data();
    void jsonFormat();
    void filters_data();
    void filters();
    void writesFileCountsRequestsAndSkipsInProgress();
    void bufferingHoldsLinesUntilFullOrTimer();
    void reopenFollowsARenamedFile();
    void openErrorNamesThePath();
    void realServeWritesAndReopensOnSigusr1();
};

void tst_ObserveAccessLog::initTestCase()
{
    // StartLocal and logrus' `time` are in the local zone: pin it so the golden rows hold.
    qputenv("TZ", "UTC");
    tzset();
}

void tst_ObserveAccessLog::commonFormat_data()
{
    QTest::addColumn<ExchangeRecord>("record");
    QTest::addColumn<config::AccessLogSpec>("spec");
    QTest::addColumn<QByteArray>("expected");
    const config::AccessLogSpec defaults;
    QTest::newRow("traefik-interfaces.md 2.2 example")
        << exampleRecord() << defaults
        << QByteArray("172.18.0.1 - - [30/Jul/2026:10:11:12 +0000] \"GET /hello?x=1 HTTP/1.1\" 200 "
                      "512 \"-\" \"-\" 42 \"whoami-demo@docker\" \"http://172.18.0.3:80\" 3ms");
    QTest::newRow("404 without router or server: dashes, origin status not shown")
        << recordWith([](ExchangeRecord &r) {
               r.router.clear();
               r.service.clear();
               r.serverUrl.clear();
               r.originStatus = 0;
               r.status = 404;
               r.responseBody.size = 19;
               r.timing.total = 250;
           })
        << defaults
        << QByteArray("172.18.0.1 - - [30/Jul/2026:10:11:12 +0000] \"GET /hello?x=1 HTTP/1.1\" 404 "
                      "19 \"-\" \"-\" 42 \"-\" \"-\" 0ms");
    QTest::newRow("headers kept: referer and user-agent quoted, quotes escaped")
        << recordWith([](ExchangeRecord &r) {
               r.requestHeaders.add("Referer", "https://shop.localhost/");
               r.requestHeaders.set("User-Agent", "say \"hi\"\\bot");
           })
        << specWith([](config::AccessLogSpec &s) { s.headersDefaultMode = QStringLiteral("keep"); })
        << QByteArray("172.18.0.1 - - [30/Jul/2026:10:11:12 +0000] \"GET /hello?x=1 HTTP/1.1\" 200 "
                      "512 \"https://shop.localhost/\" \"say \\\"hi\\\"\\\\bot\" 42 "
                      "\"whoami-demo@docker\" \"http://172.18.0.3:80\" 3ms");
    QTest::newRow("genericCLF stops after the user agent")
        << exampleRecord()
        << specWith([](config::AccessLogSpec &s) { s.format = QStringLiteral("genericCLF"); })
        << QByteArray("172.18.0.1 - - [30/Jul/2026:10:11:12 +0000] \"GET /hello?x=1 HTTP/1.1\" 200 "
                      "512 \"-\" \"-\"");
    QTest::newRow("trusted X-Forwarded-For is the client host, user from auth")
        << recordWith([](ExchangeRecord &r) {
               r.requestHeaders.add("X-Forwarded-For", "203.0.113.7, 10.0.0.1");
               r.forwardedRequestHeaders.add(
                   "X-Forwarded-For", "203.0.113.7, 10.0.0.1, 172.18.0.1");
               r.clientUsername = QStringLiteral("alice");
           })
        << defaults
        << QByteArray("203.0.113.7, 10.0.0.1 - alice [30/Jul/2026:10:11:12 +0000] \"GET "
                      "/hello?x=1 HTTP/1.1\" 200 512 \"-\" \"-\" 42 \"whoami-demo@docker\" "
                      "\"http://172.18.0.3:80\" 3ms");
    QTest::newRow("untrusted X-Forwarded-For (replaced by the proxy) is not")
        << recordWith([](ExchangeRecord &r) {
               r.requestHeaders.add("X-Forwarded-For", "6.6.6.6");
               r.forwardedRequestHeaders.add("X-Forwarded-For", "172.18.0.1");
           })
        << defaults
        << QByteArray("172.18.0.1 - - [30/Jul/2026:10:11:12 +0000] \"GET /hello?x=1 HTTP/1.1\" 200 "
                      "512 \"-\" \"-\" 42 \"whoami-demo@docker\" \"http://172.18.0.3:80\" 3ms");
    QTest::newRow("queryParameters drop removes the query")
        << exampleRecord()
        << specWith([](config::AccessLogSpec &s) { s.queryDefaultMode = QStringLiteral("drop"); })
        << QByteArray("172.18.0.1 - - [30/Jul/2026:10:11:12 +0000] \"GET /hello HTTP/1.1\" 200 512 "
                      "\"-\" \"-\" 42 \"whoami-demo@docker\" \"http://172.18.0.3:80\" 3ms");
    QTest::newRow("dropped fields show their fallback (names case-insensitive)")
        << exampleRecord() << specWith([](config::AccessLogSpec &s) {
               s.fieldNames[QStringLiteral("clienthost")] = QStringLiteral("drop");
               s.fieldNames[QStringLiteral("duration")] = QStringLiteral("drop");
               s.fieldNames[QStringLiteral("startutc")] = QStringLiteral("drop");
               s.fieldNames[QStringLiteral("startlocal")] = QStringLiteral("drop");
               s.fieldNames[QStringLiteral("routername")] = QStringLiteral("drop");
           })
        << QByteArray("- - - - \"GET /hello?x=1 HTTP/1.1\" 200 512 \"-\" \"-\" 42 \"-\" "
                      "\"http://172.18.0.3:80\" 0ms");
    QTest::newRow("defaultMode drop keeps only the named fields")
        << exampleRecord() << specWith([](config::AccessLogSpec &s) {
               s.fieldsDefaultMode = QStringLiteral("drop");
               s.fieldNames[QStringLiteral("downstreamstatus")] = QStringLiteral("keep");
           })
        << QByteArray("- - - - \"- - -\" 200 - \"-\" \"-\" - \"-\" \"-\" 0ms");
}

void tst_ObserveAccessLog::commonFormat()
{
    QFETCH(ExchangeRecord, record);
    QFETCH(config::AccessLogSpec, spec);
    QFETCH(QByteArray, expected);
    QCOMPARE(formatLine(record, spec, 42), expected);
}

void tst_ObserveAccessLog::jsonFormat_data()
{
    QTest::addColumn<ExchangeRecord>("record");
    QTest::addColumn<config::AccessLogSpec>("spec");
    QTest::addColumn<QByteArray>("expected");
    const config::AccessLogSpec json
        = specWith([](config::AccessLogSpec &s) { s.format = QStringLiteral("json"); });
    QTest::newRow("plain HTTP: keys sorted byte-wise, durations in ns")
        << exampleRecord() << json
        << QByteArray("{\"ClientAddr\":\"172.18.0.1:52000\",\"ClientHost\":\"172.18.0.1\","
                      "\"ClientPort\":\"52000\",\"ClientUsername\":\"-\","
                      "\"DownstreamContentSize\":512,\"DownstreamStatus\":200,\"Duration\":3900000,"
                      "\"OriginContentSize\":512,\"OriginDuration\":3000000,\"OriginStatus\":200,"
                      "\"Overhead\":900000,\"RequestAddr\":\"whoami.localhost\","
                      "\"RequestContentSize\":0,\"RequestCount\":42,"
                      "\"RequestHost\":\"whoami.localhost\",\"RequestMethod\":\"GET\","
                      "\"RequestPath\":\"/hello?x=1\",\"RequestPort\":\"-\","
                      "\"RequestProtocol\":\"HTTP/1.1\",\"RequestScheme\":\"http\","
                      "\"RetryAttempts\":0,\"RouterName\":\"whoami-demo@docker\","
                      "\"ServiceAddr\":\"172.18.0.3:80\",\"ServiceName\":\"whoami-demo@docker\","
                      "\"ServiceURL\":\"http://172.18.0.3:80\","
                      "\"StartLocal\":\"2026-07-30T10:11:12.123456Z\","
                      "\"StartUTC\":\"2026-07-30T10:11:12.123456Z\",\"entryPointName\":\"web\","
                      "\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-07-30T10:11:12Z\"}");
    QTest::newRow("TLS, port in Host, gzip ratio, IPv6 client, whole-second start")
        << recordWith([](ExchangeRecord &r) {
               r.startedUs = exampleStartUs - 123456;
               r.tls = true;
               r.tlsVersion = "1.3";
               r.tlsCipher = "TLS_AES_128_GCM_SHA256";
               r.scheme = "https";
               r.clientAddress = QStringLiteral("::1");
               r.requestHeaders.set("Host", "whoami.localhost:8443");
               r.originContentSize = 1280;
               r.responseBody.size = 512;
               r.entryPoint = QStringLiteral("websecure");
           })
        << specWith([](config::AccessLogSpec &s) {
               s.format = QStringLiteral("json");
               s.fieldNames[QStringLiteral("startlocal")] = QStringLiteral("drop");
               s.fieldNames[QStringLiteral("serviceaddr")] = QStringLiteral("drop");
           })
        << QByteArray(
               "{\"ClientAddr\":\"[::1]:52000\",\"ClientHost\":\"::1\","
               "\"ClientPort\":\"52000\",\"ClientUsername\":\"-\","
               "\"DownstreamContentSize\":512,\"DownstreamStatus\":200,\"Duration\":3900000,"
               "\"GzipRatio\":2.5,\"OriginContentSize\":1280,\"OriginDuration\":3000000,"
               "\"OriginStatus\":200,\"Overhead\":900000,"
               "\"RequestAddr\":\"whoami.localhost:8443\",\"RequestContentSize\":0,"
               "\"RequestCount\":42,\"RequestHost\":\"whoami.localhost\","
               "\"RequestMethod\":\"GET\",\"RequestPath\":\"/hello?x=1\","
               "\"RequestPort\":\"8443\",\"RequestProtocol\":\"HTTP/1.1\","
               "\"RequestScheme\":\"https\",\"RetryAttempts\":0,"
               "\"RouterName\":\"whoami-demo@docker\","
               "\"ServiceName\":\"whoami-demo@docker\","
               "\"ServiceURL\":\"http://172.18.0.3:80\","
               "\"StartUTC\":\"2026-07-30T10:11:12Z\",\"TLSCipher\":\"TLS_AES_128_GCM_SHA256\","
               "\"TLSVersion\":\"1.3\",\"entryPointName\":\"websecure\","
               "\"level\":\"info\",\"msg\":\"\",\"time\":\"2026-07-30T10:11:12Z\"}");
    QTest::newRow("headers: kept, redacted, canonical names, HTML-safe escaping")
        << recordWith([](ExchangeRecord &r) {
               r.requestHeaders.add("x-note", "a<b>&\"c\"");
               r.requestHeaders.add("authorization", "Bearer secret");
               r.requestHeaders.add("accept", "text/html");
               r.requestHeaders.add("Accept", "*/*");
               r.originResponseHeaders.add("content-type", "text/plain");
               r.responseHeaders.add("Content-Type", "text/plain");
               r.responseHeaders.add("X-Internal", "hidden");
           })
        << specWith([](config::AccessLogSpec &s) {
               s.format = QStringLiteral("json");
               s.fieldsDefaultMode = QStringLiteral("drop");
               s.fieldNames[QStringLiteral("downstreamstatus")] = QStringLiteral("keep");
               s.headersDefaultMode = QStringLiteral("keep");
               s.headerNames[QStringLiteral("authorization")] = QStringLiteral("redact");
               s.headerNames[QStringLiteral("x-internal")] = QStringLiteral("drop");
           })
        << QByteArray("{\"DownstreamStatus\":200,\"downstream_Content-Type\":\"text/plain\","
                      "\"level\":\"info\",\"msg\":\"\",\"origin_Content-Type\":\"text/plain\","
                      "\"request_Accept\":\"text/html,*/*\",\"request_Authorization\":\"REDACTED\","
                      "\"request_User-Agent\":\"curl/7.88.1\","
                      "\"request_X-Note\":\"a\\u003cb\\u003e\\u0026\\\"c\\\"\","
                      "\"time\":\"2026-07-30T10:11:12Z\"}");
}

void tst_ObserveAccessLog::jsonFormat()
{
    QFETCH(ExchangeRecord, record);
    QFETCH(config::AccessLogSpec, spec);
    QFETCH(QByteArray, expected);
    const QByteArray line = formatLine(record, spec, 42);
    QCOMPARE(line, expected);
    QVERIFY(QJsonDocument::fromJson(line).isObject());
}

void tst_ObserveAccessLog::filters_data()
{
    QTest::addColumn<QStringList>("statusCodes");
    QTest::addColumn<bool>("retryAttempts");
    QTest::addColumn<int>("minDurationMs");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("retries");
    QTest::addColumn<int>("totalUs");
    QTest::addColumn<bool>("kept");
    const QStringList none;
    const QStringList errors { QStringLiteral("404"), QStringLiteral("500-599") };
    QTest::newRow("no filter keeps everything") << none << false << 0 << 200 << 0 << 10 << true;
    QTest::newRow("status in a range") << errors << false << 0 << 503 << 0 << 10 << true;
    QTest::newRow("status exact") << errors << false << 0 << 404 << 0 << 10 << true;
    QTest::newRow("status outside") << errors << false << 0 << 200 << 0 << 10 << false;
    QTest::newRow("retried") << none << true << 0 << 200 << 1 << 10 << true;
    QTest::newRow("not retried") << none << true << 0 << 200 << 0 << 10 << false;
    QTest::newRow("slower than minDuration") << none << false << 5 << 200 << 0 << 5001 << true;
    QTest::newRow("exactly minDuration is not kept (strictly greater)")
        << none << false << 5 << 200 << 0 << 5000 << false;
    QTest::newRow("any filter matching keeps (status misses, retry hits)")
        << errors << true << 5 << 200 << 2 << 10 << true;
    QTest::newRow("all filters miss") << errors << true << 5 << 200 << 0 << 10 << false;
}

void tst_ObserveAccessLog::filters()
{
    QFETCH(QStringList, statusCodes);
    QFETCH(bool, retryAttempts);
    QFETCH(int, minDurationMs);
    QFETCH(int, status);
    QFETCH(int, retries);
    QFETCH(int, totalUs);
    QFETCH(bool, kept);
    config::AccessLogSpec spec;
    spec.statusCodes = statusCodes;
    spec.retryAttempts = retryAttempts;
    spec.minDuration = std::chrono::milliseconds(minDurationMs);
    AccessLog log(spec);
    QCOMPARE(log.keeps(*finished(status, totalUs, retries)), kept);
}

void tst_ObserveAccessLog::writesFileCountsRequestsAndSkipsInProgress()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("new/dir/access.log"));
    config::AccessLogSpec spec;
    spec.filePath = path;
    spec.statusCodes = QStringList { QStringLiteral("500-599") };
    {
        AccessLog log(spec);
        QVERIFY(log.open());
        auto running = finished(502);
        running->state = RecordState::InProgress;
        log.write({ finished(200), running, finished(502), finished(503) });
        QCOMPARE(fileLines(path).size(), 2);
    }
    const QByteArrayList lines = fileLines(path);
    QCOMPARE(lines.size(), 2);
    // RequestCount counts the filtered-out request too, not the one still running.
    QVERIFY2(lines[0].contains("\" 502 512 ") && lines[0].contains(" 2 \"whoami"), lines[0]);
    QVERIFY2(lines[1].contains("\" 503 512 ") && lines[1].contains(" 3 \"whoami"), lines[1]);
    QCOMPARE(QFileInfo(path).permissions() & QFileDevice::WriteGroup, QFileDevice::WriteGroup);
}

void tst_ObserveAccessLog::bufferingHoldsLinesUntilFullOrTimer()
{
    QTemporaryDir dir;
    config::AccessLogSpec spec;
    spec.filePath = dir.filePath(QStringLiteral("buffered.log"));
    spec.bufferingSize = 3;
    AccessLog log(spec);
    QVERIFY(log.open());
    log.write({ finished(200), finished(201) });
    QCOMPARE(fileLines(spec.filePath).size(), 0);
    log.write({ finished(202) });
    QCOMPARE(fileLines(spec.filePath).size(), 3);
    log.write({ finished(203) });
    QCOMPARE(fileLines(spec.filePath).size(), 3);
    QTRY_COMPARE_WITH_TIMEOUT(fileLines(spec.filePath).size(), 4, 5000);
}

void tst_ObserveAccessLog::reopenFollowsARenamedFile()
{
    QTemporaryDir dir;
    config::AccessLogSpec spec;
    spec.filePath = dir.filePath(QStringLiteral("access.log"));
    AccessLog log(spec);
    QVERIFY(log.open());
    log.write({ finished(200) });
    const QString rotated = spec.filePath + QStringLiteral(".1");
    QVERIFY(QFile::rename(spec.filePath, rotated));
    log.write({ finished(201) }); // still into the renamed file, as logrotate expects
    log.reopen();
    log.write({ finished(202) });
    QCOMPARE(fileLines(rotated).size(), 2);
    const QByteArrayList fresh = fileLines(spec.filePath);
    QCOMPARE(fresh.size(), 1);
    QVERIFY(fresh[0].contains("\" 202 "));
}

void tst_ObserveAccessLog::openErrorNamesThePath()
{
    QTemporaryDir dir;
    const QString blocker = writeFile(dir.filePath(QStringLiteral("file")), "x");
    config::AccessLogSpec spec;
    spec.filePath = blocker + QStringLiteral("/access.log"); // a directory that is a file
    AccessLog log(spec);
    auto opened = log.open();
    QVERIFY(!opened);
    QVERIFY2(opened.error().message.contains(spec.filePath), qPrintable(opened.error().toString()));
}

void tst_ObserveAccessLog::realServeWritesAndReopensOnSigusr1()
{
    testkit::HttpServer backend([](const testkit::ReceivedRequest &, QTcpSocket *socket) {
        testkit::HttpServer::respond(socket, 200, "ok");
    });
    QVERIFY(backend.listen());
    QTemporaryDir dir;
    QDir().mkpath(dir.filePath(QStringLiteral("dynamic")));
    writeFile(dir.filePath(QStringLiteral("dynamic/routes.yaml")),
        "http:\n  routers:\n    main: {rule: \"PathPrefix(`/`)\", service: backend}\n"
        "  services:\n    backend: {loadBalancer: {servers: [{url: \""
            + backend.url().toUtf8() + "\"}]}}\n");
    const QString logPath = dir.filePath(QStringLiteral("logs/access.log"));
    const QString conf = writeFile(dir.filePath(QStringLiteral("static.yaml")),
        "entryPoints:\n  web: {address: \"127.0.0.1:0\"}\n"
        "providers:\n  file: {directory: \""
            + dir.filePath(QStringLiteral("dynamic")).toUtf8()
            + "\"}\n"
              "accessLog:\n  filePath: \""
            + logPath.toUtf8()
            + "\"\n"
              "  filters: {statusCodes: [\"200-299\"]}\n"
              "portico:\n  capture:\n    history: {path: \""
            + dir.filePath(QStringLiteral("history.sqlite")).toUtf8() + "\"}\n");
    PorticoProcess portico;
    portico.start({ QStringLiteral("serve"), QStringLiteral("--config"), conf });
    const quint16 port = portico.waitListening(QStringLiteral("web"));
    QVERIFY2(port != 0, qPrintable(portico.output()));
    QDeadlineTimer routed(10000);
    while (curlStatus(port, QStringLiteral("/first")) != 200 && !routed.hasExpired()) { }
    QVERIFY2(!routed.hasExpired(), qPrintable(portico.output()));
    QVERIFY(testkit::waitUntil(
        [&] { return fileLines(logPath).join('\n').contains("\"GET /first HTTP/1.1\" 200 2 "); },
        5000));
    const QByteArray first = fileLines(logPath).back();
    QVERIFY2(first.startsWith("127.0.0.1 - - ["), first);
    QVERIFY2(first.contains("\"main@file\" \"" + backend.url().toUtf8() + "\" "), first);
    QVERIFY2(first.endsWith("ms"), first);

    // logrotate: move the file, then SIGUSR1 — the next line goes to a new file at the old path.
    const QString rotated = logPath + QStringLiteral(".1");
    QVERIFY(QFile::rename(logPath, rotated));
    const qint64 pid = instancePid();
    QVERIFY(pid > 0);
    QCOMPARE(::kill(pid_t(pid), SIGUSR1), 0);
    QVERIFY(testkit::waitUntil([&] { return QFile::exists(logPath); }, 5000));
    QCOMPARE(curlStatus(port, QStringLiteral("/second")), 200);
    QCOMPARE(curlStatus(port, QStringLiteral("/missing-is-still-200")), 200);
    QVERIFY(testkit::waitUntil([&] { return fileLines(logPath).size() == 2; }, 5000));
    QVERIFY(fileLines(logPath).front().contains("\"GET /second HTTP/1.1\" 200 2 "));
    QVERIFY(!fileLines(rotated).join('\n').contains("/second"));
    portico.terminate();
    QCOMPARE(portico.waitExit(), 0);
}

QTEST_GUILESS_MAIN(tst_ObserveAccessLog)
#include "tst_observe_access_log.moc"
