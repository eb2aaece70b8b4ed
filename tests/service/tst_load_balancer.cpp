#include "core/service/load_balancer.h"
#include "core/service/sticky_cookie.h"
#include "core/service/wrr_schedule.h"
#include "tst_service.h"

#include <QTest>

#include <algorithm>
#include <thread>

using namespace portico;
using namespace portico::service;
using namespace portico::testing;
using namespace std::chrono_literals;

// --- weighted round robin, server URLs, spec checks, sticky cookie
// --------------------------------

void tst_Service::distribution_data()
{
    QTest::addColumn<QList<int>>("weights");
    QTest::addColumn<QList<bool>>("healthy");
    QTest::addColumn<QString>("expected");
    const QList<bool> all;
    QTest::newRow("1/1 alternates") << QList<int> { 1, 1 } << all << "abababab";
    QTest::newRow("3/1 nginx order") << QList<int> { 3, 1 } << all << "aabaaaba";
    QTest::newRow("5/1/1 nginx order") << QList<int> { 5, 1, 1 } << all << "aabacaaaabacaa";
    QTest::newRow("10/20 reduced by gcd") << QList<int> { 10, 20 } << all << "babbab";
    QTest::newRow("weight 0 never chosen") << QList<int> { 1, 0, 1 } << all << "acacac";
    QTest::newRow("all weights 0 → 503") << QList<int> { 0, 0 } << all << "--";
    QTest::newRow("no servers → 503") << QList<int> {} << all << "--";
    QTest::newRow("unhealthy skipped")
        << QList<int> { 1, 1, 1 } << QList<bool> { true, false, true } << "acacac";
    QTest::newRow("3/1/1 with b down keeps 3:1")
        << QList<int> { 3, 1, 1 } << QList<bool> { true, false, true } << "aacaaaca";
    QTest::newRow("only the weight-0 server healthy → 503")
        << QList<int> { 1, 0 } << QList<bool> { false, true } << "---";
    QTest::newRow("all unhealthy → nullptr")
        << QList<int> { 2, 1 } << QList<bool> { false, false } << "---";
}

void tst_Service::distribution()
{
    QFETCH(QList<int>, weights);
    QFETCH(QList<bool>, healthy);
    QFETCH(QString, expected);
    const auto balancer = build(specFor(weights));
    QVERIFY(balancer);
    setHealth(*balancer, healthy);
    QCOMPARE(picks(*balancer, int(expected.size())), expected);
}

void tst_Service::enginesShareTheCycle()
{
    const auto balancer = build(specFor({ 3, 1 }));
    QVERIFY(balancer);
    std::atomic<int> counts[2] = { 0, 0 };
    const auto engine = [&] {
        for (int i = 0; i < 20000; ++i)
            ++counts[balancer->pick({}) == balancer->servers()[0].get() ? 0 : 1];
    };
    std::thread first(engine);
    std::thread second(engine);
    first.join();
    second.join();
    // Every slot of the shared schedule is taken exactly once, whatever the interleaving.
    QCOMPARE(counts[0].load(), 30000);
    QCOMPARE(counts[1].load(), 10000);
}

void tst_Service::longCyclesAreCapped()
{
    const std::vector<int> schedule = buildSchedule({ 1000000, 3, 1 });
    QVERIFY(schedule.size() <= size_t(kMaxScheduleLength) + 2);
    QVERIFY(std::count(schedule.begin(), schedule.end(), 1) >= 1);
    QVERIFY(std::count(schedule.begin(), schedule.end(), 2) >= 1);
    QVERIFY(std::count(schedule.begin(), schedule.end(), 0) > 4000);
}

void tst_Service::serverUrls_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<int>("weight");
    QTest::addColumn<bool>("preservePath");
    QTest::addColumn<QString>("errorPath"); // empty: valid
    QTest::addColumn<QString>("errorText"); // for errors: expected substring of the message
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QByteArray>("authority");
    QTest::addColumn<QByteArray>("pathPrefix");
    const QString ok;
    QTest::newRow("localhost kept as a name")
        << "http://localhost:3000" << 1 << false << ok << ok << "localhost" << 3000
        << QByteArray("localhost:3000") << QByteArray();
    QTest::newRow("https default port 443")
        << "https://example.com" << 1 << false << ok << ok << "example.com" << 443
        << QByteArray("example.com") << QByteArray();
    QTest::newRow("http default port 80")
        << "http://10.0.0.7/" << 1 << false << ok << ok << "10.0.0.7" << 80
        << QByteArray("10.0.0.7") << QByteArray();
    QTest::newRow("ipv6 literal in brackets")
        << "http://[::1]:8080" << 1 << false << ok << ok << "::1" << 8080
        << QByteArray("[::1]:8080") << QByteArray();
    QTest::newRow("upper-case scheme")
        << "HTTP://Api.Local:81" << 1 << false << ok << ok << "api.local" << 81
        << QByteArray("Api.Local:81") << QByteArray();
    QTest::newRow("path kept with preservePath")
        << "http://h:1/api/v1" << 1 << true << ok << ok << "h" << 1 << QByteArray("h:1")
        << QByteArray("/api/v1");
    QTest::newRow("path ignored without preservePath")
        << "http://h:1/api/v1" << 1 << false << ok << ok << "h" << 1 << QByteArray("h:1")
        << QByteArray();
    QTest::newRow("weight 0 is valid")
        << "http://h:1" << 0 << false << ok << ok << "h" << 1 << QByteArray("h:1") << QByteArray();
    const QString url1 = QStringLiteral("loadBalancer.servers[1].url");
    QTest::newRow("ftp scheme") << "ftp://h:21" << 1 << false << url1
                                << "invalid server url \"ftp://h:21\": unsupported scheme \"ftp\""
                                << ok << 0 << QByteArray() << QByteArray();
    QTest::newRow("missing scheme") << "localhost:3000" << 1 << false << url1
                                    << "invalid server url \"localhost:3000\": missing scheme" << ok
                                    << 0 << QByteArray() << QByteArray();
    QTest::newRow("missing host") << "http://:8080" << 1 << false << url1
                                  << "invalid server url \"http://:8080\": missing host" << ok << 0
                                  << QByteArray() << QByteArray();
    QTest::newRow("port out of range")
        << "http://h:70000" << 1 << false << url1
        << "invalid server url \"http://h:70000\": port \"70000\" is out of range" << ok << 0
        << QByteArray() << QByteArray();
    QTest::newRow("port not a number")
        << "http://h:http" << 1 << false << url1 << "invalid port \"http\"" << ok << 0
        << QByteArray() << QByteArray();
    QTest::newRow("port 0") << "http://h:0" << 1 << false << url1 << "port 0 is not a valid port"
                            << ok << 0 << QByteArray() << QByteArray();
    QTest::newRow("empty url") << "" << 1 << false << url1
                               << "invalid server url \"\": the url is empty" << ok << 0
                               << QByteArray() << QByteArray();
    QTest::newRow("space in host")
        << "http://my host:80" << 1 << false << url1 << "invalid server url \"http://my host:80\""
        << ok << 0 << QByteArray() << QByteArray();
    QTest::newRow("negative weight")
        << "http://h:1" << -1 << false << "loadBalancer.servers[1].weight"
        << "invalid weight \"-1\"" << ok << 0 << QByteArray() << QByteArray();
}

void tst_Service::serverUrls()
{
    QFETCH(QString, url);
    QFETCH(int, weight);
    QFETCH(bool, preservePath);
    QFETCH(QString, errorPath);
    QFETCH(QString, errorText);
    config::LoadBalancerSpec spec;
    spec.servers.push_back({ QStringLiteral("http://127.0.0.1:9"), 1, false });
    spec.servers.push_back({ url, weight, preservePath });
    const auto created = LoadBalancer::create(QStringLiteral("app@file"), spec);
    if (!errorPath.isEmpty()) {
        QVERIFY(!created);
        QCOMPARE(created.error().where.path, errorPath);
        QVERIFY2(created.error().message.contains(errorText), qPrintable(created.error().message));
        return;
    }
    QVERIFY2(created, qPrintable(created ? QString() : created.error().toString()));
    const Server &server = *created.value()->servers()[1];
    QTEST(server.host, "host");
    QTEST(int(server.port), "port");
    QTEST(server.authority, "authority");
    QTEST(server.pathPrefix, "pathPrefix");
    QCOMPARE(server.url, url);
    QCOMPARE(server.weight, weight);
    QVERIFY(server.healthy);
}

void tst_Service::specErrors_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("errorPath"); // empty: valid
    QTest::addColumn<QString>("errorText");
    const QString ok;
    QTest::newRow("strategy wrr") << "strategy"
                                  << "wrr" << ok << ok;
    QTest::newRow("strategy p2c falls back to wrr") << "strategy"
                                                    << "p2c" << ok << ok;
    QTest::newRow("unknown strategy") << "strategy"
                                      << "random"
                                      << "loadBalancer.strategy"
                                      << "unsupported load-balancer strategy \"random\"";
    QTest::newRow("grpc health mode") << "mode"
                                      << "grpc"
                                      << "loadBalancer.healthCheck.mode"
                                      << "health check mode \"grpc\" is not supported";
    QTest::newRow("unknown health mode") << "mode"
                                         << "tcp"
                                         << "loadBalancer.healthCheck.mode"
                                         << "unknown health check mode \"tcp\"";
    QTest::newRow("health scheme ftp") << "scheme"
                                       << "ftp"
                                       << "loadBalancer.healthCheck.scheme"
                                       << "unsupported health check scheme \"ftp\"";
    QTest::newRow("health scheme https") << "scheme"
                                         << "https" << ok << ok;
    QTest::newRow("method with space") << "method"
                                       << "GE T"
                                       << "loadBalancer.healthCheck.method"
                                       << "invalid method \"GE T\"";
    QTest::newRow("status 42") << "status"
                               << "42"
                               << "loadBalancer.healthCheck.status"
                               << "invalid status \"42\"";
    QTest::newRow("status 204") << "status"
                                << "204" << ok << ok;
    QTest::newRow("port 70000") << "port"
                                << "70000"
                                << "loadBalancer.healthCheck.port"
                                << "port \"70000\" is out of range";
}

void tst_Service::specErrors()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, errorPath);
    QFETCH(QString, errorText);
    config::LoadBalancerSpec spec = specFor({ 1 });
    config::HealthCheckSpec check;
    if (field == QLatin1String("strategy"))
        spec.strategy = value;
    else if (field == QLatin1String("mode"))
        check.mode = value;
    else if (field == QLatin1String("scheme"))
        check.scheme = value;
    else if (field == QLatin1String("method"))
        check.method = value;
    else if (field == QLatin1String("status"))
        check.status = value.toInt();
    else if (field == QLatin1String("port"))
        check.port = value.toInt();
    if (field != QLatin1String("strategy"))
        spec.healthCheck = check;
    if (field == QLatin1String("strategy") && value == QLatin1String("p2c"))
        QTest::ignoreMessage(
            QtWarningMsg, "service \"app@file\": strategy \"p2c\" is not implemented, using wrr");
    const auto created = LoadBalancer::create(QStringLiteral("app@file"), spec);
    if (errorPath.isEmpty()) {
        QVERIFY2(created, qPrintable(created ? QString() : created.error().toString()));
        return;
    }
    QVERIFY(!created);
    QCOMPARE(created.error().where.path, errorPath);
    QCOMPARE(created.error().message, errorText);
}

void tst_Service::sameSpec()
{
    config::LoadBalancerSpec spec = specFor({ 1, 2 });
    spec.healthCheck = fastCheck();
    const auto balancer = build(spec);
    QVERIFY(balancer);
    QVERIFY(balancer->sameSpec(spec));
    config::LoadBalancerSpec reweighted = spec;
    reweighted.servers[1].weight = 3;
    QVERIFY(!balancer->sameSpec(reweighted));
    config::LoadBalancerSpec rechecked = spec;
    rechecked.healthCheck->path = QStringLiteral("/ready");
    QVERIFY(!balancer->sameSpec(rechecked));
}

void tst_Service::cookieNames_data()
{
    QTest::addColumn<QString>("service");
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QByteArray>("expected");
    // Vectors from Traefik's pkg/server/cookie tests.
    QTest::newRow("generated from service") << "backend"
                                            << "" << QByteArray("_76eb3");
    QTest::newRow("generated, odd service name") << "/my/BACKEND-v1.0~rc1"
                                                 << "" << QByteArray("_5f7bc");
    QTest::newRow("configured wins") << "backend"
                                     << "cookie" << QByteArray("cookie");
    QTest::newRow("configured is sanitized")
        << "x"
        << "/my/BACKEND-v1.0~rc1" << QByteArray("_my_BACKEND-v1.0~rc1");
    QTest::newRow("every separator sanitized")
        << "x"
        << "!#$%&'()*+-./:<=>?@[]^_`{|}~" << QByteArray("!#$%&'__*+-._________^_`_|_~");
    QTest::newRow("non-ascii sanitized") << "x"
                                         << "sé" << QByteArray("s_");
}

void tst_Service::cookieNames()
{
    QFETCH(QString, service);
    QFETCH(QString, configured);
    config::StickyCookieSpec spec;
    spec.name = configured;
    QTEST(StickyCookie(service, spec).name(), "expected");
}

void tst_Service::sticky_data()
{
    QTest::addColumn<QByteArray>("cookie"); // Cookie header line; null: none
    QTest::addColumn<QList<bool>>("healthy");
    QTest::addColumn<QString>("expected"); // letters of three picks
    QTest::addColumn<QByteArray>("setCookie"); // on the first pick; empty: none
    // _fb0b0 = Traefik's name for `app@file`; values = SHA-256(url)[:16] (computed with Python).
    const QByteArray toA = "_fb0b0=fb9b849faf43bb5e; Path=/";
    const QByteArray toB = "_fb0b0=80857f9c0bcb0733; Path=/";
    const QList<bool> all;
    QTest::newRow("no cookie → wrr, cookie set") << QByteArray() << all << "aba" << toA;
    QTest::newRow("cookie for b sticks")
        << QByteArray("_fb0b0=80857f9c0bcb0733") << all << "bbb" << QByteArray();
    QTest::newRow("among other cookies, quoted")
        << QByteArray("theme=dark; _fb0b0=\"80857f9c0bcb0733\"; x=1") << all << "bbb"
        << QByteArray();
    QTest::newRow("unknown value → wrr, cookie rewritten")
        << QByteArray("_fb0b0=nope") << all << "aba" << toA;
    QTest::newRow("other cookie name ignored")
        << QByteArray("_other=80857f9c0bcb0733") << all << "aba" << toA;
    QTest::newRow("unhealthy target → other server, cookie rewritten")
        << QByteArray("_fb0b0=80857f9c0bcb0733") << QList<bool> { true, false } << "aaa" << toA;
    QTest::newRow("legacy raw url → b, cookie rewritten")
        << QByteArray("_fb0b0=http://127.0.0.1:1002") << all << "bbb" << toB;
    QTest::newRow("legacy fnv hash → b, cookie rewritten")
        << QByteArray("_fb0b0=1d0db02f1c91b635") << all << "bbb" << toB;
    QTest::newRow("all unhealthy → nullptr")
        << QByteArray("_fb0b0=80857f9c0bcb0733") << QList<bool> { false, false } << "---"
        << QByteArray();
}

void tst_Service::sticky()
{
    QFETCH(QByteArray, cookie);
    QFETCH(QList<bool>, healthy);
    QFETCH(QString, expected);
    QFETCH(QByteArray, setCookie);
    config::LoadBalancerSpec spec = specFor({ 1, 1 });
    spec.stickyCookie = config::StickyCookieSpec {};
    const auto balancer = build(spec);
    QVERIFY(balancer);
    setHealth(*balancer, healthy);
    const HeaderList headers = cookieHeader(cookie);
    QCOMPARE(balancer->stickyCookieName(), QByteArray("_fb0b0"));
    const Server *first = balancer->pick(headers);
    if (first) {
        const auto written = balancer->stickyCookie(headers, *first);
        QCOMPARE(written.value_or(QByteArray()), setCookie);
    }
    QCOMPARE(letterOf(*balancer, first) + picks(*balancer, 2, headers), expected);
}

void tst_Service::cookieAttributes_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("domain");
    QTest::addColumn<int>("maxAge");
    QTest::addColumn<bool>("secure");
    QTest::addColumn<bool>("httpOnly");
    QTest::addColumn<QString>("sameSite");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray v = "fb9b849faf43bb5e";
    QTest::newRow("defaults") << ""
                              << "/"
                              << "" << 0 << false << false << ""
                              << "_fb0b0=" + v + "; Path=/";
    QTest::newRow("everything, Go attribute order")
        << "lb"
        << "/app"
        << ".example.test" << 3600 << true << true << "Strict"
        << "lb=" + v
            + "; Path=/app; Domain=example.test; Max-Age=3600; HttpOnly; Secure; SameSite=Strict";
    QTest::newRow("negative maxAge deletes") << "lb"
                                             << "/"
                                             << "" << -1 << false << false << ""
                                             << "lb=" + v + "; Path=/; Max-Age=0";
    QTest::newRow("sameSite none, case-insensitive")
        << "lb"
        << "/"
        << "" << 0 << true << false << "NONE"
        << "lb=" + v + "; Path=/; Secure; SameSite=None";
    QTest::newRow("sameSite lax") << "lb"
                                  << "/"
                                  << "" << 0 << false << false << "lax"
                                  << "lb=" + v + "; Path=/; SameSite=Lax";
    QTest::newRow("unknown sameSite is Go's default (omitted)")
        << "lb"
        << "/"
        << "" << 0 << false << false << "sometimes"
        << "lb=" + v + "; Path=/";
    QTest::newRow("empty path omitted") << "lb"
                                        << ""
                                        << "" << 0 << false << true << ""
                                        << "lb=" + v + "; HttpOnly";
}

void tst_Service::cookieAttributes()
{
    config::StickyCookieSpec cookie;
    QFETCH(QString, name);
    QFETCH(QString, path);
    QFETCH(QString, domain);
    QFETCH(int, maxAge);
    QFETCH(bool, secure);
    QFETCH(bool, httpOnly);
    QFETCH(QString, sameSite);
    cookie = { name, secure, httpOnly, sameSite, maxAge, path, domain };
    config::LoadBalancerSpec spec = specFor({ 1, 1 });
    spec.stickyCookie = cookie;
    const auto balancer = build(spec);
    QVERIFY(balancer);
    const Server *chosen = balancer->pick({});
    QCOMPARE(chosen, balancer->servers()[0].get());
    QTEST(balancer->stickyCookie({}, *chosen).value_or(QByteArray()), "expected");
}
