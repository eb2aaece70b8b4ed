// The route explainer: every router of an entry point judged against one request (overlapping
// Host / Host+PathPrefix / HostRegexp routers, a priority override, a disabled router, TLS
// routers), through the API over real HTTP, and through the real `portico explain` binary.
#include "app/core_runtime.h"
#include "core/config/loader.h"
#include "core/control/control_plane.h"
#include "core/control/explain.h"
#include "core/control/table_builder.h"
#include "tests/app/portico_process.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/wait.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace portico;
using control::Verdict;

namespace {

// Default priorities (rule length): app-api 43, either 42, broken 24, app 21, secure 21;
// explicit: wild 10, admin 1.
const QByteArray kRoutes
    = "http:\n"
      "  routers:\n"
      "    app: {rule: \"Host(`app.localhost`)\", service: app}\n"
      "    app-api: {rule: \"Host(`app.localhost`) && PathPrefix(`/api`)\", service: api}\n"
      "    wild: {rule: \"HostRegexp(`^[a-z]+\\\\.localhost$`)\", service: app, priority: 10}\n"
      "    admin: {rule: \"Host(`app.localhost`) && PathPrefix(`/admin`)\", service: app,\n"
      "            priority: 1, middlewares: [strip]}\n"
      "    broken: {rule: \"Host(`broken.localhost`)\", service: missing}\n"
      "    secure: {rule: \"Host(`app.localhost`)\", service: app, tls: {}}\n"
      "    either: {rule: \"Method(`DELETE`) || Header(`X-Debug`, `1`)\", service: app}\n"
      "  services:\n"
      "    app: {loadBalancer: {servers: [{url: \"http://127.0.0.1:1\"}]}}\n"
      "    api: {loadBalancer: {servers: [{url: \"http://127.0.0.1:2\"}, {url: "
      "\"http://127.0.0.1:3\"}]}}\n"
      "  middlewares:\n"
      "    strip: {stripPrefix: {prefixes: [/admin]}}\n";

config::EntryPointSpec entryPoint(const QString &name, quint16 port, bool asDefault)
{
    config::EntryPointSpec spec;
    spec.name = name;
    spec.host = QStringLiteral("127.0.0.1");
    spec.address = QStringLiteral("127.0.0.1:%1").arg(port);
    spec.port = port;
    spec.asDefault = asDefault;
    return spec;
}

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

/// `name verdict` for each router, in order.
QStringList verdicts(const control::EntryPointExplanation &ep)
{
    QStringList out;
    for (const auto &r : ep.routers)
        out << r.name.section(u'@', 0, 0) + u' ' + control::verdictName(r.verdict);
    return out;
}

QString reasonOf(const control::EntryPointExplanation &ep, const QString &router)
{
    for (const auto &r : ep.routers) {
        if (r.name.section(u'@', 0, 0) == router)
            return r.reason;
    }
    return QStringLiteral("(no router %1)").arg(router);
}

QByteArray staticYaml(const QString &routesFile)
{
    return "entryPoints:\n  web:\n    address: 127.0.0.1:0\n    asDefault: true\n"
           "  other:\n    address: 127.0.0.1:0\n"
           "providers:\n  file:\n    filename: "
        + routesFile.toUtf8() + "\n    watch: false\nportico:\n  engineThreads: 1\n";
}

/// waitUntil for an attempt with side effects (a request, a process): never re-entered from the
/// nested event loops of the clients, never repeated once it succeeded.
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

} // namespace

class TestExplain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void routers_data();
    void routers();
    void pipeline();
    void entryPointChoice_data();
    void entryPointChoice();
    void errors_data();
    void errors();
    void api();
    void cli();

private:
    control::ExplainContext m_context;
    control::TableBuilder::Result m_build;
};

void TestExplain::initTestCase()
{
    m_context.entryPoints = { entryPoint(QStringLiteral("web"), 8080, true),
        entryPoint(QStringLiteral("admin"), 9090, false) };
    control::TableBuilder builder(m_context.entryPoints);
    control::Snapshots snapshots;
    snapshots[QStringLiteral("file")]
        = config::parseDynamicConfig(kRoutes, QStringLiteral("routes.yaml"));
    m_build = builder.build(snapshots, 1);
    m_context.table = m_build.table;
    m_context.state = &m_build.state;
    m_context.boundPorts = { { QStringLiteral("web"), 8080 }, { QStringLiteral("admin"), 9090 } };
    QCOMPARE(
        m_build.state.routers.at(QStringLiteral("broken@file")).status, control::Status::Disabled);
}

void TestExplain::routers_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QList<QByteArray>>("headers"); // name, value, ...
    QTest::addColumn<QString>("winner"); // empty: 404
    QTest::addColumn<QStringList>("order");
    QTest::addColumn<QStringList>("reasons"); // router=reason

    QTest::newRow("Host+PathPrefix beats Host by default priority")
        << QByteArray("GET") << QStringLiteral("http://app.localhost:8080/api/x")
        << QList<QByteArray>() << QStringLiteral("app-api@file")
        << strings({ "app-api winner", "either not-matched", "broken disabled", "app matched",
               "secure other-scheme", "wild matched", "admin not-matched" })
        << strings({ "app-api=matched with the highest priority",
               "either=no alternative matched (Method(`DELETE`) did not match method \"GET\"; "
               "Header(`X-Debug`, `1`) did not match a request without header \"X-Debug\")",
               "broken=disabled: the service \"missing@file\" does not exist",
               "app=matched, but its priority 21 is lower than app-api@file's 43",
               "secure=TLS router: it serves https:// requests only",
               "wild=matched, but its priority 10 is lower than app-api@file's 43",
               "admin=PathPrefix(`/admin`) did not match path \"/api/x\"" });
    QTest::newRow("HostRegexp catches other names")
        << QByteArray("GET") << QStringLiteral("http://other.localhost:8080/")
        << QList<QByteArray>() << QStringLiteral("wild@file")
        << strings({ "app-api not-matched", "either not-matched", "broken disabled",
               "app not-matched", "secure other-scheme", "wild winner", "admin not-matched" })
        << strings({ "app=Host(`app.localhost`) did not match host \"other.localhost\"",
               "app-api=Host(`app.localhost`) did not match host \"other.localhost\"; "
               "PathPrefix(`/api`) did not match path \"/\"" });
    QTest::newRow("explicit low priority loses to a shorter rule")
        << QByteArray("GET") << QStringLiteral("http://app.localhost:8080/admin/users")
        << QList<QByteArray>() << QStringLiteral("app@file")
        << strings({ "app-api not-matched", "either not-matched", "broken disabled", "app winner",
               "secure other-scheme", "wild matched", "admin matched" })
        << strings({ "admin=matched, but its priority 1 is lower than app@file's 21" });
    QTest::newRow("a header alternative wins by priority")
        << QByteArray("GET") << QStringLiteral("http://app.localhost:8080/")
        << QList<QByteArray> { "X-Debug", "1" } << QStringLiteral("either@file")
        << strings({ "app-api not-matched", "either winner", "broken disabled", "app matched",
               "secure other-scheme", "wild matched", "admin not-matched" })
        << strings({ "app=matched, but its priority 21 is lower than either@file's 42" });
    QTest::newRow("Host header overrides the URL; nothing matches")
        << QByteArray("GET") << QStringLiteral("http://app.localhost:8080/")
        << QList<QByteArray> { "Host", "Nothing.Example:8080" } << QString()
        << strings({ "app-api not-matched", "either not-matched", "broken disabled",
               "app not-matched", "secure other-scheme", "wild not-matched", "admin not-matched" })
        << strings({ "wild=HostRegexp(`^[a-z]+\\.localhost$`) did not match host "
                     "\"nothing.example\"" });
    QTest::newRow("https: TLS routers only")
        << QByteArray("GET") << QStringLiteral("https://app.localhost:8080/api")
        << QList<QByteArray>() << QStringLiteral("secure@file")
        << strings({ "app-api other-scheme", "either other-scheme", "broken disabled",
               "app other-scheme", "secure winner", "wild other-scheme", "admin other-scheme" })
        << strings({ "app=plain router: it serves http:// requests only" });
}

void TestExplain::routers()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, url);
    QFETCH(QList<QByteArray>, headers);
    QFETCH(QString, winner);
    QFETCH(QStringList, order);
    QFETCH(QStringList, reasons);
    control::ExplainRequest request;
    request.method = method;
    request.url = QUrl(url);
    for (qsizetype i = 0; i + 1 < headers.size(); i += 2)
        request.headers.add(headers[i], headers[i + 1]);
    const auto result = control::explain(request, m_context);
    QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
    QCOMPARE(result->entryPoints.size(), size_t(1));
    const control::EntryPointExplanation &ep = result->entryPoints.front();
    QCOMPARE(ep.entryPoint, QStringLiteral("web"));
    QCOMPARE(verdicts(ep), order);
    QCOMPARE(ep.winner >= 0 ? ep.routers[size_t(ep.winner)].name : QString(), winner);
    for (const QString &expected : reasons)
        QCOMPARE(reasonOf(ep, expected.section(u'=', 0, 0)), expected.section(u'=', 1));
}

void TestExplain::pipeline()
{
    control::ExplainRequest request;
    request.url = QUrl(QStringLiteral("http://app.localhost:8080/api/x?b=2;c=3"));
    auto result = control::explain(request, m_context);
    QVERIFY(result);
    QCOMPARE(result->host, QByteArray("app.localhost"));
    QCOMPARE(result->path, QByteArray("/api/x"));
    QCOMPARE(result->query, QByteArray("b=2&c=3")); // the entry point turns `;` into `&`
    const auto &api = result->entryPoints.front();
    QCOMPARE(api.service, QStringLiteral("api@file"));
    QCOMPARE(api.servers.size(), size_t(2));
    QVERIFY(api.chosenServer.isEmpty()); // round robin: depends on earlier requests
    QVERIFY2(api.serverNote.contains(QLatin1String("round robin")), qPrintable(api.serverNote));

    request.url = QUrl(QStringLiteral("http://app.localhost:8080/admin"));
    result = control::explain(request, m_context);
    QVERIFY(result);
    QCOMPARE(result->entryPoints.front().chosenServer, QStringLiteral("http://127.0.0.1:1"));
    QCOMPARE(result->entryPoints.front().serverNote, QStringLiteral("the only healthy server"));
    // Explaining has no side effect on the balancer: the data plane's next pick is unchanged.
    request.url = QUrl(QStringLiteral("http://app.localhost:8080/api/x"));
    const auto *routes = m_context.table->forEntryPoint(QStringLiteral("web"));
    const auto route = std::find_if(routes->routes.begin(), routes->routes.end(),
        [](const proxy::Route &r) { return r.service == u"api@file"; });
    QVERIFY(route != routes->routes.end());
    const QString first = route->balancer->next()->url;
    for (int i = 0; i < 3; ++i)
        QVERIFY(control::explain(request, m_context));
    QVERIFY(route->balancer->next()->url != first); // two servers alternate: one step only
}

void TestExplain::entryPointChoice_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("given");
    QTest::addColumn<QStringList>("chosen"); // name=why
    QTest::newRow("by the URL's port") << QStringLiteral("http://app.localhost:9090/") << QString()
                                       << strings({ "admin=listens on port 9090" });
    QTest::newRow("given by name") << QStringLiteral("http://app.localhost:8080/")
                                   << QStringLiteral("admin") << strings({ "admin=given" });
    QTest::newRow("no port matches: default entry points")
        << QStringLiteral("http://app.localhost/") << QString()
        << strings({ "web=default entry point (none listens on port 80)" });
}

void TestExplain::entryPointChoice()
{
    QFETCH(QString, url);
    QFETCH(QString, given);
    QFETCH(QStringList, chosen);
    control::ExplainRequest request;
    request.url = QUrl(url);
    request.entryPoint = given;
    const auto result = control::explain(request, m_context);
    QVERIFY(result);
    QStringList got;
    for (const auto &ep : result->entryPoints)
        got << ep.entryPoint + u'=' + ep.why;
    QCOMPARE(got, chosen);
}

void TestExplain::errors_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("entryPoint");
    QTest::addColumn<QString>("error");
    QTest::newRow("not absolute") << QStringLiteral("app.localhost/x") << QString()
                                  << QStringLiteral("invalid URL \"app.localhost/x\" (give an "
                                                    "absolute http:// or https:// URL, e.g. "
                                                    "http://shop.localhost/cart)");
    QTest::newRow("other scheme") << QStringLiteral("ftp://app.localhost/") << QString()
                                  << QStringLiteral("invalid URL \"ftp://app.localhost/\" (give an "
                                                    "absolute http:// or https:// URL, e.g. "
                                                    "http://shop.localhost/cart)");
    QTest::newRow("unknown entry point")
        << QStringLiteral("http://app.localhost/") << QStringLiteral("webb")
        << QStringLiteral("unknown entry point \"webb\" (entry points: web, admin)");
}

void TestExplain::errors()
{
    QFETCH(QString, url);
    QFETCH(QString, entryPoint);
    QFETCH(QString, error);
    control::ExplainRequest request;
    request.url = QUrl(url);
    request.entryPoint = entryPoint;
    const auto result = control::explain(request, m_context);
    QVERIFY(!result);
    QCOMPARE(result.error().toString(), error);
}

void TestExplain::api()
{
    QTemporaryDir home;
    const QByteArray oldHome = qgetenv("PORTICO_HOME");
    qputenv("PORTICO_HOME", home.path().toUtf8());
    const QString routes = home.filePath(QStringLiteral("routes.yaml"));
    QFile file(routes);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kRoutes);
    file.close();
    auto loaded = config::parseStaticConfig(staticYaml(routes), QStringLiteral("static.yaml"));
    QVERIFY(loaded.ok());
    loaded.config.graceTimeout = std::chrono::milliseconds(100);
    {
        app::CoreRuntime core(loaded.config);
        QVERIFY(core.listen());
        core.startControl();
        const quint16 apiPort = quint16(core.apiUrl().port());
        const quint16 web = core.server().port(QStringLiteral("web"));
        const auto get = [&](const QByteArray &target) {
            testkit::RawClient client;
            client.connectTo(apiPort);
            client.send(
                "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            const auto &responses = client.waitForResponses(1);
            return responses.empty() ? testkit::RawResponse {} : responses.front();
        };
        const QByteArray target = "/api/portico/explain?url="
            + QUrl::toPercentEncoding(QStringLiteral("http://app.localhost:%1/api/x").arg(web))
            + "&header=" + QUrl::toPercentEncoding(QStringLiteral("X-Debug: 1"));
        QJsonObject ep;
        QVERIFY(pollUntil(
            [&] {
                const auto response = get(target);
                const auto eps
                    = QJsonDocument::fromJson(response.body)[QLatin1String("entryPoints")]
                          .toArray();
                ep = eps.isEmpty() ? QJsonObject() : eps.first().toObject();
                return response.status == 200 && !ep.value(QLatin1String("winner")).isNull();
            },
            10000));
        QCOMPARE(ep.value(QLatin1String("entryPoint")).toString(), QStringLiteral("web"));
        QCOMPARE(ep.value(QLatin1String("why")).toString(),
            QStringLiteral("listens on port %1").arg(web));
        QCOMPARE(ep.value(QLatin1String("winner")).toString(), QStringLiteral("app-api@file"));
        QCOMPARE(ep.value(QLatin1String("service")).toString(), QStringLiteral("api@file"));
        const QJsonArray routers = ep.value(QLatin1String("routers")).toArray();
        QVERIFY(routers.size() >= 7); // plus Portico's own portico@internal
        const QJsonObject second = routers.at(1).toObject();
        QCOMPARE(second.value(QLatin1String("name")).toString(), QStringLiteral("either@file"));
        QCOMPARE(second.value(QLatin1String("verdict")).toString(), QStringLiteral("matched"));
        QCOMPARE(second.value(QLatin1String("priority")).toString(), QStringLiteral("42"));

        const auto bad = get("/api/portico/explain?url=nope");
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.body.contains("invalid URL \\\"nope\\\""), bad.body.constData());
        QCOMPARE(get("/api/portico/explain").status, 400);
    }
    qputenv("PORTICO_HOME", oldHome);
}

void TestExplain::cli()
{
    QTemporaryDir home;
    const QByteArray oldHome = qgetenv("PORTICO_HOME");
    qputenv("PORTICO_HOME", home.path().toUtf8());
    const QString routes = home.filePath(QStringLiteral("routes.yaml"));
    const QString staticFile = home.filePath(QStringLiteral("static.yaml"));
    QFile file(routes);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(kRoutes);
    file.close();
    QFile staticConfig(staticFile);
    QVERIFY(staticConfig.open(QIODevice::WriteOnly));
    staticConfig.write(staticYaml(routes));
    staticConfig.close();

    // Not running yet: the usual message, exit code 1.
    auto [notRunning, notRunningOutput] = testkit::PorticoProcess::run(
        { QStringLiteral("explain"), QStringLiteral("http://app.localhost/") });
    QCOMPARE(notRunning, 1);
    QVERIFY2(notRunningOutput.contains(QLatin1String("not running")), qPrintable(notRunningOutput));

    testkit::PorticoProcess serve;
    serve.start({ QStringLiteral("serve"), QStringLiteral("--config"), staticFile });
    const quint16 web = serve.waitListening(QStringLiteral("web"));
    QVERIFY2(web != 0, qPrintable(serve.output()));
    const QString url = QStringLiteral("http://app.localhost:%1/api/x").arg(web);
    QString text;
    QVERIFY(pollUntil(
        [&] {
            const auto [code, output] = testkit::PorticoProcess::run(
                { QStringLiteral("explain"), url, QStringLiteral("-H"),
                    QStringLiteral("X-Debug: 1"), QStringLiteral("-X"), QStringLiteral("get") });
            text = output;
            return code == 0 && output.contains(QLatin1String("app-api@file serves it"));
        },
        15000));
    QVERIFY2(text.contains(QLatin1String("entry point web (listens on port")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("service:     api@file")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("Method(`DELETE`) || Header(`X-Debug`, `1`)")),
        qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("matched, but its priority 42 is lower than "
                                         "app-api@file's 43")),
        qPrintable(text));

    const auto [jsonCode, json] = testkit::PorticoProcess::run(
        { QStringLiteral("explain"), QStringLiteral("other.localhost/"), QStringLiteral("--json"),
            QStringLiteral("--entrypoint"), QStringLiteral("web") });
    QCOMPARE(jsonCode, 0);
    const QJsonObject root = QJsonDocument::fromJson(json.toUtf8()).object();
    QCOMPARE(root[QLatin1String("entryPoints")][0][QLatin1String("winner")].toString(),
        QStringLiteral("wild@file"));

    const auto [badCode, badOutput] = testkit::PorticoProcess::run(
        { QStringLiteral("explain"), url, QStringLiteral("--entrypoint"), QStringLiteral("nope") });
    QCOMPARE(badCode, 1);
    QVERIFY2(badOutput.contains(QLatin1String("unknown entry point \\\"nope\\\""))
            || badOutput.contains(QLatin1String("unknown entry point \"nope\"")),
        qPrintable(badOutput));
    const auto [usageCode, usage] = testkit::PorticoProcess::run({ QStringLiteral("explain") });
    QCOMPARE(usageCode, 2);
    QVERIFY2(usage.contains(QLatin1String("missing URL")), qPrintable(usage));
    serve.terminate();
    QCOMPARE(serve.waitExit(), 0);
    qputenv("PORTICO_HOME", oldHome);
}

QTEST_GUILESS_MAIN(TestExplain)
#include "tst_explain.moc"
