// Traefik's read-only API served by a real core: shapes, values, filters, paging, api@internal.
#include "tests/control_api/api_fixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

using namespace portico;
using portico::testkit::ApiFixture;

namespace {

QStringList names(const QJsonDocument &list)
{
    QStringList out;
    for (const QJsonValue &item : list.array())
        out << item[QStringLiteral("name")].toString();
    return out;
}

QStringList list(std::initializer_list<const char *> values)
{
    QStringList out;
    for (const char *value : values)
        out << QString::fromUtf8(value);
    return out;
}

QStringList strings(const QJsonValue &array)
{
    QStringList out;
    for (const QJsonValue &value : array.toArray())
        out << value.toString();
    return out;
}

} // namespace

class TestControlApi : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_api = std::make_unique<ApiFixture>();
        QVERIFY(m_api->start());
    }
    void cleanupTestCase() { m_api.reset(); }

    void routerPatterns_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("route"); // index of the matching route, -1 none
        QTest::addColumn<QStringList>("captures");
        QTest::addColumn<bool>("methodNotAllowed");
        QTest::newRow("literal") << QByteArray("GET") << QStringLiteral("/api/things") << 0
                                 << QStringList() << false;
        QTest::newRow("literal beats an earlier placeholder")
            << QByteArray("GET") << QStringLiteral("/api/things/special") << 2 << QStringList()
            << false;
        QTest::newRow("one placeholder") << QByteArray("GET") << QStringLiteral("/api/things/a@b")
                                         << 1 << list({ "a@b" }) << false;
        QTest::newRow("placeholder needs a segment")
            << QByteArray("GET") << QStringLiteral("/api/things/") << -1 << QStringList() << false;
        QTest::newRow("rest placeholder")
            << QByteArray("DELETE") << QStringLiteral("/api/files/a/b/c") << 3 << list({ "a/b/c" })
            << false;
        QTest::newRow("other method")
            << QByteArray("PUT") << QStringLiteral("/api/things") << -1 << QStringList() << true;
        QTest::newRow("longer path") << QByteArray("GET") << QStringLiteral("/api/things/a/b") << -1
                                     << QStringList() << false;
    }
    void routerPatterns()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(int, route);
        QFETCH(QStringList, captures);
        QFETCH(bool, methodNotAllowed);
        control::api::ApiRouter router;
        const auto answer = [](int index) {
            return [index](const control::api::ApiRequest &) {
                return control::api::ApiResponse { index, {}, {} };
            };
        };
        const auto ro = control::api::Access::ReadOnly;
        router.add("GET", QStringLiteral("/api/things"), ro, answer(0));
        router.add("GET", QStringLiteral("/api/things/{name}"), ro, answer(1));
        router.add("GET", QStringLiteral("/api/things/special"), ro, answer(2));
        router.add("DELETE", QStringLiteral("/api/files/{path...}"), control::api::Access::Mutating,
            answer(3));
        const auto match = router.match(method, path);
        QCOMPARE(match.handler ? (*match.handler)({}).status : -1, route);
        QCOMPARE(match.captures, captures);
        QCOMPARE(match.methodNotAllowed, methodNotAllowed);
        if (route == 3)
            QVERIFY(match.access == control::api::Access::Mutating);
    }

    void overviewCountsEveryStatus()
    {
        const QJsonObject overview = m_api->json("/api/overview").object();
        const QJsonObject routers
            = overview[QStringLiteral("http")][QStringLiteral("routers")].toObject();
        // app, broken, warn, api@file, Traefik's api@internal (api.insecure), portico@internal.
        QCOMPARE(routers[QStringLiteral("total")].toInt(), 6);
        QCOMPARE(routers[QStringLiteral("errors")].toInt(), 1);
        QCOMPARE(routers[QStringLiteral("warnings")].toInt(), 1);
        const QJsonObject services
            = overview[QStringLiteral("http")][QStringLiteral("services")].toObject();
        QCOMPARE(services[QStringLiteral("total")].toInt(), 2); // app@file, api@internal
        QCOMPARE(
            overview[QStringLiteral("http")][QStringLiteral("middlewares")][QStringLiteral("total")]
                .toInt(),
            1);
        QCOMPARE(overview[QStringLiteral("tcp")][QStringLiteral("routers")][QStringLiteral("total")]
                     .toInt(),
            0);
        QVERIFY(overview[QStringLiteral("udp")][QStringLiteral("services")].isObject());
        QCOMPARE(overview[QStringLiteral("features")][QStringLiteral("accessLog")].toBool(), false);
        QCOMPARE(strings(overview[QStringLiteral("providers")]), list({ "File" }));
    }

    void routerListFilters_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("everything, by name")
            << QByteArray()
            << list({ "api@file", "api@internal", "app@file", "broken@file", "portico@internal",
                   "warn@file" });
        QTest::newRow("search matches a name")
            << QByteArray("?search=BROK") << list({ "broken@file" });
        QTest::newRow("search matches a rule")
            << QByteArray("?search=warn.localhost") << list({ "warn@file" });
        QTest::newRow("status disabled")
            << QByteArray("?status=disabled") << list({ "broken@file" });
        QTest::newRow("status warning, any case")
            << QByteArray("?status=Warning") << list({ "warn@file" });
        QTest::newRow("provider (Portico's filter)")
            << QByteArray("?provider=internal") << list({ "api@internal", "portico@internal" });
        QTest::newRow("serviceName qualified like Traefik")
            << QByteArray("?serviceName=app@file") << list({ "app@file", "warn@file" });
        QTest::newRow("middlewareName")
            << QByteArray("?middlewareName=strip@file") << list({ "app@file" });
        QTest::newRow("sorted by priority, descending")
            << QByteArray("?sortBy=priority&direction=desc&provider=file")
            << list({ "api@file", "broken@file", "warn@file", "app@file" });
    }
    void routerListFilters()
    {
        QFETCH(QByteArray, query);
        QFETCH(QStringList, expected);
        const auto response = m_api->get("/api/http/routers" + query);
        QCOMPARE(response.status, 200);
        QCOMPARE(response.headers.value("content-type"), QByteArray("application/json"));
        QCOMPARE(response.headers.value("x-next-page"), QByteArray("1"));
        QCOMPARE(names(QJsonDocument::fromJson(response.body)), expected);
    }

    void routerShowsTraefikFields()
    {
        const QJsonObject app = m_api->json("/api/http/routers/app@file").object();
        QCOMPARE(app[QStringLiteral("rule")].toString(), QStringLiteral("Host(`app.localhost`)"));
        QCOMPARE(app[QStringLiteral("service")].toString(), QStringLiteral("app"));
        QCOMPARE(strings(app[QStringLiteral("middlewares")]), list({ "strip@file" }));
        QCOMPARE(strings(app[QStringLiteral("entryPoints")]), list({ "web" }));
        QCOMPARE(strings(app[QStringLiteral("using")]), list({ "web" }));
        QCOMPARE(app[QStringLiteral("status")].toString(), QStringLiteral("enabled"));
        QCOMPARE(app[QStringLiteral("provider")].toString(), QStringLiteral("file"));
        // Priority 0 means the rule's length, as in Traefik.
        QCOMPARE(app[QStringLiteral("priority")].toInteger(), qint64(21));
        QCOMPARE(app[QStringLiteral("priorityStr")].toString(), QStringLiteral("21"));
        QVERIFY(!app.contains(QStringLiteral("error")));
    }

    void routersInErrorShowStatusAndErrors_data()
    {
        QTest::addColumn<QByteArray>("name");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("error");
        QTest::newRow("missing service disables")
            << QByteArray("broken@file") << QStringLiteral("disabled")
            << QStringLiteral("the service \"missing@file\" does not exist");
        QTest::newRow("unknown entry point warns")
            << QByteArray("warn@file") << QStringLiteral("warning")
            << QStringLiteral("entryPoint \"nope\" doesn't exist");
    }
    void routersInErrorShowStatusAndErrors()
    {
        QFETCH(QByteArray, name);
        QFETCH(QString, status);
        QFETCH(QString, error);
        const QJsonObject router = m_api->json("/api/http/routers/" + name).object();
        QCOMPARE(router[QStringLiteral("status")].toString(), status);
        const QStringList errors = strings(router[QStringLiteral("error")]);
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().startsWith(error), qPrintable(errors.first()));
    }

    void unknownObjectsAre404_data()
    {
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QString>("message");
        QTest::newRow("router") << QByteArray("/api/http/routers/nope@file")
                                << QStringLiteral("router not found: nope@file");
        QTest::newRow("service") << QByteArray("/api/http/services/nope@file")
                                 << QStringLiteral("service not found: nope@file");
        QTest::newRow("middleware") << QByteArray("/api/http/middlewares/nope@file")
                                    << QStringLiteral("middleware not found: nope@file");
        QTest::newRow("entry point")
            << QByteArray("/api/entrypoints/nope") << QStringLiteral("entry point not found: nope");
    }
    void unknownObjectsAre404()
    {
        QFETCH(QByteArray, target);
        QFETCH(QString, message);
        const auto response = m_api->get(target);
        QCOMPARE(response.status, 404);
        QCOMPARE(
            QJsonDocument::fromJson(response.body)[QStringLiteral("message")].toString(), message);
    }

    void serviceShowsLoadBalancerAndServerStatus()
    {
        const QJsonObject app = m_api->json("/api/http/services/app@file").object();
        QCOMPARE(app[QStringLiteral("type")].toString(), QStringLiteral("loadbalancer"));
        QCOMPARE(app[QStringLiteral("status")].toString(), QStringLiteral("enabled"));
        QCOMPARE(strings(app[QStringLiteral("usedBy")]), list({ "app@file", "warn@file" }));
        const QJsonObject lb = app[QStringLiteral("loadBalancer")].toObject();
        QCOMPARE(lb[QStringLiteral("passHostHeader")].toBool(), true);
        QCOMPARE(lb[QStringLiteral("strategy")].toString(), QStringLiteral("wrr"));
        QCOMPARE(
            lb[QStringLiteral("responseForwarding")][QStringLiteral("flushInterval")].toString(),
            QStringLiteral("100ms"));
        QCOMPARE(lb[QStringLiteral("healthCheck")][QStringLiteral("interval")].toString(),
            QStringLiteral("5s"));
        QCOMPARE(
            lb[QStringLiteral("servers")][1][QStringLiteral("url")].toString(), m_api->downUrl());
        const QJsonObject serverStatus = app[QStringLiteral("serverStatus")].toObject();
        QCOMPARE(serverStatus[m_api->upUrl()].toString(), QStringLiteral("UP"));
        QCOMPARE(serverStatus[m_api->downUrl()].toString(), QStringLiteral("DOWN"));
    }

    void internalServiceHasNoType()
    {
        const QJsonObject api = m_api->json("/api/http/services/api@internal").object();
        QCOMPARE(api[QStringLiteral("provider")].toString(), QStringLiteral("internal"));
        QVERIFY(!api.contains(QStringLiteral("type")));
        QVERIFY(!api.contains(QStringLiteral("loadBalancer")));
        QCOMPARE(strings(api[QStringLiteral("usedBy")]),
            list({ "api@file", "api@internal", "portico@internal" }));
    }

    void middlewareShowsItsOptions()
    {
        const QJsonObject strip = m_api->json("/api/http/middlewares/strip@file").object();
        QCOMPARE(strip[QStringLiteral("type")].toString(), QStringLiteral("stripprefix"));
        QCOMPARE(strings(strip[QStringLiteral("stripPrefix")][QStringLiteral("prefixes")]),
            list({ "/x" }));
        QCOMPARE(strings(strip[QStringLiteral("usedBy")]), list({ "app@file" }));
        QCOMPARE(names(m_api->json("/api/http/middlewares")), list({ "strip@file" }));
    }

    void entryPointsListAndItem()
    {
        QCOMPARE(names(m_api->json("/api/entrypoints")), list({ "traefik", "web" }));
        const QJsonObject web = m_api->json("/api/entrypoints/web").object();
        QCOMPARE(web[QStringLiteral("address")].toString(), QStringLiteral("127.0.0.1:0"));
        QCOMPARE(web[QStringLiteral("asDefault")].toBool(), true);
        QCOMPARE(web[QStringLiteral("transport")][QStringLiteral("respondingTimeouts")]
                    [QStringLiteral("idleTimeout")]
                        .toString(),
            QStringLiteral("3m0s"));
        QCOMPARE(web[QStringLiteral("http")][QStringLiteral("maxHeaderBytes")].toInt(), 1 << 20);
    }

    void rawDataIsKeyedByName()
    {
        const QJsonObject raw = m_api->json("/api/rawdata").object();
        const QJsonObject routers = raw[QStringLiteral("routers")].toObject();
        QCOMPARE(routers.keys().size(), 6);
        QCOMPARE(routers[QStringLiteral("app@file")][QStringLiteral("status")].toString(),
            QStringLiteral("enabled"));
        QVERIFY(!routers[QStringLiteral("app@file")].toObject().contains(QStringLiteral("name")));
        QCOMPARE(raw[QStringLiteral("services")][QStringLiteral("app@file")]
                    [QStringLiteral("serverStatus")][m_api->downUrl()]
                        .toString(),
            QStringLiteral("DOWN"));
        QVERIFY(
            raw[QStringLiteral("middlewares")].toObject().contains(QStringLiteral("strip@file")));
    }

    void versionNamesPortico()
    {
        const QJsonObject version = m_api->json("/api/version").object();
        QCOMPARE(version[QStringLiteral("Version")].toString(), QStringLiteral(PORTICO_VERSION));
        const QString started = version[QStringLiteral("startDate")].toString();
        QVERIFY2(QDateTime::fromString(started, Qt::ISODateWithMs).isValid(), qPrintable(started));
    }

    void paging_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<int>("status");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<QByteArray>("nextPage");
        QTest::newRow("first page of two")
            << QByteArray("?per_page=2") << 200 << list({ "api@file", "api@internal" })
            << QByteArray("2");
        QTest::newRow("middle page") << QByteArray("?per_page=2&page=2") << 200
                                     << list({ "app@file", "broken@file" }) << QByteArray("3");
        QTest::newRow("last page points back to 1")
            << QByteArray("?per_page=2&page=3") << 200 << list({ "portico@internal", "warn@file" })
            << QByteArray("1");
        QTest::newRow("page past the end")
            << QByteArray("?per_page=2&page=4") << 400 << QStringList() << QByteArray();
        QTest::newRow("per_page zero")
            << QByteArray("?per_page=0") << 400 << QStringList() << QByteArray();
        QTest::newRow("page not a number")
            << QByteArray("?page=abc") << 400 << QStringList() << QByteArray();
        QTest::newRow("page 1 of an empty list")
            << QByteArray("?search=nothing-matches") << 200 << QStringList() << QByteArray("1");
    }
    void paging()
    {
        QFETCH(QByteArray, query);
        QFETCH(int, status);
        QFETCH(QStringList, expected);
        QFETCH(QByteArray, nextPage);
        const auto response = m_api->get("/api/http/routers" + query);
        QCOMPARE(response.status, status);
        QCOMPARE(response.headers.value("x-next-page"), nextPage);
        if (status == 200)
            QCOMPARE(names(QJsonDocument::fromJson(response.body)), expected);
        else
            QVERIFY(QJsonDocument::fromJson(response.body)[QStringLiteral("message")]
                        .toString()
                        .startsWith(QStringLiteral("invalid request: ")));
    }

    void apiInternalThroughTheProxy_data()
    {
        QTest::addColumn<QString>("entryPoint");
        QTest::addColumn<QByteArray>("host");
        QTest::newRow("router to api@internal on web")
            << QStringLiteral("web") << QByteArray("portico.localhost");
        QTest::newRow("api.insecure on entry point traefik")
            << QStringLiteral("traefik") << QByteArray("localhost");
    }
    void apiInternalThroughTheProxy()
    {
        QFETCH(QString, entryPoint);
        QFETCH(QByteArray, host);
        const auto response = ApiFixture::request(
            m_api->port(entryPoint), "GET", "/api/http/routers/app@file", { "Host: " + host });
        QCOMPARE(response.status, 200);
        QCOMPARE(QJsonDocument::fromJson(response.body)[QStringLiteral("name")].toString(),
            QStringLiteral("app@file"));
    }

    void apiInternalWithCurl()
    {
        const QString port = QString::number(m_api->port(QStringLiteral("web")));
        QProcess curl;
        curl.start(QStringLiteral("curl"),
            { QStringLiteral("-s"), QStringLiteral("--resolve"),
                QStringLiteral("portico.localhost:%1:127.0.0.1").arg(port),
                QStringLiteral("http://portico.localhost:%1/api/version").arg(port) });
        QVERIFY(curl.waitForFinished(10000));
        QCOMPARE(QJsonDocument::fromJson(curl.readAllStandardOutput())[QStringLiteral("Version")]
                     .toString(),
            QStringLiteral(PORTICO_VERSION));
    }

private:
    std::unique_ptr<ApiFixture> m_api;
};

QTEST_GUILESS_MAIN(TestControlApi)
#include "tst_control_api.moc"
