// The control API's gates (loopback Host, no CORS, token on mutating routes, limits), its
// instance file and token, ApiClient, and the `portico serve` binary's API start-up.
#include "app/api_client.h"
#include "core/common/paths.h"
#include "tests/app/portico_process.h"
#include "tests/control_api/api_fixture.h"
#include "tests/testkit/wait.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonObject>
#include <QTest>

using namespace portico;
using portico::testkit::ApiFixture;
using portico::testkit::PorticoProcess;

namespace {

bool hasCorsHeader(const testkit::RawResponse &response)
{
    return std::any_of(response.headers.begin(), response.headers.end(),
        [](const HeaderField &f) { return f.name.toLower().startsWith("access-control-"); });
}

QJsonObject readInstance()
{
    QFile file(paths::instancePath());
    return file.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(file.readAll()).object()
                                          : QJsonObject();
}

QString writeStaticConfig(const QString &dir, const QByteArray &controlAddress)
{
    const QString path = dir + QStringLiteral("/portico.yaml");
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write("entryPoints:\n  web: {address: \"127.0.0.1:0\"}\nportico:\n  controlAddress: \""
            + controlAddress + "\"\n");
    return path;
}

} // namespace

class TestControlApiSecurity : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_api = std::make_unique<ApiFixture>();
        QVERIFY(m_api->start());
    }
    void cleanupTestCase() { m_api.reset(); }

    void hostMustBeLoopback_data()
    {
        QTest::addColumn<QList<QByteArray>>("headers");
        QTest::addColumn<bool>("http10");
        QTest::addColumn<int>("status");
        QTest::newRow("foreign name (DNS rebinding)")
            << QList<QByteArray> { "Host: evil.example" } << false << 403;
        QTest::newRow("foreign name with port")
            << QList<QByteArray> { "Host: evil.example:8080" } << false << 403;
        QTest::newRow("loopback address as a subdomain")
            << QList<QByteArray> { "Host: 127.0.0.1.evil.example" } << false << 403;
        QTest::newRow("localhost as a subdomain")
            << QList<QByteArray> { "Host: localhost.evil.example" } << false << 403;
        QTest::newRow("LAN address") << QList<QByteArray> { "Host: 192.168.1.2" } << false << 403;
        QTest::newRow("no Host at all (HTTP/1.0)") << QList<QByteArray> {} << true << 403;
        QTest::newRow("localhost") << QList<QByteArray> { "Host: localhost" } << false << 200;
        QTest::newRow("a .localhost name with port")
            << QList<QByteArray> { "Host: portico.localhost:443" } << false << 200;
        QTest::newRow("127.0.0.0/8") << QList<QByteArray> { "Host: 127.0.0.5:80" } << false << 200;
        QTest::newRow("[::1]") << QList<QByteArray> { "Host: [::1]:9000" } << false << 200;
        QTest::newRow("foreign Origin")
            << QList<QByteArray> { "Origin: https://evil.example" } << false << 403;
        QTest::newRow("null Origin") << QList<QByteArray> { "Origin: null" } << false << 403;
        QTest::newRow("loopback Origin")
            << QList<QByteArray> { "Origin: http://localhost:3000" } << false << 200;
    }
    void hostMustBeLoopback()
    {
        QFETCH(QList<QByteArray>, headers);
        QFETCH(bool, http10);
        QFETCH(int, status);
        const auto response
            = ApiFixture::request(m_api->apiPort(), "GET", "/api/overview", headers, {}, http10);
        QCOMPARE(response.status, status);
        QVERIFY(!hasCorsHeader(response));
    }

    void preflightIsRefused()
    {
        const auto response = ApiFixture::request(m_api->apiPort(), "OPTIONS", "/api/test/echo/x",
            { "Origin: http://localhost:3000", "Access-Control-Request-Method: PUT" });
        QCOMPARE(response.status, 403);
        QVERIFY(!hasCorsHeader(response));
    }

    void mutatingRoutesNeedTheToken_data()
    {
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<int>("status");
        QTest::newRow("no Authorization") << QByteArray() << 401;
        QTest::newRow("wrong token") << QByteArray("Bearer 0123456789abcdef") << 401;
        QTest::newRow("token with a suffix") << QByteArray("Bearer TOKENx") << 401;
        QTest::newRow("token truncated") << QByteArray("Bearer TOKEN-1") << 401;
        QTest::newRow("Basic scheme") << QByteArray("Basic TOKEN") << 401;
        QTest::newRow("right token") << QByteArray("Bearer TOKEN") << 200;
        QTest::newRow("scheme is case-insensitive") << QByteArray("bearer TOKEN") << 200;
    }
    void mutatingRoutesNeedTheToken()
    {
        QFETCH(QByteArray, authorization);
        QFETCH(int, status);
        QByteArray token = m_api->token();
        QCOMPARE(token.size(), 64);
        if (authorization.endsWith("TOKEN-1"))
            authorization = "Bearer " + token.chopped(1);
        authorization.replace("TOKEN", token);
        QList<QByteArray> headers { "Content-Type: application/json" };
        if (!authorization.isEmpty())
            headers << "Authorization: " + authorization;
        const auto response = ApiFixture::request(
            m_api->apiPort(), "PUT", "/api/test/echo/shop", headers, "{\"port\": 3000}");
        QCOMPARE(response.status, status);
        if (status == 401) {
            QVERIFY(response.headers.value("www-authenticate").startsWith("Bearer"));
            return;
        }
        const QJsonObject echo = QJsonDocument::fromJson(response.body).object();
        QCOMPARE(echo[QStringLiteral("name")].toString(), QStringLiteral("shop"));
        QCOMPARE(echo[QStringLiteral("body")][QStringLiteral("port")].toInt(), 3000);
    }

    void readOnlyRoutesNeedNoToken() { QCOMPARE(m_api->get("/api/http/routers").status, 200); }

    void wrongPathsAndMethods_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<int>("status");
        QTest::newRow("unknown path") << QByteArray("GET") << QByteArray("/api/nope") << 404;
        QTest::newRow("trailing slash") << QByteArray("GET") << QByteArray("/api/overview/") << 404;
        QTest::newRow("POST on a read-only route")
            << QByteArray("POST") << QByteArray("/api/overview") << 405;
        QTest::newRow("GET on a PUT route")
            << QByteArray("GET") << QByteArray("/api/test/echo/x") << 405;
    }
    void wrongPathsAndMethods()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(int, status);
        QCOMPARE(ApiFixture::request(m_api->apiPort(), method, target).status, status);
    }

    void limitsAreEnforced_data()
    {
        QTest::addColumn<QList<QByteArray>>("headers");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::newRow("20 KiB header")
            << QList<QByteArray> { "X-Big: " + QByteArray(20000, 'a') } << QByteArray() << 431;
        // Announced only: the server answers before the body, so no unread bytes reset the socket.
        QTest::newRow("body over 1 MiB")
            << QList<QByteArray> { "Content-Length: 1048577" } << QByteArray() << 413;
    }
    void limitsAreEnforced()
    {
        QFETCH(QList<QByteArray>, headers);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        headers << "Authorization: Bearer " + m_api->token();
        QCOMPARE(
            ApiFixture::request(m_api->apiPort(), "PUT", "/api/test/echo/x", headers, body).status,
            status);
    }

    void keepAliveAnswersInOrder()
    {
        testkit::RawClient client;
        QVERIFY(client.connectTo(m_api->apiPort()));
        const QByteArray host = "Host: localhost\r\n\r\n";
        client.send("GET /api/version HTTP/1.1\r\n" + host + "GET /api/nope HTTP/1.1\r\n" + host
            + "GET /api/overview HTTP/1.1\r\n" + host);
        client.expectMethods({ "GET", "GET", "GET" });
        const auto &responses = client.waitForResponses(3);
        QCOMPARE(responses.size(), size_t(3));
        QCOMPARE(responses[0].status, 200);
        QCOMPARE(responses[1].status, 404);
        QCOMPARE(responses[2].status, 200);
        QVERIFY(!client.closed());
    }

    void tokenAndInstanceFiles()
    {
        const QFile::Permissions owner = QFile::ReadOwner | QFile::WriteOwner;
        QCOMPARE(QFile::permissions(paths::apiTokenPath())
                & ~(owner | QFile::ReadUser | QFile::WriteUser),
            QFile::Permissions());
        const QJsonObject instance = readInstance();
        QCOMPARE(instance[QStringLiteral("api")].toString(), m_api->core().apiUrl().toString());
        QCOMPARE(instance[QStringLiteral("pid")].toInteger(), QCoreApplication::applicationPid());
        QCOMPARE(instance[QStringLiteral("version")].toString(), QStringLiteral(PORTICO_VERSION));
    }

    void clientRoundTrip()
    {
        auto client = app::ApiClient::connectToInstance();
        QVERIFY2(client, qPrintable(client ? QString() : client.error().toString()));
        auto router = client->get(QStringLiteral("/api/http/routers/app@file"));
        QVERIFY(router);
        QCOMPARE(router->object()[QStringLiteral("status")].toString(), QStringLiteral("enabled"));
        auto echo = client->put(QStringLiteral("/api/test/echo/shop"),
            QJsonDocument(QJsonObject { { QStringLiteral("port"), 3000 } }));
        QVERIFY2(echo, qPrintable(echo ? QString() : echo.error().toString()));
        QCOMPARE(echo->object()[QStringLiteral("body")][QStringLiteral("port")].toInt(), 3000);
    }

    void clientReportsServerMessages()
    {
        const app::ApiClient client(m_api->core().apiUrl(), "wrong");
        auto missing = client.get(QStringLiteral("/api/http/routers/nope@file"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().message, QStringLiteral("router not found: nope@file"));
        auto denied = client.put(QStringLiteral("/api/test/echo/x"), QJsonDocument(QJsonObject {}));
        QVERIFY(!denied);
        QVERIFY2(denied.error().hint.contains(QStringLiteral("api-token")),
            qPrintable(denied.error().toString()));
    }

    void instanceFileGoesWithTheCore()
    {
        auto second = std::make_unique<ApiFixture>(); // its own PORTICO_HOME while it lives
        QVERIFY(second->start());
        const QString path = paths::instancePath();
        QCOMPARE(
            readInstance()[QStringLiteral("api")].toString(), second->core().apiUrl().toString());
        second.reset();
        QVERIFY(!QFile::exists(path));
    }

    void clientSaysNotRunning_data()
    {
        QTest::addColumn<QByteArray>("instance");
        QTest::newRow("no instance file") << QByteArray();
        QTest::newRow("dead pid") << QByteArray(
            "{\"api\":\"http://127.0.0.1:1\",\"pid\":2147483000}");
        QTest::newRow("live pid, nothing listening")
            << QByteArray("{\"api\":\"http://127.0.0.1:PORT\",\"pid\":PID}");
        QTest::newRow("garbage") << QByteArray("{not json");
    }
    void clientSaysNotRunning()
    {
        QFETCH(QByteArray, instance);
        QTemporaryDir home;
        const QByteArray old = qgetenv("PORTICO_HOME");
        qputenv("PORTICO_HOME", home.path().toUtf8());
        QTcpServer probe; // a port that was free a moment ago
        probe.listen(QHostAddress::LocalHost, 0);
        const quint16 closed = probe.serverPort();
        probe.close();
        instance.replace("PORT", QByteArray::number(closed));
        instance.replace("PID", QByteArray::number(QCoreApplication::applicationPid()));
        if (!instance.isEmpty()) {
            QFile file(paths::instancePath());
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(instance);
        }
        const auto client = app::ApiClient::connectToInstance();
        qputenv("PORTICO_HOME", old);
        QVERIFY(!client);
        QCOMPARE(client.error().message, app::notRunningMessage());
        QVERIFY(client.error().message.contains(QStringLiteral("portico serve")));
    }

    void serveRefusesNonLoopbackControlAddress_data()
    {
        QTest::addColumn<QByteArray>("address");
        QTest::newRow("every interface") << QByteArray("0.0.0.0:0");
        QTest::newRow("every IPv6 interface") << QByteArray("[::]:0");
        QTest::newRow("port only") << QByteArray(":9000");
        QTest::newRow("documentation address") << QByteArray("192.0.2.1:0");
    }
    void serveRefusesNonLoopbackControlAddress()
    {
        QFETCH(QByteArray, address);
        QTemporaryDir home;
        const QByteArray old = qgetenv("PORTICO_HOME");
        qputenv("PORTICO_HOME", home.path().toUtf8());
        const auto [code, output] = PorticoProcess::run({ QStringLiteral("serve"),
            QStringLiteral("--config"), writeStaticConfig(home.path(), address) });
        qputenv("PORTICO_HOME", old);
        QCOMPARE(code, 1);
        QVERIFY2(output.contains(QStringLiteral("is not a loopback address")), qPrintable(output));
        QVERIFY(!QFile::exists(home.filePath(QStringLiteral("instance.json"))));
    }

    void serveBinaryPublishesAndRemovesItsInstance()
    {
        QTemporaryDir home;
        const QByteArray old = qgetenv("PORTICO_HOME");
        qputenv("PORTICO_HOME", home.path().toUtf8());
        PorticoProcess portico;
        portico.start({ QStringLiteral("serve"), QStringLiteral("--config"),
            writeStaticConfig(home.path(), "127.0.0.1:0") });
        QVERIFY(portico.waitListening(QStringLiteral("web")) != 0);
        QVERIFY(testkit::waitUntil([&] { return QFile::exists(paths::instancePath()); }, 10000));
        const QString api = readInstance()[QStringLiteral("api")].toString();
        QVERIFY2(portico.output().contains(QStringLiteral("control API listening on ") + api),
            qPrintable(portico.output()));
        auto client = app::ApiClient::connectToInstance();
        QVERIFY2(client, qPrintable(client ? QString() : client.error().toString()));
        QVERIFY(client->get(QStringLiteral("/api/overview")));
        portico.terminate();
        QCOMPARE(portico.waitExit(), 0);
        QVERIFY(!QFile::exists(paths::instancePath()));
        const auto after = app::ApiClient::connectToInstance();
        qputenv("PORTICO_HOME", old);
        QVERIFY(!after);
        QCOMPARE(after.error().message, app::notRunningMessage());
    }

private:
    std::unique_ptr<ApiFixture> m_api;
};

QTEST_GUILESS_MAIN(TestControlApiSecurity)
#include "tst_control_api_security.moc"
