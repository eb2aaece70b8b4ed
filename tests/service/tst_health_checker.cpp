#include "core/service/health_checker.h"
#include "tst_service.h"

#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace portico;
using namespace portico::service;
using namespace portico::testing;
using namespace std::chrono_literals;

// --- active health checks against real sockets (TinyHttpServer on port 0) ------------------------

void tst_Service::healthyServerStaysUp()
{
    TinyHttpServer origin;
    QVERIFY(origin.start(QHostAddress::LocalHost));
    const auto balancer = checked(local(origin), fastCheck());
    HealthChecker checker(balancer);
    QSignalSpy changes(&checker, &HealthChecker::serverStatusChanged);
    checker.start();
    QTRY_VERIFY_WITH_TIMEOUT(origin.requests >= 3, 5000);
    QCOMPARE(changes.count(), 0);
    QVERIFY(balancer->servers()[0]->healthy);
    QVERIFY(origin.lastRequest.startsWith("GET /health HTTP/1.1\r\n"));
}

void tst_Service::errorStatusGoesDown()
{
    TinyHttpServer origin;
    QVERIFY(origin.start(QHostAddress::LocalHost));
    origin.reply.status = 500;
    const auto balancer = checked(local(origin), fastCheck());
    HealthChecker checker(balancer);
    QSignalSpy changes(&checker, &HealthChecker::serverStatusChanged);
    QTest::ignoreMessage(QtWarningMsg,
        QRegularExpression(QStringLiteral(
            "^health check failed: service \"app@file\", target "
            "\"http://127\\.0\\.0\\.1:\\d+/health\": received error status code: 500$")));
    checker.start();
    QTRY_COMPARE_WITH_TIMEOUT(changes.count(), 1, 5000);
    QCOMPARE(changes[0], (QVariantList { QStringLiteral("app@file"), local(origin), false }));
    QVERIFY(!balancer->servers()[0]->healthy);
    QCOMPARE(balancer->pick({}), nullptr);
}

void tst_Service::closedServerGoesDownAndComesBack()
{
    TinyHttpServer origin;
    QVERIFY(origin.start(QHostAddress::LocalHost));
    const quint16 port = origin.serverPort();
    const auto balancer = checked(local(origin), fastCheck());
    HealthChecker checker(balancer);
    QSignalSpy changes(&checker, &HealthChecker::serverStatusChanged);
    checker.start();
    QTRY_VERIFY_WITH_TIMEOUT(origin.requests >= 1, 5000);
    origin.shutdown();
    QTRY_COMPARE_WITH_TIMEOUT(changes.count(), 1, 5000);
    QCOMPARE(changes[0].at(2).toBool(), false);
    QVERIFY(!balancer->servers()[0]->healthy);

    QVERIFY(origin.start(QHostAddress::LocalHost, port));
    QTRY_COMPARE_WITH_TIMEOUT(changes.count(), 2, 5000);
    QCOMPARE(changes[1].at(2).toBool(), true);
    QVERIFY(balancer->servers()[0]->healthy);
}

void tst_Service::expectedStatus_data()
{
    QTest::addColumn<int>("status"); // what /health answers
    QTest::addColumn<int>("expected"); // healthCheck.status
    QTest::addColumn<bool>("followRedirects");
    QTest::addColumn<bool>("up");
    QTest::newRow("200, any 2xx/3xx") << 200 << 0 << true << true;
    QTest::newRow("204 expected 204") << 204 << 204 << true << true;
    QTest::newRow("200 but 204 expected") << 200 << 204 << true << false;
    QTest::newRow("404 expected 404") << 404 << 404 << true << true;
    QTest::newRow("404, any 2xx/3xx") << 404 << 0 << true << false;
    QTest::newRow("302 not followed counts as up") << 302 << 0 << false << true;
    QTest::newRow("302 followed to a 500") << 302 << 0 << true << false;
    QTest::newRow("302 not followed, 200 expected") << 302 << 200 << false << false;
}

void tst_Service::expectedStatus()
{
    QFETCH(int, status);
    QFETCH(int, expected);
    QFETCH(bool, followRedirects);
    QFETCH(bool, up);
    TinyHttpServer origin;
    QVERIFY(origin.start(QHostAddress::LocalHost));
    origin.byPath[QByteArrayLiteral("/health")] = { status, QByteArrayLiteral("/broken") };
    origin.byPath[QByteArrayLiteral("/broken")] = { 500, {} };
    config::HealthCheckSpec check = fastCheck();
    check.status = expected;
    check.followRedirects = followRedirects;
    const auto balancer = checked(local(origin), check);
    HealthChecker checker(balancer);
    QSignalSpy changes(&checker, &HealthChecker::serverStatusChanged);
    if (!up)
        QTest::ignoreMessage(
            QtWarningMsg, QRegularExpression(QStringLiteral("^health check failed")));
    checker.start();
    if (up) {
        QTRY_VERIFY_WITH_TIMEOUT(origin.requests >= 3, 5000);
        QCOMPARE(changes.count(), 0);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(changes.count(), 1, 5000);
    }
    QCOMPARE(bool(balancer->servers()[0]->healthy), up);
}

void tst_Service::silentServerTimesOut()
{
    TinyHttpServer origin;
    QVERIFY(origin.start(QHostAddress::LocalHost));
    origin.silent = true;
    config::HealthCheckSpec check = fastCheck();
    check.timeout = 150ms;
    const auto balancer = checked(local(origin), check);
    HealthChecker checker(balancer);
    QSignalSpy changes(&checker, &HealthChecker::serverStatusChanged);
    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("no answer within 150 ms$")));
    checker.start();
    QTRY_COMPARE_WITH_TIMEOUT(changes.count(), 1, 5000);
    QCOMPARE(changes[0].at(2).toBool(), false);
    QCOMPARE(origin.requests, 1); // the request did arrive: it is the answer that never came
}

void tst_Service::localhostReachesEitherLoopback_data()
{
    QTest::addColumn<bool>("ipv6");
    QTest::newRow("bound to 127.0.0.1 only") << false;
    QTest::newRow("bound to ::1 only") << true;
}

void tst_Service::localhostReachesEitherLoopback()
{
    QFETCH(bool, ipv6);
    TinyHttpServer origin;
    if (!origin.start(ipv6 ? QHostAddress::LocalHostIPv6 : QHostAddress::LocalHost))
        QSKIP("this machine has no such loopback address");
    const QString url = QStringLiteral("http://localhost:%1").arg(origin.serverPort());
    const auto balancer = checked(url, fastCheck());
    HealthChecker checker(balancer);
    QSignalSpy changes(&checker, &HealthChecker::serverStatusChanged);
    checker.start();
    QTRY_VERIFY_WITH_TIMEOUT(origin.requests >= 2, 5000);
    QCOMPARE(changes.count(), 0);
    QVERIFY(balancer->servers()[0]->healthy);
    QVERIFY2(origin.lastRequest.contains(
                 "\r\nHost: localhost:" + QByteArray::number(origin.serverPort())),
        origin.lastRequest.constData());
}

void tst_Service::probeRequestShape()
{
    TinyHttpServer origin;
    QVERIFY(origin.start(QHostAddress::LocalHost));
    config::HealthCheckSpec check = fastCheck();
    check.method = QStringLiteral("HEAD");
    check.path = QStringLiteral("/healthz?deep=1");
    check.port = origin.serverPort(); // the server URL's own port is closed
    check.hostname = QStringLiteral("health.local");
    check.headers = { { QStringLiteral("X-Probe"), QStringLiteral("yes") } };
    const auto balancer = checked(QStringLiteral("http://127.0.0.1:9/app"), check);
    HealthChecker checker(balancer);
    checker.start();
    QTRY_VERIFY_WITH_TIMEOUT(origin.requests >= 1, 5000);
    QVERIFY2(origin.lastRequest.startsWith("HEAD /healthz?deep=1 HTTP/1.1\r\n"),
        origin.lastRequest.constData());
    QVERIFY(origin.lastRequest.contains("\r\nHost: health.local\r\n"));
    QVERIFY(origin.lastRequest.contains("\r\nX-Probe: yes"));
    QVERIFY(balancer->servers()[0]->healthy);
}

void tst_Service::unhealthyIntervalIsUsedWhileDown()
{
    TinyHttpServer origin;
    QVERIFY(origin.start(QHostAddress::LocalHost));
    origin.reply.status = 503;
    config::HealthCheckSpec check = fastCheck();
    check.interval = 3600s; // only the immediate first probe and unhealthyInterval can run
    check.unhealthyInterval = 50ms;
    const auto balancer = checked(local(origin), check);
    HealthChecker checker(balancer);
    QSignalSpy changes(&checker, &HealthChecker::serverStatusChanged);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^health check failed")));
    checker.start();
    QTRY_COMPARE_WITH_TIMEOUT(changes.count(), 1, 5000);
    origin.reply.status = 200;
    QTRY_COMPARE_WITH_TIMEOUT(changes.count(), 2, 5000);
    QCOMPARE(changes[1].at(2).toBool(), true);
    QCOMPARE(checker.interval(), std::chrono::milliseconds(3600s));
    QCOMPARE(checker.unhealthyInterval(), std::chrono::milliseconds(50));
}

void tst_Service::checkersShareOneManager()
{
    TinyHttpServer good;
    TinyHttpServer bad;
    QVERIFY(good.start(QHostAddress::LocalHost));
    QVERIFY(bad.start(QHostAddress::LocalHost));
    bad.reply.status = 502;
    QNetworkAccessManager manager;
    const auto goodBalancer = checked(local(good), fastCheck());
    const auto badBalancer = checked(local(bad), fastCheck());
    HealthChecker first(goodBalancer);
    HealthChecker second(badBalancer);
    first.setNetworkAccessManager(&manager);
    second.setNetworkAccessManager(&manager);
    QSignalSpy firstChanges(&first, &HealthChecker::serverStatusChanged);
    QSignalSpy secondChanges(&second, &HealthChecker::serverStatusChanged);
    QTest::ignoreMessage(
        QtWarningMsg, QRegularExpression(QStringLiteral("received error status code: 502$")));
    first.start();
    second.start();
    QTRY_COMPARE_WITH_TIMEOUT(secondChanges.count(), 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(good.requests >= 3, 5000);
    QCOMPARE(firstChanges.count(), 0);
    QVERIFY(goodBalancer->servers()[0]->healthy);
    QVERIFY(!badBalancer->servers()[0]->healthy);
}

void tst_Service::stopAbortsProbeInFlight()
{
    TinyHttpServer origin;
    QVERIFY(origin.start(QHostAddress::LocalHost));
    origin.silent = true;
    const auto balancer = checked(local(origin), fastCheck());
    HealthChecker checker(balancer);
    QSignalSpy changes(&checker, &HealthChecker::serverStatusChanged);
    checker.start();
    QTRY_COMPARE_WITH_TIMEOUT(origin.requests, 1, 5000);
    checker.stop();
    QVERIFY(!checker.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(origin.closedConnections, 1, 5000); // the reply was aborted
    QCOMPARE(changes.count(), 0);
    QVERIFY(balancer->servers()[0]->healthy);

    origin.silent = false;
    origin.reply.status = 500;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^health check failed")));
    checker.start(); // restartable
    QTRY_COMPARE_WITH_TIMEOUT(changes.count(), 1, 5000);
}

void tst_Service::destructorAbortsProbeInFlight()
{
    TinyHttpServer origin;
    QVERIFY(origin.start(QHostAddress::LocalHost));
    origin.silent = true;
    const auto balancer = checked(local(origin), fastCheck());
    {
        HealthChecker checker(balancer);
        checker.start();
        QTRY_COMPARE_WITH_TIMEOUT(origin.requests, 1, 5000);
    }
    QTRY_COMPARE_WITH_TIMEOUT(origin.closedConnections, 1, 5000);
    QVERIFY(balancer->servers()[0]->healthy);
}
