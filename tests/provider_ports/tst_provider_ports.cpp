// Local dev-server discovery against real processes: python servers started in temporary
// projects are found with their process, kind, title and project name, published, routed through
// a real control plane and proxy, and forgotten when they exit.
#include "core/control/api/ports_endpoints.h"
#include "core/control/control_plane.h"
#include "core/provider/ports/listener_table.h"
#include "core/provider/ports/ports_provider.h"
#include "core/proxy/proxy_server.h"
#include "tests/provider_ports/dev_server_process.h"
#include "tests/testkit/proxy_fixture.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/wait.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;
using namespace std::chrono_literals;
using provider::ports::PortsProvider;
using provider::ports::ProcessInfo;
using provider::ports::Proposal;
using testkit::DevServerProcess;
using testkit::waitUntil;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

/// A temporary project: package.json `{"name": NAME}` (when given) and an index page titled
/// TITLE, inside a fresh temporary directory.
struct TempProject
{
    explicit TempProject(const QByteArray &name, const QByteArray &title = "Shop &amp; Co")
    {
        if (!name.isEmpty())
            writeFile(dir.filePath(QStringLiteral("package.json")), "{\"name\": \"" + name + "\"}");
        writeFile(dir.filePath(QStringLiteral("index.html")),
            "<html><head><title>\n  " + title + "\n</title></head><body>" + name
                + "</body></html>");
    }
    QString path() const { return dir.path(); }
    QTemporaryDir dir;
};

config::PortsProviderSpec fastSpec(const char *publish = "manual")
{
    config::PortsProviderSpec spec;
    spec.publish = QLatin1String(publish);
    spec.interval = 50ms;
    return spec;
}

/// Limits discovery to this test process and its children: other tests running in parallel have
/// listeners too, and probing them would both slow this test and disturb theirs.
void onlyThisTest(PortsProvider &provider)
{
    const qint64 self = QCoreApplication::applicationPid();
    provider.setProcessFilter([self](const ProcessInfo &process) {
        return process.pid == self || process.parentPid == self;
    });
}

/// A provider scanning every 50 ms with short probe timeouts, started.
std::unique_ptr<PortsProvider> startedProvider(
    const QString &choices, const char *publish = "manual")
{
    auto provider = std::make_unique<PortsProvider>(fastSpec(publish), choices);
    onlyThisTest(*provider);
    provider->setProbeTimeouts({ 300ms });
    provider->start();
    return provider;
}

std::optional<Proposal> proposalFor(const PortsProvider &provider, qint64 pid)
{
    for (const Proposal &proposal : provider.proposals()) {
        if (proposal.pid == pid)
            return proposal;
    }
    return std::nullopt;
}

/// The body of `GET /` with Host `host` through the proxy, or "<status>" on an error status.
QByteArray fetch(quint16 port, const QByteArray &host)
{
    testkit::RawClient client;
    if (!client.connectTo(port))
        return "connect failed";
    client.send("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
    const auto &responses = client.waitForResponses(1);
    if (responses.empty())
        return "no response";
    return responses.front().status == 200 ? responses.front().body
                                           : QByteArray::number(responses.front().status);
}

QStringList routerNames(const config::DynamicConfig &snapshot)
{
    QStringList names;
    for (const config::RouterSpec &router : snapshot.routers)
        names.append(router.name + QLatin1Char(' ') + router.rule);
    return names;
}

} // namespace

class tst_ProviderPorts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void listenerTableFindsOwnerOnce_data();
    void listenerTableFindsOwnerOnce();
    void discoversPackageJsonProject();
    void namesGitRepositoryRoot();
    void ipv6OnlyListener();
    void nonHttpListenerIsNotProposed();
    void publishRoutesThroughProxyUntilExit();
    void collisionsGetSuffixes();
    void autoModePublishesAtOnce();
    void publishedChoicePersists();
    void apiEndpoints();

private:
    QTemporaryDir m_home;
    QString m_choices;
};

void tst_ProviderPorts::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("PORTICO_HOME", m_home.path().toUtf8());
}

void tst_ProviderPorts::init()
{
    static int n = 0;
    m_choices = m_home.filePath(QStringLiteral("ports-%1.json").arg(++n));
}

void tst_ProviderPorts::listenerTableFindsOwnerOnce_data()
{
    QTest::addColumn<bool>("proc");
    QTest::newRow("sock_diag netlink") << false;
    QTest::newRow("/proc/net/tcp fallback") << true;
}

void tst_ProviderPorts::listenerTableFindsOwnerOnce()
{
    QFETCH(bool, proc);
    QTcpServer v4, v6, any;
    QVERIFY(v4.listen(QHostAddress::LocalHost, 0));
    QVERIFY(v6.listen(QHostAddress::LocalHostIPv6, 0));
    QVERIFY(any.listen(QHostAddress::AnyIPv4, 0));
    const auto table
        = proc ? provider::ports::makeProcListenerTable() : provider::ports::makeListenerTable();
    auto find = [](const std::vector<provider::ports::Listener> &all, quint16 port) {
        for (const auto &l : all) {
            if (l.port == port)
                return l;
        }
        return provider::ports::Listener {};
    };
    const auto first = table->read();
    QCOMPARE(find(first, v4.serverPort()).address, std::string("127.0.0.1"));
    QCOMPARE(find(first, v4.serverPort()).pid, QCoreApplication::applicationPid());
    QCOMPARE(find(first, v6.serverPort()).address, std::string("::1"));
    QVERIFY(find(first, v6.serverPort()).ipv6);
    QCOMPARE(find(first, v6.serverPort()).pid, QCoreApplication::applicationPid());
    QCOMPARE(find(first, any.serverPort()).address, std::string("0.0.0.0"));
    QCOMPARE(find(first, any.serverPort()).uid, qint64(provider::ports::currentUserId()));
    const quint64 scans = table->ownerScans();
    QVERIFY(scans >= 1);
    for (int i = 0; i < 3; ++i) // steady state: owners come from the cache
        QCOMPARE(find(table->read(), v4.serverPort()).pid, QCoreApplication::applicationPid());
    QCOMPARE(table->ownerScans(), scans);
    v4.close();
    QCOMPARE(find(table->read(), v4.serverPort()).port, quint16(0));
}

void tst_ProviderPorts::discoversPackageJsonProject()
{
    TempProject project("@acme/ports-shop");
    DevServerProcess server;
    QVERIFY(server.startHttpServer(project.path()));
    auto provider = startedProvider(m_choices);
    QSignalSpy snapshots(provider.get(), &PortsProvider::snapshotReady);
    QVERIFY(waitUntil([&] { return proposalFor(*provider, server.pid()).has_value(); }));
    const Proposal found = *proposalFor(*provider, server.pid());
    QCOMPARE(found.port, server.port());
    QCOMPARE(found.addresses, QStringList { QStringLiteral("127.0.0.1") });
    QCOMPARE(found.kind, QStringLiteral("http.server"));
    QCOMPARE(found.title, QStringLiteral("Shop & Co"));
    QCOMPARE(found.proposedName, QStringLiteral("ports-shop"));
    QCOMPARE(QFileInfo(found.workingDirectory).canonicalFilePath(),
        QFileInfo(project.path()).canonicalFilePath());
    QVERIFY2(
        found.commandLine.contains(QLatin1String("http.server")), qPrintable(found.commandLine));
    QCOMPARE(found.url, QStringLiteral("http://127.0.0.1:%1").arg(server.port()));
    QCOMPARE(found.id, QStringLiteral("%1-%2").arg(server.port()).arg(server.pid()));
    QVERIFY(!found.published);
    QCOMPARE(snapshots.count(), 0); // manual mode: nothing routed, nothing re-emitted
}

void tst_ProviderPorts::namesGitRepositoryRoot()
{
    QTemporaryDir parent;
    const QString root = parent.filePath(QStringLiteral("Billing_Service"));
    const QString web = root + QStringLiteral("/web");
    QVERIFY(QDir().mkpath(web));
    QCOMPARE(QProcess::execute(
                 QStringLiteral("git"), { QStringLiteral("init"), QStringLiteral("-q"), root }),
        0);
    writeFile(web + QStringLiteral("/index.html"), "<title>Billing</title>");
    DevServerProcess server;
    QVERIFY(server.startHttpServer(web));
    auto provider = startedProvider(m_choices);
    QVERIFY(waitUntil([&] { return proposalFor(*provider, server.pid()).has_value(); }));
    const Proposal found = *proposalFor(*provider, server.pid());
    QCOMPARE(found.proposedName, QStringLiteral("billing-service"));
    QCOMPARE(QFileInfo(found.projectRoot).canonicalFilePath(), QFileInfo(root).canonicalFilePath());
    QCOMPARE(found.title, QStringLiteral("Billing"));
}

void tst_ProviderPorts::ipv6OnlyListener()
{
    TempProject project("ports-six");
    DevServerProcess server;
    QVERIFY(server.startHttpServer(project.path(), QStringLiteral("::1")));
    auto provider = startedProvider(m_choices);
    QVERIFY(waitUntil([&] { return proposalFor(*provider, server.pid()).has_value(); }));
    const Proposal found = *proposalFor(*provider, server.pid());
    QCOMPARE(found.addresses, QStringList { QStringLiteral("::1") });
    QCOMPARE(found.url, QStringLiteral("http://[::1]:%1").arg(server.port()));
    QCOMPARE(found.title, QStringLiteral("Shop & Co"));
    QSignalSpy snapshots(provider.get(), &PortsProvider::snapshotReady);
    QVERIFY(provider->publish(found.id).ok());
    QCOMPARE(snapshots.count(), 1);
    const auto snapshot = snapshots.at(0).at(0).value<config::DynamicConfig>();
    QCOMPARE(snapshot.services.at(0).loadBalancer->servers.at(0).url, found.url);
}

void tst_ProviderPorts::nonHttpListenerIsNotProposed()
{
    QTemporaryDir dir;
    // Answers every connection with an SSH-like banner, like a non-HTTP service would.
    const QString script = QStringLiteral(
        "import socket\n"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
        "print('port', s.getsockname()[1])\n"
        "while True:\n"
        "    c, _ = s.accept(); c.sendall(b'SSH-2.0-OpenSSH_9.2\\r\\n'); c.close()\n");
    DevServerProcess banner, silent;
    QVERIFY(banner.start(dir.path(), { QStringLiteral("-c"), script }));
    QVERIFY(silent.start(dir.path(),
        { QStringLiteral("-c"),
            QStringLiteral("import socket, time\ns = socket.socket(); s.bind(('127.0.0.1', 0)); "
                           "s.listen()\nprint('port', s.getsockname()[1])\ntime.sleep(600)\n") }));
    auto provider = startedProvider(m_choices);
    provider->scan(); // both listen already, so this scan sees them
    QVERIFY(waitUntil([&] { return provider->undecidedCount() == 0; }));
    QVERIFY(!proposalFor(*provider, banner.pid()));
    QVERIFY(!proposalFor(*provider, silent.pid()));
}

void tst_ProviderPorts::publishRoutesThroughProxyUntilExit()
{
    TempProject project("ports-route", "Shop");
    DevServerProcess server;
    QVERIFY(server.startHttpServer(project.path()));

    config::StaticConfig staticConfig;
    staticConfig.entryPoints = { testkit::loopbackEntryPoint() };
    staticConfig.entryPoints[0].asDefault = true;
    proxy::ProxyServer proxy;
    QVERIFY(proxy.listen(staticConfig.entryPoints, {}, 1).ok());
    control::ControlPlane plane(staticConfig);
    auto owned = std::make_unique<PortsProvider>(fastSpec(), m_choices);
    PortsProvider *provider = owned.get();
    onlyThisTest(*provider);
    provider->setProbeTimeouts({ 300ms });
    plane.addProvider(std::move(owned));
    QObject::connect(&plane, &control::ControlPlane::routingTableReady, &proxy,
        &proxy::ProxyServer::setRoutingTable);
    plane.start();
    const quint16 port = proxy.port(QStringLiteral("web"));

    QVERIFY(waitUntil([&] { return proposalFor(*provider, server.pid()).has_value(); }));
    QCOMPARE(fetch(port, "ports-route.localhost"), QByteArray("404"));
    QVERIFY(provider->publish(proposalFor(*provider, server.pid())->id).ok());
    QVERIFY(waitUntil(
        [&] { return fetch(port, "ports-route.localhost").contains("<body>ports-route</body>"); }));
    QVERIFY(plane.state().routers.count(QStringLiteral("ports-route@ports")));

    server.stop();
    QVERIFY(waitUntil([&] { return !proposalFor(*provider, server.pid()); }));
    QVERIFY(waitUntil([&] { return fetch(port, "ports-route.localhost") == "404"; }));
    QVERIFY(QFile::exists(m_choices)); // the choice outlives the server
}

void tst_ProviderPorts::collisionsGetSuffixes()
{
    TempProject project("twin");
    DevServerProcess first, second;
    QVERIFY(first.startHttpServer(project.path()));
    QVERIFY(second.startHttpServer(project.path(), QStringLiteral("::1")));
    auto provider = startedProvider(m_choices);
    QVERIFY(waitUntil([&] {
        return proposalFor(*provider, first.pid()) && proposalFor(*provider, second.pid());
    }));
    const QSet<QString> names { proposalFor(*provider, first.pid())->proposedName,
        proposalFor(*provider, second.pid())->proposedName };
    QCOMPARE(names, (QSet<QString> { QStringLiteral("twin"), QStringLiteral("twin-2") }));

    // Publishing the `twin-2` one under `twin` while `twin` is unpublished takes the name over.
    const Proposal other = proposalFor(*provider, second.pid())->proposedName == u"twin-2"
        ? *proposalFor(*provider, second.pid())
        : *proposalFor(*provider, first.pid());
    const auto published = provider->publish(other.id, QStringLiteral("twin"));
    QVERIFY(published.ok());
    QCOMPARE(published->proposedName, QStringLiteral("twin"));
    QCOMPARE(published->published, true);
    const Proposal rest
        = *proposalFor(*provider, other.pid == first.pid() ? second.pid() : first.pid());
    QCOMPARE(rest.proposedName, QStringLiteral("twin-2"));
    const auto taken = provider->publish(rest.id, QStringLiteral("twin"));
    QVERIFY(!taken.ok());
    QVERIFY2(taken.error().message.contains(QLatin1String("already used")),
        qPrintable(taken.error().toString()));
    const auto invalid = provider->publish(rest.id, QStringLiteral("Twin Two"));
    QVERIFY(!invalid.ok());
    QCOMPARE(invalid.error().hint, QStringLiteral("a DNS label such as \"twin-two\""));
}

void tst_ProviderPorts::autoModePublishesAtOnce()
{
    TempProject project("auto-shop");
    DevServerProcess server;
    QVERIFY(server.startHttpServer(project.path()));
    auto provider = std::make_unique<PortsProvider>(fastSpec("auto"), m_choices);
    onlyThisTest(*provider);
    QSignalSpy snapshots(provider.get(), &PortsProvider::snapshotReady);
    provider->start();
    QCOMPARE(snapshots.count(), 1); // the first snapshot comes synchronously, before probing
    const QString route = QStringLiteral("auto-shop Host(`auto-shop.localhost`)");
    auto routed = [&] {
        return routerNames(snapshots.last().at(0).value<config::DynamicConfig>()).contains(route);
    };
    QVERIFY(waitUntil(routed));
    QVERIFY(proposalFor(*provider, server.pid())->published);

    // Declining in auto mode sticks: the route goes and is not re-added by the next scans.
    QVERIFY(provider->unpublish(proposalFor(*provider, server.pid())->id).ok());
    QVERIFY(!routed());
    for (int i = 0; i < 3; ++i)
        provider->scan();
    QVERIFY(!routed());
    QVERIFY(!proposalFor(*provider, server.pid())->published);
}

void tst_ProviderPorts::publishedChoicePersists()
{
    TempProject project("shop");
    DevServerProcess server;
    QVERIFY(server.startHttpServer(project.path()));
    {
        auto provider = startedProvider(m_choices);
        QVERIFY(waitUntil([&] { return proposalFor(*provider, server.pid()).has_value(); }));
        QVERIFY(
            provider->publish(
                        proposalFor(*provider, server.pid())->id, QStringLiteral("storefront"))
                .ok());
    }
    auto provider = std::make_unique<PortsProvider>(fastSpec(), m_choices);
    onlyThisTest(*provider);
    QSignalSpy snapshots(provider.get(), &PortsProvider::snapshotReady);
    provider->start();
    QVERIFY(waitUntil([&] { return snapshots.count() >= 2; })); // manual: only ours is routed
    QCOMPARE(routerNames(snapshots.last().at(0).value<config::DynamicConfig>()),
        QStringList { QStringLiteral("storefront Host(`storefront.localhost`)") });
    QCOMPARE(proposalFor(*provider, server.pid())->proposedName, QStringLiteral("storefront"));
}

void tst_ProviderPorts::apiEndpoints()
{
    TempProject project("api-shop");
    DevServerProcess server;
    QVERIFY(server.startHttpServer(project.path()));
    auto provider = startedProvider(m_choices);
    QVERIFY(waitUntil([&] { return proposalFor(*provider, server.pid()).has_value(); }));
    control::api::ApiRouter router;
    control::api::registerPortsEndpoints(router, *provider);
    auto call = [&](const QByteArray &method, const QString &path, const QByteArray &body = {}) {
        const auto match = router.match(method, path);
        if (!match.handler)
            return control::api::ApiResponse::error(match.methodNotAllowed ? 405 : 404, {});
        control::api::ApiRequest request;
        request.method = method;
        request.path = path;
        request.body = body;
        request.captures = match.captures;
        return (*match.handler)(request);
    };
    const auto list = call("GET", QStringLiteral("/api/portico/proposals"));
    QCOMPARE(list.status, 200);
    QJsonObject entry;
    for (const QJsonValue &value : QJsonDocument::fromJson(list.body).array()) {
        if (value[QLatin1String("pid")].toInteger() == server.pid())
            entry = value.toObject();
    }
    QCOMPARE(entry[QLatin1String("proposedName")].toString(), QStringLiteral("api-shop"));
    QCOMPARE(entry[QLatin1String("kind")].toString(), QStringLiteral("http.server"));
    QCOMPARE(entry[QLatin1String("port")].toInt(), int(server.port()));
    QCOMPARE(entry[QLatin1String("published")].toBool(), false);
    const QString publishPath = QStringLiteral("/api/portico/proposals/%1/publish")
                                    .arg(entry[QLatin1String("id")].toString());

    QCOMPARE(call("PUT", publishPath, "{\"name\": \"Not A Label\"}").status, 400);
    QCOMPARE(call("PUT", publishPath, "[1]").status, 400);
    QCOMPARE(call("PUT", QStringLiteral("/api/portico/proposals/1-1/publish")).status, 404);
    const auto published = call("PUT", publishPath, "{\"name\": \"store\"}");
    QCOMPARE(published.status, 200);
    QCOMPARE(QJsonDocument::fromJson(published.body)[QLatin1String("proposedName")].toString(),
        QStringLiteral("store"));
    QVERIFY(proposalFor(*provider, server.pid())->published);
    const auto unpublished = call("DELETE", publishPath);
    QCOMPARE(unpublished.status, 200);
    QCOMPARE(QJsonDocument::fromJson(unpublished.body)[QLatin1String("published")].toBool(), false);
    QCOMPARE(call("POST", publishPath).status, 405);
}

QTEST_MAIN(tst_ProviderPorts)
#include "tst_provider_ports.moc"
