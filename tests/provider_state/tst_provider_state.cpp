// Routes made by people: the state file, the state and run providers, the paused page's
// negotiation and the control-API endpoints (driven through a real ApiRouter).
#include "core/control/api/state_endpoints.h"
#include "core/control/runtime_state.h"
#include "core/middleware/paused.h"
#include "core/provider/run/run_provider.h"
#include "core/provider/state/host_route.h"
#include "core/provider/state/state_provider.h"
#include "core/provider/state/state_store.h"
#include "tests/testkit/wait.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;
using provider::PersistentState;
using provider::StateStore;

Q_DECLARE_METATYPE(portico::config::DynamicConfig)

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &content)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(content);
}

/// The last snapshot a provider emitted.
config::DynamicConfig lastSnapshot(const QSignalSpy &spy)
{
    return spy.isEmpty() ? config::DynamicConfig {}
                         : spy.last().first().value<config::DynamicConfig>();
}

/// `rule -> url` of each router of a snapshot, for compact comparisons.
QStringList routes(const config::DynamicConfig &snapshot)
{
    QStringList out;
    for (const auto &router : snapshot.routers) {
        QString url;
        for (const auto &service : snapshot.services) {
            if (service.name == router.service && service.loadBalancer)
                url = service.loadBalancer->servers.at(0).url;
        }
        out << router.name + QLatin1Char(' ') + router.rule + QStringLiteral(" -> ") + url;
    }
    return out;
}

/// A child process that lives until killed.
std::unique_ptr<QProcess> startSleeper()
{
    auto process = std::make_unique<QProcess>();
    process->start(QStringLiteral("sleep"), { QStringLiteral("60") });
    process->waitForStarted();
    return process;
}

/// Calls the endpoint registered for `method path` on `router`.
control::api::ApiResponse call(const control::api::ApiRouter &router, const QByteArray &method,
    const QString &path, const QByteArray &body = {})
{
    const auto match = router.match(method, path);
    if (!match.handler)
        return control::api::ApiResponse::error(match.methodNotAllowed ? 405 : 404, path);
    control::api::ApiRequest request;
    request.method = method;
    request.path = path;
    request.body = body;
    request.captures = match.captures;
    return (*match.handler)(request);
}

} // namespace

class tst_ProviderState : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void routeNames_data();
    void routeNames();
    void aliasTargets_data();
    void aliasTargets();
    void storeRoundTripIsPrivate();
    void missingFileIsEmpty();
    void badFileIsReportedAndKept_data();
    void badFileIsReportedAndKept();
    void stateProviderPublishesAliases();
    void stateProviderPicksUpHandEdits();
    void stateProviderRefusesToOverwriteBadFile();
    void runProviderFollowsTheProcess();
    void runProviderRejects_data();
    void runProviderRejects();
    void pausedPageNegotiation_data();
    void pausedPageNegotiation();
    void endpoints();
    void routeUrls();

private:
    QTemporaryDir m_home;
};

void tst_ProviderState::initTestCase()
{
    qputenv("PORTICO_HOME", m_home.path().toUtf8());
    qRegisterMetaType<config::DynamicConfig>();
}

void tst_ProviderState::routeNames_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // empty: rejected
    QTest::addColumn<QString>("error");
    QTest::newRow("label") << "shop"
                           << "shop"
                           << "";
    QTest::newRow("upper case lowered") << "Shop"
                                        << "shop"
                                        << "";
    QTest::newRow("dotted") << "shop.test"
                            << "shop.test"
                            << "";
    QTest::newRow("inner hyphen") << "fix-ui.shop"
                                  << "fix-ui.shop"
                                  << "";
    QTest::newRow("leading hyphen (RFC 1123 2.1)") << "-shop"
                                                   << ""
                                                   << "invalid name \"-shop\": label \"-shop\"";
    QTest::newRow("underscore") << "my_shop"
                                << ""
                                << "invalid name \"my_shop\"";
    QTest::newRow("empty label") << "a..b"
                                 << ""
                                 << "empty label";
    QTest::newRow("empty") << ""
                           << ""
                           << "the name is empty";
    QTest::newRow("slash") << "a/b"
                           << ""
                           << "invalid name \"a/b\"";
    QTest::newRow("label of 64") << QString(64, QLatin1Char('a')) << ""
                                 << "longer than 63 characters";
}

void tst_ProviderState::routeNames()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    const auto result = provider::validateRouteName(input);
    if (expected.isEmpty()) {
        QVERIFY(!result);
        QVERIFY2(result.error().toString().contains(error), qPrintable(result.error().toString()));
    } else {
        QVERIFY(result);
        QCOMPARE(*result, expected);
    }
    QCOMPARE(provider::aliasHost(QStringLiteral("shop")), QStringLiteral("shop.localhost"));
    QCOMPARE(provider::aliasHost(QStringLiteral("shop.test")), QStringLiteral("shop.test"));
    QCOMPARE(
        provider::runHost(QStringLiteral("fix-ui.shop")), QStringLiteral("fix-ui.shop.localhost"));
    QCOMPARE(provider::runHost(QStringLiteral("app.localhost")), QStringLiteral("app.localhost"));
}

void tst_ProviderState::aliasTargets_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected"); // empty: rejected
    QTest::newRow("port") << "3000"
                          << "http://localhost:3000";
    QTest::newRow("port with spaces") << " 8080 "
                                      << "http://localhost:8080";
    QTest::newRow("http url") << "http://127.0.0.1:5173"
                              << "http://127.0.0.1:5173";
    QTest::newRow("https url") << "https://example.com/app"
                               << "https://example.com/app";
    QTest::newRow("port 0") << "0"
                            << "";
    QTest::newRow("port too high") << "65536"
                                   << "";
    QTest::newRow("ftp url") << "ftp://x"
                             << "";
    QTest::newRow("no host") << "http://"
                             << "";
    QTest::newRow("word") << "shop"
                          << "";
}

void tst_ProviderState::aliasTargets()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    const auto result = provider::aliasTarget(input);
    if (expected.isEmpty()) {
        QVERIFY(!result);
        QVERIFY2(result.error().message.contains(QLatin1Char('"') + input + QLatin1Char('"')),
            qPrintable(result.error().message));
    } else {
        QVERIFY2(result, qPrintable(result ? QString() : result.error().toString()));
        QCOMPARE(*result, expected);
    }
}

void tst_ProviderState::storeRoundTripIsPrivate()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("sub/state.json"));
    StateStore store(path);
    PersistentState state;
    state.aliases[QStringLiteral("shop")] = QStringLiteral("http://localhost:3000");
    state.paused = { QStringLiteral("web@file") };
    QVERIFY(store.save(state));
    // Owner read/write, nothing for group and others (the User bits mirror Owner for our uid).
    QCOMPARE(QFile::permissions(path) & 0x70FF, QFile::ReadOwner | QFile::WriteOwner);

    StateStore again(path);
    QVERIFY(again.load());
    QCOMPARE(again.state(), state);
}

void tst_ProviderState::missingFileIsEmpty()
{
    StateStore store(m_home.filePath(QStringLiteral("nothing-here.json")));
    QVERIFY(store.load());
    QCOMPARE(store.state(), PersistentState {});
}

void tst_ProviderState::badFileIsReportedAndKept_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("syntax error with position")
        << QByteArray("{\n  \"aliases\": {\n    \"shop\": \"http://localhost:1\",,\n")
        << "state.json:3:";
    QTest::newRow("alias target not a string")
        << QByteArray(R"({"aliases": {"shop": 3000}})")
        << "state.json: aliases.shop: expected a URL string for alias \"shop\"";
    QTest::newRow("paused not a list")
        << QByteArray(R"({"paused": "web@file"})") << "state.json: paused: expected a list";
    QTest::newRow("not an object") << QByteArray("[1]") << "state.json:1:1: expected a JSON object";
}

void tst_ProviderState::badFileIsReportedAndKept()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("state.json"));
    StateStore store(path);
    PersistentState good;
    good.aliases[QStringLiteral("keep")] = QStringLiteral("http://localhost:1");
    QVERIFY(store.save(good));

    writeAll(path, content);
    const auto loaded = store.load();
    QVERIFY(!loaded);
    QVERIFY2(loaded.error().toString().contains(expected), qPrintable(loaded.error().toString()));
    QVERIFY(loaded.error().toString().startsWith(path));
    QCOMPARE(store.state(), good); // the last good state stays

    const auto saved = store.save(PersistentState {});
    QVERIFY(!saved);
    QVERIFY2(saved.error().message.contains(QLatin1String("refusing to overwrite")),
        qPrintable(saved.error().message));
    QCOMPARE(readAll(path), content); // nothing lost
}

void tst_ProviderState::stateProviderPublishesAliases()
{
    QTemporaryDir dir;
    provider::StateProvider state(dir.filePath(QStringLiteral("state.json")));
    QSignalSpy snapshots(&state, &provider::Provider::snapshotReady);
    QSignalSpy paused(&state, &provider::StateProvider::pausedChanged);
    state.start();
    QCOMPARE(snapshots.count(), 1);
    QVERIFY(lastSnapshot(snapshots).routers.empty());
    QCOMPARE(paused.count(), 1);

    QVERIFY(state.setAlias(QStringLiteral("Shop"), QStringLiteral("3000")));
    QVERIFY(state.setAlias(QStringLiteral("api.test"), QStringLiteral("http://127.0.0.1:9/v1")));
    QCOMPARE(routes(lastSnapshot(snapshots)),
        QStringList({ QStringLiteral("api.test Host(`api.test`) -> http://127.0.0.1:9/v1"),
            QStringLiteral("shop Host(`shop.localhost`) -> http://localhost:3000") }));
    QCOMPARE(
        lastSnapshot(snapshots).routers.at(1).origin.where.path, QStringLiteral("aliases.shop"));

    QVERIFY(state.setPaused(QStringLiteral("shop@state"), true));
    QCOMPARE(paused.last().first().toStringList(), QStringList { QStringLiteral("shop@state") });
    const int snapshotCount = snapshots.count();
    QVERIFY(state.setPaused(QStringLiteral("shop@state"), true)); // no change, no new emission
    QCOMPARE(snapshots.count(), snapshotCount);

    auto removed = state.removeAlias(QStringLiteral("shop"));
    QVERIFY(removed && *removed);
    QVERIFY(paused.last().first().toStringList().isEmpty()); // its toggle went with it
    removed = state.removeAlias(QStringLiteral("shop"));
    QVERIFY(removed && !*removed);
    QCOMPARE(routes(lastSnapshot(snapshots)).size(), 1);

    provider::StateProvider restarted(state.path());
    QSignalSpy again(&restarted, &provider::Provider::snapshotReady);
    restarted.start();
    QCOMPARE(routes(lastSnapshot(again)), routes(lastSnapshot(snapshots)));
}

void tst_ProviderState::stateProviderPicksUpHandEdits()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("state.json"));
    provider::StateProvider state(path);
    QSignalSpy snapshots(&state, &provider::Provider::snapshotReady);
    QSignalSpy failures(&state, &provider::Provider::snapshotFailed);
    state.start();

    writeAll(path, R"({"aliases": {"docs": "4000", "Bad_Name": "1"}})");
    QVERIFY(testkit::waitUntil([&] { return !lastSnapshot(snapshots).routers.empty(); }));
    QCOMPARE(routes(lastSnapshot(snapshots)),
        QStringList { QStringLiteral("docs Host(`docs.localhost`) -> http://localhost:4000") });
    // The bad entry is reported with its place in the file; the good one serves.
    QCOMPARE(lastSnapshot(snapshots).errors.size(), size_t(1));
    QVERIFY(lastSnapshot(snapshots).errors.at(0).toString().contains(
        QStringLiteral("aliases.Bad_Name: invalid name \"Bad_Name\"")));

    writeAll(path, "{oops");
    QVERIFY(testkit::waitUntil([&] { return !failures.isEmpty(); }));
    const auto errors = failures.last().first().value<std::vector<Error>>();
    QVERIFY(errors.at(0).toString().startsWith(path + QStringLiteral(":1:")));
}

void tst_ProviderState::stateProviderRefusesToOverwriteBadFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("state.json"));
    writeAll(path, "{\"aliases\": ");
    provider::StateProvider state(path);
    QSignalSpy failures(&state, &provider::Provider::snapshotFailed);
    QSignalSpy snapshots(&state, &provider::Provider::snapshotReady);
    state.start();
    QCOMPARE(failures.count(), 1);
    QCOMPARE(snapshots.count(), 1); // still publishes (empty) so the control plane can build
    const auto result = state.setAlias(QStringLiteral("shop"), QStringLiteral("3000"));
    QVERIFY(!result);
    QVERIFY2(result.error().toString().contains(path), qPrintable(result.error().toString()));
    QCOMPARE(readAll(path), QByteArray("{\"aliases\": "));

    writeAll(path, "{}"); // fixed by hand: changes work again
    QVERIFY(state.setAlias(QStringLiteral("shop"), QStringLiteral("3000")));
}

void tst_ProviderState::runProviderFollowsTheProcess()
{
    provider::RunProvider runs;
    QSignalSpy snapshots(&runs, &provider::Provider::snapshotReady);
    QSignalSpy exited(&runs, &provider::RunProvider::runExited);
    runs.start();
    QVERIFY(lastSnapshot(snapshots).routers.empty());

    auto child = startSleeper();
    auto other = startSleeper();
    const auto app = runs.add(QStringLiteral("app"), 4100, child->processId());
    QVERIFY2(app, qPrintable(app ? QString() : app.error().toString()));
    QCOMPARE(app->host, QStringLiteral("app.localhost"));
    const auto second = runs.add(QStringLiteral("fix-ui.shop"), 4200, other->processId());
    QVERIFY(second);
    QCOMPARE(routes(lastSnapshot(snapshots)),
        QStringList({ QStringLiteral("app Host(`app.localhost`) -> http://localhost:4100"),
            QStringLiteral(
                "fix-ui.shop Host(`fix-ui.shop.localhost`) -> http://localhost:4200") }));

    child->kill(); // the route goes when the process does, with no polling
    QVERIFY(exited.wait(5000));
    QCOMPARE(exited.first().first().toString(), app->id);
    QCOMPARE(routes(lastSnapshot(snapshots)).size(), 1);

    QVERIFY(runs.remove(second->id)); // or when it is unregistered
    QVERIFY(!runs.remove(second->id));
    QVERIFY(lastSnapshot(snapshots).routers.empty());
    QVERIFY(runs.runs().empty());
    other->kill();
    other->waitForFinished();
    child->waitForFinished();
}

void tst_ProviderState::runProviderRejects_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("port");
    QTest::addColumn<bool>("livePid");
    QTest::addColumn<QString>("error");
    QTest::newRow("name already running")
        << "taken" << 4000 << true << "\"taken\" is already routed to a running command";
    QTest::newRow("bad name") << "no_way" << 4000 << true << "invalid name \"no_way\"";
    QTest::newRow("bad port") << "ok" << 70000 << true << "invalid port \"70000\"";
    QTest::newRow("no such process") << "ok" << 4000 << false << "no process with pid";
}

void tst_ProviderState::runProviderRejects()
{
    QFETCH(QString, name);
    QFETCH(int, port);
    QFETCH(bool, livePid);
    QFETCH(QString, error);
    provider::RunProvider runs;
    runs.start();
    auto holder = startSleeper();
    QVERIFY(runs.add(QStringLiteral("taken"), 3999, holder->processId()));
    qint64 pid = holder->processId();
    if (!livePid) {
        auto gone = startSleeper();
        pid = gone->processId();
        gone->kill();
        gone->waitForFinished(); // reaped: the pid is free
    }
    const auto result = runs.add(name, port, pid);
    QVERIFY(!result);
    QVERIFY2(result.error().toString().contains(error), qPrintable(result.error().toString()));
    holder->kill();
    holder->waitForFinished();
}

void tst_ProviderState::pausedPageNegotiation_data()
{
    QTest::addColumn<QByteArray>("accept");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("no Accept: html") << QByteArray() << QByteArray("text/html");
    QTest::newRow("curl */*: html") << QByteArray("*/*") << QByteArray("text/html");
    QTest::newRow("browser") << QByteArray("text/html,application/xhtml+xml,*/*;q=0.8")
                             << QByteArray("text/html");
    QTest::newRow("fetch json") << QByteArray("application/json") << QByteArray("application/json");
    QTest::newRow("json preferred by q (RFC 9110 12.5.1)")
        << QByteArray("text/html;q=0.5, application/json") << QByteArray("application/json");
    QTest::newRow("text/*") << QByteArray("text/*;q=0.9, text/html;q=0.1")
                            << QByteArray("text/plain");
    QTest::newRow("plain only") << QByteArray("text/plain") << QByteArray("text/plain");
    QTest::newRow("nothing acceptable: html") << QByteArray("image/png") << QByteArray("text/html");
}

void tst_ProviderState::pausedPageNegotiation()
{
    QFETCH(QByteArray, accept);
    QFETCH(QByteArray, expected);
    QCOMPARE(middleware::PausedPage::negotiate(accept), expected);
}

void tst_ProviderState::endpoints()
{
    QTemporaryDir dir;
    provider::StateProvider state(dir.filePath(QStringLiteral("state.json")));
    provider::RunProvider runs;
    state.start();
    runs.start();
    control::RuntimeState runtime;
    for (const char *name : { "web@file", "web@docker", "api@file" }) {
        control::RouterState router;
        router.name = QString::fromLatin1(name);
        runtime.routers[router.name] = router;
    }
    control::api::ApiRouter router;
    control::api::registerStateEndpoints(router,
        { &state, &runs, [&] { return &runtime; },
            [](const QString &host) { return QStringLiteral("https://") + host; } });

    auto r
        = call(router, "PUT", QStringLiteral("/api/portico/aliases/shop"), R"({"target": 3000})");
    QCOMPARE(r.status, 200);
    QCOMPARE(QJsonDocument::fromJson(r.body)[QStringLiteral("url")].toString(),
        QStringLiteral("https://shop.localhost"));
    QCOMPARE(QJsonDocument::fromJson(r.body)[QStringLiteral("target")].toString(),
        QStringLiteral("http://localhost:3000"));
    r = call(router, "PUT", QStringLiteral("/api/portico/aliases/bad_name"), R"({"target": "1"})");
    QCOMPARE(r.status, 400);
    QVERIFY2(r.body.contains("invalid name \\\"bad_name\\\""), r.body.constData());
    r = call(router, "PUT", QStringLiteral("/api/portico/aliases/x"), R"({"target": "ftp://a"})");
    QCOMPARE(r.status, 400);
    r = call(router, "PUT", QStringLiteral("/api/portico/aliases/x"), "not json");
    QCOMPARE(r.status, 400);
    r = call(router, "GET", QStringLiteral("/api/portico/aliases"));
    QCOMPARE(QJsonDocument::fromJson(r.body).array().size(), 1);

    r = call(router, "PUT", QStringLiteral("/api/portico/routers/api/pause"));
    QCOMPARE(r.status, 200); // unqualified and unique: resolved
    QCOMPARE(state.state().paused, QStringList { QStringLiteral("api@file") });
    r = call(router, "PUT", QStringLiteral("/api/portico/routers/web/pause"));
    QCOMPARE(r.status, 400);
    QVERIFY2(r.body.contains("web@docker, web@file"), r.body.constData());
    r = call(router, "PUT", QStringLiteral("/api/portico/routers/nope@file/pause"));
    QCOMPARE(r.status, 404);
    r = call(router, "DELETE", QStringLiteral("/api/portico/routers/api@file/pause"));
    QCOMPARE(r.status, 200);
    QVERIFY(state.state().paused.isEmpty());

    auto child = startSleeper();
    r = call(router, "POST", QStringLiteral("/api/portico/runs"),
        QStringLiteral(R"({"name": "app", "port": 4321, "pid": %1})")
            .arg(child->processId())
            .toUtf8());
    QCOMPARE(r.status, 201);
    const QString id = QJsonDocument::fromJson(r.body)[QStringLiteral("id")].toString();
    QCOMPARE(QJsonDocument::fromJson(r.body)[QStringLiteral("url")].toString(),
        QStringLiteral("https://app.localhost"));
    r = call(router, "POST", QStringLiteral("/api/portico/runs"),
        QStringLiteral(R"({"name": "app", "port": 4322, "pid": %1})")
            .arg(child->processId())
            .toUtf8());
    QCOMPARE(r.status, 409);
    r = call(router, "POST", QStringLiteral("/api/portico/runs"), R"({"name": "app"})");
    QCOMPARE(r.status, 400);
    QCOMPARE(QJsonDocument::fromJson(call(router, "GET", QStringLiteral("/api/portico/runs")).body)
                 .array()
                 .size(),
        1);
    QCOMPARE(call(router, "DELETE", QStringLiteral("/api/portico/runs/") + id).status, 204);
    QCOMPARE(call(router, "DELETE", QStringLiteral("/api/portico/runs/") + id).status, 404);

    QCOMPARE(call(router, "DELETE", QStringLiteral("/api/portico/aliases/shop")).status, 204);
    QCOMPARE(call(router, "DELETE", QStringLiteral("/api/portico/aliases/shop")).status, 404);
    child->kill();
    child->waitForFinished();
}

void tst_ProviderState::routeUrls()
{
    config::EntryPointSpec web;
    web.name = QStringLiteral("web");
    web.port = 80;
    config::EntryPointSpec websecure;
    websecure.name = QStringLiteral("websecure");
    websecure.port = 443;
    websecure.tls = config::RouterTlsSpec {};
    const QString host = QStringLiteral("app.localhost");
    QCOMPARE(control::api::routeUrls({ web }, {})(host), QStringLiteral("http://app.localhost"));
    QCOMPARE(control::api::routeUrls({ web }, { { QStringLiteral("web"), 8080 } })(host),
        QStringLiteral("http://app.localhost:8080"));
    QCOMPARE(control::api::routeUrls({ web, websecure }, {})(host),
        QStringLiteral("https://app.localhost"));
    QCOMPARE(control::api::routeUrls({ web, websecure }, { { QStringLiteral("websecure"), 8443 } })(
                 host),
        QStringLiteral("https://app.localhost:8443"));
}

QTEST_GUILESS_MAIN(tst_ProviderState)
#include "tst_provider_state.moc"
