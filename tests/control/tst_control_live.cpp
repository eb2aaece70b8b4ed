// The control plane driving a real proxy: a file provider feeds it, health checks take servers
// out of rotation and put them back, and every change reaches the engines without a restart.
#include "core/control/control_plane.h"
#include "core/provider/file/file_provider.h"
#include "core/proxy/proxy_server.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/proxy_fixture.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/wait.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;
using testkit::HttpServer;

namespace {

/// A backend that answers `/` with its name and `/health` with a switchable status.
struct NamedBackend
{
    explicit NamedBackend(QByteArray name)
        : server([this, name](const testkit::ReceivedRequest &request, QTcpSocket *socket) {
            if (request.target == "/health")
                HttpServer::respond(socket, healthStatus, "health");
            else
                HttpServer::respond(socket, 200, name);
        })
    {
        server.listen();
    }
    int healthStatus = 200;
    HttpServer server;
};

/// The body of one `GET /` through the proxy on a fresh connection ("503:..." for errors).
QByteArray fetch(quint16 port)
{
    testkit::RawClient client;
    if (!client.connectTo(port))
        return "connect failed";
    client.send("GET / HTTP/1.1\r\nHost: app.localhost\r\n\r\n");
    const auto &responses = client.waitForResponses(1);
    if (responses.empty())
        return "no response";
    const auto &r = responses.front();
    return r.status == 200 ? r.body : QByteArray::number(r.status) + ':' + r.body;
}

/// The set of bodies seen over `n` requests.
QSet<QByteArray> spread(quint16 port, int n = 8)
{
    QSet<QByteArray> seen;
    for (int i = 0; i < n; ++i)
        seen.insert(fetch(port));
    return seen;
}

QByteArray routes(const NamedBackend &a, const NamedBackend &b)
{
    return "http:\n  routers:\n    app: {rule: \"Host(`app.localhost`)\", service: app}\n"
           "  services:\n    app:\n      loadBalancer:\n"
           "        healthCheck: {path: /health, interval: 50ms, timeout: 1s}\n"
           "        servers:\n"
           "          - url: "
        + a.server.url().toUtf8() + "\n          - url: " + b.server.url().toUtf8() + "\n";
}

} // namespace

class tst_ControlLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void healthChecksRemoveAndRestoreServers();
};

void tst_ControlLive::healthChecksRemoveAndRestoreServers()
{
    NamedBackend a("a"), b("b");
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("routes.yaml")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(routes(a, b));
    file.close();

    config::StaticConfig staticConfig;
    staticConfig.entryPoints = { testkit::loopbackEntryPoint() };
    staticConfig.entryPoints[0].asDefault = true;
    proxy::ProxyServer proxy;
    QVERIFY(proxy.listen(staticConfig.entryPoints, {}, 1).ok());
    control::ControlPlane plane(staticConfig);
    config::FileProviderSpec fileSpec;
    fileSpec.filename = file.fileName();
    plane.addProvider(std::make_unique<provider::FileProvider>(fileSpec));
    QObject::connect(&plane, &control::ControlPlane::routingTableReady, &proxy,
        &proxy::ProxyServer::setRoutingTable);
    QSignalSpy states(&plane, &control::ControlPlane::stateChanged);
    plane.start();
    const quint16 port = proxy.port(QStringLiteral("web"));

    QVERIFY(testkit::waitUntil([&] { return spread(port) == QSet<QByteArray> { "a", "b" }; }));

    a.healthStatus = 500; // a fails its checks: every request must go to b
    QVERIFY(testkit::waitUntil([&] {
        return plane.state().services.at(QStringLiteral("app@file")).serverStatus.at(a.server.url())
            == u"DOWN";
    }));
    QCOMPARE(spread(port, 12), QSet<QByteArray> { "b" });

    a.healthStatus = 200; // a recovers and rejoins the rotation
    QVERIFY(testkit::waitUntil([&] { return spread(port) == QSet<QByteArray> { "a", "b" }; }));

    a.healthStatus = b.healthStatus = 503; // nothing healthy left
    QVERIFY(testkit::waitUntil([&] { return fetch(port) == "503:no available server\n"; }));
    QVERIFY(states.count() >= 3);
}

QTEST_MAIN(tst_ControlLive)
#include "tst_control_live.moc"
