// Prometheus metrics with Traefik's names: the text exposition (numbers, escaping, histograms,
// label values), the static configuration, and a real run scraped through the proxy.
#include "app/core_runtime.h"
#include "core/config/loader.h"
#include "core/control/api/internal_provider.h"
#include "core/observe/metric_registry.h"
#include "core/observe/prometheus_metrics.h"
#include "core/observe/traefik_labels.h"
#include "core/proxy/connection_gauges.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/wait.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <limits>

using namespace portico;
using observe::PrometheusMetrics;
using observe::RecordBatch;

Q_DECLARE_METATYPE(portico::observe::RecordBatch)
Q_DECLARE_METATYPE(portico::observe::PrometheusMetrics::Options)

namespace {

/// A finished GET 200 on entry point web through router/service app@file, 0.2 s, 10 B in,
/// 20 B out; `change` adjusts it.
observe::RecordPtr record(const std::function<void(observe::ExchangeRecord &)> &change = {})
{
    auto r = std::make_shared<observe::ExchangeRecord>();
    r->state = observe::RecordState::Complete;
    r->entryPoint = QStringLiteral("web");
    r->router = QStringLiteral("app@file");
    r->service = QStringLiteral("app@file");
    r->method = "GET";
    r->status = 200;
    r->timing.total = 200000;
    r->requestBody.size = 10;
    r->responseBody.size = 20;
    if (change)
        change(*r);
    return r;
}

observe::RecordPtr withDuration(double seconds)
{
    return record([=](observe::ExchangeRecord &r) { r.timing.total = qint64(seconds * 1e6); });
}

/// The lines of `text` that belong to metric family `family` (HELP, TYPE and its series).
QStringList familyLines(const QByteArray &text, const QString &family)
{
    QStringList out;
    for (const QByteArray &line : text.split('\n')) {
        const QString l = QString::fromUtf8(line);
        const QString name = l.startsWith(u'#') ? l.section(u' ', 2, 2)
                                                : l.section(u'{', 0, 0).section(u' ', 0, 0);
        if (name == family || name == family + QLatin1String("_bucket")
            || name == family + QLatin1String("_sum") || name == family + QLatin1String("_count"))
            out << l;
    }
    return out;
}

QStringList lines(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

const char *const kEpHelp = "# HELP traefik_entrypoint_requests_total How many HTTP requests "
                            "processed on an entrypoint, partitioned by status code, protocol, "
                            "and method.";
const char *const kEpType = "# TYPE traefik_entrypoint_requests_total counter";

/// The value of the series line `series` (`name{labels}`) in `text`; NaN when absent.
double sample(const QByteArray &text, const QByteArray &series)
{
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith(series + ' '))
            return line.mid(series.size() + 1).toDouble();
    }
    return std::nan("");
}

/// waitUntil for an attempt with side effects (a request): never re-entered from the nested
/// event loops of the clients, never repeated once it succeeded.
bool pollUntil(const std::function<bool()> &attempt, int timeoutMs)
{
    bool done = false;
    bool busy = false;
    return testkit::waitUntil(
        [&] {
            if (done || busy)
                return done;
            busy = true;
            done = attempt();
            busy = false;
            return done;
        },
        timeoutMs);
}

/// Writes `routes.yaml` in `home` (router `app` on Host(`app.localhost`) → `backend`) and returns
/// a static configuration with entry points `web` and `traefik` on free ports, that file, and
/// `tail` (the metrics and portico sections); empty when the file could not be written.
QByteArray coreConfig(const QTemporaryDir &home, const QString &backend, const QByteArray &tail)
{
    const QString routes = home.filePath(QStringLiteral("routes.yaml"));
    QFile file(routes);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write("http:\n  routers:\n    app: {rule: \"Host(`app.localhost`)\", service: app}\n"
               "  services:\n    app:\n      loadBalancer:\n        servers:\n          - url: "
        + backend.toUtf8() + "\n");
    return "entryPoints:\n  web:\n    address: 127.0.0.1:0\n    asDefault: true\n  traefik:\n"
           "    address: 127.0.0.1:0\nproviders:\n  file:\n    filename: "
        + routes.toUtf8() + "\n    watch: false\n" + tail;
}

} // namespace

class TestObserveMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formatValue_data();
    void formatValue();
    void escaping_data();
    void escaping();
    void freshExposition();
    void configReloads();
    void exposition_data();
    void exposition();
    void serverUp();
    void labels_data();
    void labels();
    void staticConfig_data();
    void staticConfig();
    void internalRouting_data();
    void internalRouting();
    void realRun();
    void connectionGaugesSum();
    void openConnections_data();
    void openConnections();
};

void TestObserveMetrics::internalRouting_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("routers"); // name rule priority entryPoints
    QTest::addColumn<bool>("service");
    const QByteArray eps
        = "entryPoints:\n  web:\n    address: :80\n  traefik:\n    address: :8080\n";
    QTest::newRow("router on traefik with MaxInt")
        << QByteArray(eps + "metrics:\n  prometheus: {}\n")
        << QStringList { QStringLiteral(
               "prometheus PathPrefix(`/metrics`) 9223372036854775807 traefik") }
        << true;
    QTest::newRow("manualRouting: service only")
        << QByteArray(eps + "metrics:\n  prometheus: {manualRouting: true}\n") << QStringList()
        << true;
    QTest::newRow("configured entry point")
        << QByteArray(eps + "metrics:\n  prometheus: {entryPoint: web}\n")
        << QStringList { QStringLiteral(
               "prometheus PathPrefix(`/metrics`) 9223372036854775807 web") }
        << true;
    QTest::newRow("missing entry point: no router")
        << QByteArray("entryPoints:\n  web:\n    address: :80\nmetrics:\n  prometheus: {}\n")
        << QStringList() << true;
    QTest::newRow("no metrics") << eps << QStringList() << false;
}

void TestObserveMetrics::internalRouting()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, routers);
    QFETCH(bool, service);
    const auto loaded = config::parseStaticConfig(yaml, QStringLiteral("s.yaml"));
    QVERIFY(loaded.ok());
    const auto snapshot = control::api::InternalProvider::snapshot(
        QUrl(QStringLiteral("http://127.0.0.1:1234")), loaded.config);
    QStringList got;
    for (const auto &r : snapshot.routers) {
        if (r.service == u"prometheus")
            got << QStringLiteral("%1 %2 %3 %4")
                       .arg(r.name, r.rule)
                       .arg(r.priority)
                       .arg(r.entryPoints.join(u','));
    }
    QCOMPARE(got, routers);
    const auto it = std::find_if(snapshot.services.begin(), snapshot.services.end(),
        [](const config::ServiceSpec &s) { return s.name == u"prometheus"; });
    QCOMPARE(it != snapshot.services.end(), service);
    if (service)
        QCOMPARE(it->loadBalancer->servers.front().url, QStringLiteral("http://127.0.0.1:1234"));
}

void TestObserveMetrics::formatValue_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("zero") << 0.0 << QByteArray("0");
    QTest::newRow("integer") << 5.0 << QByteArray("5");
    QTest::newRow("fraction") << 0.1 << QByteArray("0.1");
    QTest::newRow("bucket 1.2") << 1.2 << QByteArray("1.2");
    QTest::newRow("below a million stays plain") << 100000.0 << QByteArray("100000");
    QTest::newRow("a million goes exponent") << 1e6 << QByteArray("1e+06");
    QTest::newRow("shortest mantissa") << 1234567.0 << QByteArray("1.234567e+06");
    QTest::newRow("small plain") << 0.0001 << QByteArray("0.0001");
    QTest::newRow("small exponent") << 0.00001 << QByteArray("1e-05");
    QTest::newRow("negative") << -2.5 << QByteArray("-2.5");
    QTest::newRow("infinity") << std::numeric_limits<double>::infinity() << QByteArray("+Inf");
    QTest::newRow("nan") << std::nan("") << QByteArray("NaN");
}

void TestObserveMetrics::formatValue()
{
    QFETCH(double, value);
    QFETCH(QByteArray, text);
    QCOMPARE(observe::formatMetricValue(value), text);
}

void TestObserveMetrics::escaping_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("label");
    QTest::addColumn<QByteArray>("help");
    QTest::newRow("plain") << QByteArray("web") << QByteArray("web") << QByteArray("web");
    QTest::newRow("quote") << QByteArray("a\"b") << QByteArray("a\\\"b") << QByteArray("a\"b");
    QTest::newRow("backslash") << QByteArray("a\\b") << QByteArray("a\\\\b")
                               << QByteArray("a\\\\b");
    QTest::newRow("newline") << QByteArray("a\nb") << QByteArray("a\\nb") << QByteArray("a\\nb");
}

void TestObserveMetrics::escaping()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, label);
    QFETCH(QByteArray, help);
    QCOMPARE(observe::escapeLabelValue(raw), label);
    QCOMPARE(observe::escapeHelp(raw), help);
}

void TestObserveMetrics::freshExposition()
{
    // Before any traffic only the always-present families with series are exported.
    PrometheusMetrics metrics({});
    QCOMPARE(QString::fromUtf8(metrics.render()),
        QStringLiteral("# HELP traefik_config_last_reload_success Last config reload success\n"
                       "# TYPE traefik_config_last_reload_success gauge\n"
                       "traefik_config_last_reload_success 0\n"
                       "# HELP traefik_config_reloads_total Config reloads\n"
                       "# TYPE traefik_config_reloads_total counter\n"
                       "traefik_config_reloads_total 0\n"));
    QCOMPARE(
        PrometheusMetrics::contentType(), QByteArray("text/plain; version=0.0.4; charset=utf-8"));
}

void TestObserveMetrics::configReloads()
{
    PrometheusMetrics metrics({});
    const qint64 before = QDateTime::currentSecsSinceEpoch();
    metrics.configReloaded(true);
    metrics.configReloaded(true);
    QCOMPARE(metrics.value("traefik_config_reloads_total", {}), 2.0);
    const double last = metrics.value("traefik_config_last_reload_success", {});
    QVERIFY2(last >= double(before) && last <= double(QDateTime::currentSecsSinceEpoch()),
        qPrintable(QString::number(last)));
}

void TestObserveMetrics::exposition_data()
{
    QTest::addColumn<PrometheusMetrics::Options>("options");
    QTest::addColumn<RecordBatch>("records");
    QTest::addColumn<QString>("family");
    QTest::addColumn<QStringList>("expected");

    const PrometheusMetrics::Options defaults;
    QTest::newRow("entry point counter with default labels")
        << defaults << RecordBatch { record(), record() } << "traefik_entrypoint_requests_total"
        << lines({ kEpHelp, kEpType,
               "traefik_entrypoint_requests_total{code=\"200\",entrypoint=\"web\",method=\"GET\","
               "protocol=\"http\"} 2" });
    QTest::newRow("histogram buckets are cumulative, le last, +Inf, sum and count")
        << defaults << RecordBatch { withDuration(0.05), withDuration(0.2), withDuration(7) }
        << "traefik_service_request_duration_seconds"
        << lines({ "# HELP traefik_service_request_duration_seconds How long it took to process "
                   "the request on a service, partitioned by status code, protocol, and method.",
               "# TYPE traefik_service_request_duration_seconds histogram",
               "traefik_service_request_duration_seconds_bucket{code=\"200\",method=\"GET\","
               "protocol=\"http\",service=\"app@file\",le=\"0.1\"} 1",
               "traefik_service_request_duration_seconds_bucket{code=\"200\",method=\"GET\","
               "protocol=\"http\",service=\"app@file\",le=\"0.3\"} 2",
               "traefik_service_request_duration_seconds_bucket{code=\"200\",method=\"GET\","
               "protocol=\"http\",service=\"app@file\",le=\"1.2\"} 2",
               "traefik_service_request_duration_seconds_bucket{code=\"200\",method=\"GET\","
               "protocol=\"http\",service=\"app@file\",le=\"5\"} 2",
               "traefik_service_request_duration_seconds_bucket{code=\"200\",method=\"GET\","
               "protocol=\"http\",service=\"app@file\",le=\"+Inf\"} 3",
               "traefik_service_request_duration_seconds_sum{code=\"200\",method=\"GET\","
               "protocol=\"http\",service=\"app@file\"} 7.25",
               "traefik_service_request_duration_seconds_count{code=\"200\",method=\"GET\","
               "protocol=\"http\",service=\"app@file\"} 3" });
    PrometheusMetrics::Options buckets;
    buckets.buckets = { 0.5, 1 };
    QTest::newRow("configured buckets; an upper bound is inclusive")
        << buckets << RecordBatch { withDuration(0.5) }
        << "traefik_entrypoint_request_duration_seconds"
        << lines({ "# HELP traefik_entrypoint_request_duration_seconds How long it took to process "
                   "the request on an entrypoint, partitioned by status code, protocol, and "
                   "method.",
               "# TYPE traefik_entrypoint_request_duration_seconds histogram",
               "traefik_entrypoint_request_duration_seconds_bucket{code=\"200\",entrypoint=\"web\","
               "method=\"GET\",protocol=\"http\",le=\"0.5\"} 1",
               "traefik_entrypoint_request_duration_seconds_bucket{code=\"200\",entrypoint=\"web\","
               "method=\"GET\",protocol=\"http\",le=\"1\"} 1",
               "traefik_entrypoint_request_duration_seconds_bucket{code=\"200\",entrypoint=\"web\","
               "method=\"GET\",protocol=\"http\",le=\"+Inf\"} 1",
               "traefik_entrypoint_request_duration_seconds_sum{code=\"200\",entrypoint=\"web\","
               "method=\"GET\",protocol=\"http\"} 0.5",
               "traefik_entrypoint_request_duration_seconds_count{code=\"200\",entrypoint=\"web\","
               "method=\"GET\",protocol=\"http\"} 1" });
    PrometheusMetrics::Options routers;
    routers.routerLabels = true;
    QTest::newRow("router labels carry the service")
        << routers << RecordBatch { record() } << "traefik_router_requests_total"
        << lines({ "# HELP traefik_router_requests_total How many HTTP requests are processed on "
                   "a router, partitioned by service, status code, protocol, and method.",
               "# TYPE traefik_router_requests_total counter",
               "traefik_router_requests_total{code=\"200\",method=\"GET\",protocol=\"http\","
               "router=\"app@file\",service=\"app@file\"} 1" });
    QTest::newRow("router labels are off by default")
        << defaults << RecordBatch { record() } << "traefik_router_requests_total" << QStringList();
    PrometheusMetrics::Options noEntryPoints;
    noEntryPoints.entryPointLabels = false;
    QTest::newRow("entry point labels switched off")
        << noEntryPoints << RecordBatch { record() } << "traefik_entrypoint_requests_total"
        << QStringList();
    PrometheusMetrics::Options headerLabels;
    headerLabels.headerLabels = { { "ua", "User-Agent" } };
    QTest::newRow("header label value escaped")
        << headerLabels << RecordBatch { record([](observe::ExchangeRecord &r) {
               r.requestHeaders.add("User-Agent", "a\"b\\c\nd");
           }) }
        << "traefik_entrypoint_requests_total"
        << lines({ kEpHelp, kEpType,
               "traefik_entrypoint_requests_total{code=\"200\",entrypoint=\"web\",method=\"GET\","
               "protocol=\"http\",ua=\"a\\\"b\\\\c\\nd\"} 1" });
    QTest::newRow("header label missing is empty")
        << headerLabels << RecordBatch { record() } << "traefik_entrypoint_requests_total"
        << lines({ kEpHelp, kEpType,
               "traefik_entrypoint_requests_total{code=\"200\",entrypoint=\"web\",method=\"GET\","
               "protocol=\"http\",ua=\"\"} 1" });
    QTest::newRow("series sorted by label values, no router still counts on the entry point")
        << defaults
        << RecordBatch { record([](observe::ExchangeRecord &r) {
                            r.status = 404;
                            r.router.clear();
                            r.service.clear();
                        }),
               record() }
        << "traefik_entrypoint_requests_total"
        << lines({ kEpHelp, kEpType,
               "traefik_entrypoint_requests_total{code=\"200\",entrypoint=\"web\",method=\"GET\","
               "protocol=\"http\"} 1",
               "traefik_entrypoint_requests_total{code=\"404\",entrypoint=\"web\",method=\"GET\","
               "protocol=\"http\"} 1" });
    QTest::newRow("in-progress records are not counted")
        << defaults << RecordBatch { record([](observe::ExchangeRecord &r) {
               r.state = observe::RecordState::InProgress;
           }) }
        << "traefik_entrypoint_requests_total" << QStringList();
    const auto internal = record([](observe::ExchangeRecord &r) {
        r.router = QStringLiteral("prometheus@internal");
        r.service = QStringLiteral("prometheus@internal");
    });
    QTest::newRow("internal services are not counted")
        << defaults << RecordBatch { internal } << "traefik_entrypoint_requests_total"
        << QStringList();
    PrometheusMetrics::Options internals;
    internals.addInternals = true;
    QTest::newRow("internal services counted with addInternals")
        << internals << RecordBatch { internal } << "traefik_service_requests_total"
        << lines({ "# HELP traefik_service_requests_total How many HTTP requests processed on a "
                   "service, partitioned by status code, protocol, and method.",
               "# TYPE traefik_service_requests_total counter",
               "traefik_service_requests_total{code=\"200\",method=\"GET\",protocol=\"http\","
               "service=\"prometheus@internal\"} 1" });
    QTest::newRow("request bytes summed")
        << defaults << RecordBatch { record(), record() }
        << "traefik_entrypoint_requests_bytes_total"
        << lines({ "# HELP traefik_entrypoint_requests_bytes_total The total size of requests in "
                   "bytes handled by an entrypoint, partitioned by status code, protocol, and "
                   "method.",
               "# TYPE traefik_entrypoint_requests_bytes_total counter",
               "traefik_entrypoint_requests_bytes_total{code=\"200\",entrypoint=\"web\","
               "method=\"GET\",protocol=\"http\"} 20" });
    QTest::newRow("response bytes summed")
        << defaults << RecordBatch { record(), record() } << "traefik_service_responses_bytes_total"
        << lines({ "# HELP traefik_service_responses_bytes_total The total size of responses in "
                   "bytes returned by a service, partitioned by status code, protocol, and "
                   "method.",
               "# TYPE traefik_service_responses_bytes_total counter",
               "traefik_service_responses_bytes_total{code=\"200\",method=\"GET\","
               "protocol=\"http\",service=\"app@file\"} 40" });
    QTest::newRow("tls version and cipher")
        << defaults << RecordBatch { record([](observe::ExchangeRecord &r) {
               r.tls = true;
               r.tlsVersion = "1.3";
               r.tlsCipher = "TLS_AES_128_GCM_SHA256";
           }) }
        << "traefik_entrypoint_requests_tls_total"
        << lines({ "# HELP traefik_entrypoint_requests_tls_total How many HTTP requests with TLS "
                   "processed on an entrypoint, partitioned by TLS Version and TLS cipher Used.",
               "# TYPE traefik_entrypoint_requests_tls_total counter",
               "traefik_entrypoint_requests_tls_total{entrypoint=\"web\","
               "tls_cipher=\"TLS_AES_128_GCM_SHA256\",tls_version=\"1.3\"} 1" });
    QTest::newRow("retries")
        << defaults
        << RecordBatch { record([](observe::ExchangeRecord &r) { r.retryAttempts = 2; }) }
        << "traefik_service_retries_total"
        << lines({ "# HELP traefik_service_retries_total How many request retries happened on a "
                   "service.",
               "# TYPE traefik_service_retries_total counter",
               "traefik_service_retries_total{service=\"app@file\"} 2" });
}

void TestObserveMetrics::exposition()
{
    QFETCH(PrometheusMetrics::Options, options);
    QFETCH(RecordBatch, records);
    QFETCH(QString, family);
    QFETCH(QStringList, expected);
    PrometheusMetrics metrics(options);
    metrics.record(records);
    QCOMPARE(familyLines(metrics.render(), family), expected);
}

void TestObserveMetrics::serverUp()
{
    PrometheusMetrics metrics({});
    metrics.setServersUp({ { QStringLiteral("app@file"), QStringLiteral("http://b:2"), false },
        { QStringLiteral("app@file"), QStringLiteral("http://a:1"), true } });
    QCOMPARE(familyLines(metrics.render(), QStringLiteral("traefik_service_server_up")),
        lines({ "# HELP traefik_service_server_up service server is up, described by gauge value "
                "of 0 or 1.",
            "# TYPE traefik_service_server_up gauge",
            "traefik_service_server_up{service=\"app@file\",url=\"http://a:1\"} 1",
            "traefik_service_server_up{service=\"app@file\",url=\"http://b:2\"} 0" }));
    metrics.setServersUp({}); // replaced as a whole: a removed service disappears
    QCOMPARE(
        familyLines(metrics.render(), QStringLiteral("traefik_service_server_up")), QStringList());
}

void TestObserveMetrics::labels_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QList<QByteArray>>("headers"); // name, value, name, value...
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("grpcStatus");
    QTest::addColumn<QByteArray>("code");
    QTest::addColumn<QByteArray>("methodLabel");
    QTest::addColumn<QByteArray>("protocolLabel");
    const int h1 = int(observe::Protocol::Http1);
    QTest::newRow("plain GET") << QByteArray("GET") << QList<QByteArray>() << h1 << 200
                               << QByteArray() << QByteArray("200") << QByteArray("GET")
                               << QByteArray("http");
    QTest::newRow("PRI is known") << QByteArray("PRI") << QList<QByteArray>() << h1 << 400
                                  << QByteArray() << QByteArray("400") << QByteArray("PRI")
                                  << QByteArray("http");
    QTest::newRow("extension method")
        << QByteArray("PURGE") << QList<QByteArray>() << h1 << 200 << QByteArray()
        << QByteArray("200") << QByteArray("EXTENSION_METHOD") << QByteArray("http");
    QTest::newRow("lower-case get is an extension")
        << QByteArray("get") << QList<QByteArray>() << h1 << 200 << QByteArray()
        << QByteArray("200") << QByteArray("EXTENSION_METHOD") << QByteArray("http");
    QTest::newRow("non-UTF-8 method")
        << QByteArray("G\xff") << QList<QByteArray>() << h1 << 200 << QByteArray()
        << QByteArray("200") << QByteArray("NON_UTF8_HTTP_METHOD") << QByteArray("http");
    QTest::newRow("websocket by headers")
        << QByteArray("GET")
        << QList<QByteArray> { "Connection", "keep-alive, Upgrade", "Upgrade", "websocket" } << h1
        << 101 << QByteArray() << QByteArray("101") << QByteArray("GET") << QByteArray("websocket");
    QTest::newRow("upgrade without websocket is http")
        << QByteArray("GET") << QList<QByteArray> { "Connection", "Upgrade", "Upgrade", "h2c" }
        << h1 << 101 << QByteArray() << QByteArray("101") << QByteArray("GET")
        << QByteArray("http");
    QTest::newRow("sse by Accept")
        << QByteArray("GET") << QList<QByteArray> { "Accept", "text/event-stream" } << h1 << 200
        << QByteArray() << QByteArray("200") << QByteArray("GET") << QByteArray("sse");
    QTest::newRow("grpc status from the response")
        << QByteArray("POST") << QList<QByteArray> { "Content-Type", "application/grpc+proto" }
        << int(observe::Protocol::Grpc) << 200 << QByteArray("5") << QByteArray("5")
        << QByteArray("POST") << QByteArray("grpc");
    QTest::newRow("grpc-web without status after a failure is Unknown")
        << QByteArray("POST") << QList<QByteArray> { "Content-Type", "application/grpc-web" } << h1
        << 502 << QByteArray() << QByteArray("2") << QByteArray("POST") << QByteArray("grpc-web");
    QTest::newRow("HTTP/2 websocket by the record's protocol")
        << QByteArray("CONNECT") << QList<QByteArray>() << int(observe::Protocol::WebSocket) << 200
        << QByteArray() << QByteArray("200") << QByteArray("CONNECT") << QByteArray("websocket");
    QTest::newRow("client gone before any answer")
        << QByteArray("GET") << QList<QByteArray>() << h1 << 0 << QByteArray() << QByteArray("499")
        << QByteArray("GET") << QByteArray("http");
}

void TestObserveMetrics::labels()
{
    QFETCH(QByteArray, method);
    QFETCH(QList<QByteArray>, headers);
    QFETCH(int, protocol);
    QFETCH(int, status);
    QFETCH(QByteArray, grpcStatus);
    QFETCH(QByteArray, code);
    QFETCH(QByteArray, methodLabel);
    QFETCH(QByteArray, protocolLabel);
    observe::ExchangeRecord r;
    r.method = method;
    for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
        r.requestHeaders.add(headers[i], headers[i + 1]);
    r.protocol = observe::Protocol(protocol);
    r.status = status;
    r.state = status == 0 ? observe::RecordState::Aborted : observe::RecordState::Complete;
    if (!grpcStatus.isEmpty())
        r.responseHeaders.add("Grpc-Status", grpcStatus);
    const observe::RequestLabels labels = observe::requestLabels(r);
    QCOMPARE(labels.code, code);
    QCOMPARE(labels.method, methodLabel);
    QCOMPARE(labels.protocol, protocolLabel);
}

void TestObserveMetrics::staticConfig_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("error"); // empty: valid
    QTest::newRow("presence enables with Traefik's defaults")
        << QByteArray("metrics:\n  prometheus: {}\n") << QString();
    QTest::newRow("every key") << QByteArray(
        "metrics:\n  addInternals: true\n  prometheus:\n    buckets: [0.5, 1, 2]\n"
        "    addEntryPointsLabels: false\n    addRoutersLabels: true\n"
        "    addServicesLabels: false\n    entryPoint: metrics\n"
        "    manualRouting: true\n    headerLabels:\n      ua: User-Agent\n")
                               << QString();
    QTest::newRow("descending buckets")
        << QByteArray("metrics:\n  prometheus:\n    buckets: [1, 0.5]\n")
        << QStringLiteral("s.yaml:3:14: metrics.prometheus.buckets: invalid bucket \"0.5\" "
                          "(buckets are ascending numbers of seconds, e.g. [0.1, 0.3, 1.2, 5])");
    QTest::newRow("unknown key")
        << QByteArray("metrics:\n  prometheus:\n    bucket: [1]\n")
        << QStringLiteral("s.yaml:3:5: metrics.prometheus.bucket: unknown key \"bucket\" (did you "
                          "mean \"buckets\"?)");
    QTest::newRow("other exporters are not supported yet")
        << QByteArray("metrics:\n  datadog: {}\n")
        << QStringLiteral("s.yaml:2:3: metrics.datadog: \"datadog\" is not supported yet");
}

void TestObserveMetrics::staticConfig()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, error);
    const auto result = config::parseStaticConfig(yaml, QStringLiteral("s.yaml"));
    if (!error.isEmpty()) {
        QCOMPARE(result.errors.size(), size_t(1));
        QCOMPARE(result.errors.front().toString(), error);
        return;
    }
    QVERIFY2(result.ok(),
        qPrintable(result.errors.empty() ? QString() : result.errors.front().toString()));
    QVERIFY(result.config.metrics && result.config.metrics->prometheus);
    const config::PrometheusSpec &p = *result.config.metrics->prometheus;
    if (QByteArray(QTest::currentDataTag()).startsWith("presence")) {
        QCOMPARE(p.buckets, (std::vector<double> { 0.1, 0.3, 1.2, 5 }));
        QVERIFY(p.addEntryPointsLabels && !p.addRoutersLabels && p.addServicesLabels);
        QCOMPARE(p.entryPoint, QStringLiteral("traefik"));
        QVERIFY(!p.manualRouting && !result.config.metrics->addInternals);
    } else {
        QCOMPARE(p.buckets, (std::vector<double> { 0.5, 1, 2 }));
        QVERIFY(!p.addEntryPointsLabels && p.addRoutersLabels && !p.addServicesLabels);
        QCOMPARE(p.entryPoint, QStringLiteral("metrics"));
        QVERIFY(p.manualRouting && result.config.metrics->addInternals);
        QCOMPARE(p.headerLabels.size(), size_t(1));
        QCOMPARE(p.headerLabels.front().first, QStringLiteral("ua"));
        QCOMPARE(p.headerLabels.front().second, QStringLiteral("User-Agent"));
    }
}

void TestObserveMetrics::realRun()
{
    // A real core: requests through entry point `web`, scraped through `traefik` (router
    // prometheus@internal → the control API's /metrics), counters as sent.
    QTemporaryDir home;
    const QByteArray oldHome = qgetenv("PORTICO_HOME");
    qputenv("PORTICO_HOME", home.path().toUtf8());
    testkit::HttpServer backend([](const testkit::ReceivedRequest &request, QTcpSocket *socket) {
        testkit::HttpServer::respond(socket, request.method == "POST" ? 201 : 200, "hello");
    });
    QVERIFY(backend.listen());
    const QByteArray staticYaml = coreConfig(home, backend.url(),
        "metrics:\n  prometheus:\n    addRoutersLabels: true\nportico:\n  engineThreads: 1\n");
    QVERIFY(!staticYaml.isEmpty());
    auto loaded = config::parseStaticConfig(staticYaml, QStringLiteral("static.yaml"));
    QVERIFY2(loaded.ok(),
        qPrintable(loaded.errors.empty() ? QString() : loaded.errors.front().toString()));
    loaded.config.graceTimeout = std::chrono::milliseconds(100);
    {
        app::CoreRuntime core(loaded.config);
        QVERIFY(core.listen());
        core.startControl();
        const quint16 web = core.server().port(QStringLiteral("web"));
        const quint16 traefik = core.server().port(QStringLiteral("traefik"));
        auto send = [&](const QByteArray &method, const QByteArray &host) {
            testkit::RawClient client;
            if (!client.connectTo(web))
                return 0;
            client.expectMethods({ method });
            client.send(method + " / HTTP/1.1\r\nHost: " + host
                + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            const auto &responses = client.waitForResponses(1);
            return responses.empty() ? 0 : responses.front().status;
        };
        int early404 = 0; // requests answered before the first table arrived
        QVERIFY(pollUntil(
            [&] {
                const int status = send("GET", "app.localhost");
                early404 += status == 404 ? 1 : 0;
                return status == 200;
            },
            10000));
        for (int i = 0; i < 2; ++i)
            QCOMPARE(send("GET", "app.localhost"), 200);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(send("POST", "app.localhost"), 201);
        QCOMPARE(send("GET", "nothing.localhost"), 404);

        QByteArray text;
        const QByteArray getEp = "traefik_entrypoint_requests_total{code=\"200\","
                                 "entrypoint=\"web\",method=\"GET\",protocol=\"http\"}";
        const auto scrape = [&] {
            testkit::RawClient client;
            if (!client.connectTo(traefik))
                return false;
            client.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            const auto &responses = client.waitForResponses(1);
            if (responses.empty() || responses.front().status != 200)
                return false;
            text = responses.front().body;
            // Records reach the metrics in batches from two engine threads: wait for all.
            return sample(text, getEp) == 3.0
                && sample(text,
                       "traefik_entrypoint_requests_total{code=\"201\",entrypoint=\"web\","
                       "method=\"POST\",protocol=\"http\"}")
                == 2.0
                && sample(text,
                       "traefik_entrypoint_requests_total{code=\"404\",entrypoint=\"web\","
                       "method=\"GET\",protocol=\"http\"}")
                == 1.0 + early404;
        };
        const bool scraped = pollUntil(scrape, 10000);
        if (!scraped)
            qWarning().noquote() << "last scrape:\n" << text;
        QVERIFY(scraped);
        QCOMPARE(sample(text, getEp), 3.0);
        QCOMPARE(sample(text,
                     "traefik_entrypoint_requests_total{code=\"201\",entrypoint=\"web\","
                     "method=\"POST\",protocol=\"http\"}"),
            2.0);
        QCOMPARE(sample(text,
                     "traefik_entrypoint_requests_total{code=\"404\",entrypoint=\"web\","
                     "method=\"GET\",protocol=\"http\"}"),
            1.0 + early404);
        QCOMPARE(sample(text,
                     "traefik_router_requests_total{code=\"200\",method=\"GET\",protocol=\"http\","
                     "router=\"app@file\",service=\"app@file\"}"),
            3.0);
        QCOMPARE(sample(text,
                     "traefik_service_requests_total{code=\"201\",method=\"POST\","
                     "protocol=\"http\",service=\"app@file\"}"),
            2.0);
        QCOMPARE(sample(text,
                     "traefik_service_request_duration_seconds_count{code=\"200\",method=\"GET\","
                     "protocol=\"http\",service=\"app@file\"}"),
            3.0);
        QCOMPARE(sample(text,
                     "traefik_service_responses_bytes_total{code=\"200\",method=\"GET\","
                     "protocol=\"http\",service=\"app@file\"}"),
            15.0);
        QVERIFY(sample(text, "traefik_config_reloads_total") >= 1.0);
        QVERIFY(sample(text, "traefik_config_last_reload_success") > 1e9);
        // The scrapes themselves go to prometheus@internal: not counted (their connections are,
        // in traefik_open_connections).
        QVERIFY(!text.contains("entrypoint=\"traefik\",method"));
        QVERIFY(!text.contains("@internal"));
    }
    qputenv("PORTICO_HOME", oldHome);
}

void TestObserveMetrics::connectionGaugesSum()
{
    // Engines count in their own slots; a scrape sums them per entry point, zeros included.
    auto gauges = std::make_shared<proxy::ConnectionGauges>();
    std::vector<config::EntryPointSpec> eps(2);
    eps[0].name = QStringLiteral("web");
    eps[1].name = QStringLiteral("websecure");
    auto a = gauges->addEngine(eps);
    auto b = gauges->addEngine(eps);
    a->opened(QStringLiteral("web"));
    a->opened(QStringLiteral("web"));
    b->opened(QStringLiteral("web"));
    b->opened(QStringLiteral("websecure"));
    a->closed(QStringLiteral("web"));
    a->opened(QStringLiteral("unknown")); // not an entry point of this engine: ignored
    using Counts = std::vector<std::pair<QString, qint64>>;
    QCOMPARE(gauges->counts(),
        (Counts { { QStringLiteral("web"), 2 }, { QStringLiteral("websecure"), 1 } }));
    PrometheusMetrics metrics({});
    metrics.setOpenConnectionsSource([gauges] { return gauges->counts(); });
    const QByteArray text = metrics.render();
    QVERIFY2(text.contains("# TYPE traefik_open_connections gauge\n"), text.constData());
    QCOMPARE(sample(text, "traefik_open_connections{entrypoint=\"web\",protocol=\"TCP\"}"), 2.0);
    QCOMPARE(
        sample(text, "traefik_open_connections{entrypoint=\"websecure\",protocol=\"TCP\"}"), 1.0);
    b->closed(QStringLiteral("websecure"));
    QCOMPARE(sample(metrics.render(),
                 "traefik_open_connections{entrypoint=\"websecure\",protocol=\"TCP\"}"),
        0.0);
}

void TestObserveMetrics::openConnections_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<bool>("request"); // each connection sends a keep-alive request first
    QTest::newRow("5 idle connections") << 5 << false;
    QTest::newRow("7 kept-alive connections after a request") << 7 << true;
}

void TestObserveMetrics::openConnections()
{
    // A real core with two engine threads: N client connections open on `web`, a scrape through
    // `traefik` counts them; closed, the gauge drops back to 0.
    QFETCH(int, count);
    QFETCH(bool, request);
    QTemporaryDir home;
    const QByteArray oldHome = qgetenv("PORTICO_HOME");
    qputenv("PORTICO_HOME", home.path().toUtf8());
    testkit::HttpServer backend([](const testkit::ReceivedRequest &, QTcpSocket *socket) {
        testkit::HttpServer::respond(socket, 200, "hello");
    });
    QVERIFY(backend.listen());
    const QByteArray staticYaml = coreConfig(
        home, backend.url(), "metrics:\n  prometheus: {}\nportico:\n  engineThreads: 2\n");
    QVERIFY(!staticYaml.isEmpty());
    auto loaded = config::parseStaticConfig(staticYaml, QStringLiteral("static.yaml"));
    QVERIFY(loaded.ok());
    loaded.config.graceTimeout = std::chrono::milliseconds(100);
    {
        app::CoreRuntime core(loaded.config);
        QVERIFY(core.listen());
        core.startControl();
        const quint16 web = core.server().port(QStringLiteral("web"));
        const quint16 traefik = core.server().port(QStringLiteral("traefik"));
        const QByteArray series = "traefik_open_connections{entrypoint=\"web\",protocol=\"TCP\"}";
        QByteArray text;
        const auto scrape = [&] {
            testkit::RawClient client;
            if (!client.connectTo(traefik))
                return -1.0;
            client.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            const auto &responses = client.waitForResponses(1);
            if (responses.empty() || responses.front().status != 200)
                return -1.0;
            text = responses.front().body;
            return text.contains(series) ? sample(text, series) : -1.0;
        };
        QVERIFY(pollUntil([&] { return scrape() == 0.0; }, 10000));
        std::vector<std::unique_ptr<testkit::RawClient>> clients;
        for (int i = 0; i < count; ++i) {
            clients.push_back(std::make_unique<testkit::RawClient>());
            QVERIFY(clients.back()->connectTo(web));
            if (request) {
                clients.back()->send("GET / HTTP/1.1\r\nHost: app.localhost\r\n\r\n");
                QCOMPARE(clients.back()->waitForResponses(1).size(), size_t(1));
            }
        }
        const bool opened = pollUntil([&] { return scrape() == double(count); }, 10000);
        if (!opened)
            qWarning().noquote() << "last scrape:\n" << text;
        QVERIFY(opened);
        // The scrape's own connection is open on `traefik` while it is answered.
        QVERIFY(sample(text, "traefik_open_connections{entrypoint=\"traefik\",protocol=\"TCP\"}")
            >= 1.0);
        clients.clear();
        const bool closed = pollUntil([&] { return scrape() == 0.0; }, 10000);
        if (!closed)
            qWarning().noquote() << "last scrape:\n" << text;
        QVERIFY(closed);
    }
    qputenv("PORTICO_HOME", oldHome);
}

QTEST_GUILESS_MAIN(TestObserveMetrics)
#include "tst_observe_metrics.moc"
