#include "tests/control_api/api_fixture.h"

#include "core/common/paths.h"
#include "core/control/control_plane.h"
#include "tests/testkit/testkit.h"
#include "tests/testkit/wait.h"

#include <QFile>
#include <QJsonObject>

namespace portico::testkit {

namespace {

config::EntryPointSpec loopback(const QString &name, bool asDefault)
{
    config::EntryPointSpec spec;
    spec.name = name;
    spec.host = QStringLiteral("127.0.0.1");
    spec.address = QStringLiteral("127.0.0.1:0");
    spec.asDefault = asDefault;
    return spec;
}

QByteArray routes(const QString &up, const QString &down)
{
    return "http:\n"
           "  routers:\n"
           "    app: {rule: \"Host(`app.localhost`)\", service: app, middlewares: [strip]}\n"
           "    broken: {rule: \"Host(`broken.localhost`)\", service: missing}\n"
           "    warn: {rule: \"Host(`warn.localhost`)\", service: app, entryPoints: [web, nope]}\n"
           "    api: {rule: \"Host(`portico.localhost`)\", service: api@internal}\n"
           "  services:\n"
           "    app:\n"
           "      loadBalancer:\n"
           "        healthCheck: {path: /health, interval: 5s, timeout: 1s}\n"
           "        servers:\n"
           "          - url: "
        + up.toUtf8() + "\n          - url: " + down.toUtf8()
        + "\n"
          "  middlewares:\n"
          "    strip: {stripPrefix: {prefixes: [/x]}}\n";
}

} // namespace

ApiFixture::ApiFixture()
    : m_oldHome(qgetenv("PORTICO_HOME"))
    , m_backend([](const ReceivedRequest &, QTcpSocket *socket) {
        HttpServer::respond(socket, 200, "ok");
    })
    , m_downUrl(closedLoopbackUrl())
{
    qputenv("PORTICO_HOME", m_home.path().toUtf8());
    m_backend.listen();
    const QString routesPath = m_home.filePath(QStringLiteral("routes.yaml"));
    QFile file(routesPath);
    if (file.open(QIODevice::WriteOnly))
        file.write(routes(m_backend.url(), m_downUrl));
    file.close();

    config::StaticConfig config;
    config.entryPoints
        = { loopback(QStringLiteral("web"), true), loopback(QStringLiteral("traefik"), false) };
    config.fileProvider = config::FileProviderSpec { routesPath, {}, false };
    config.api = config::ApiSpec {};
    config.api->insecure = true;
    config.engineThreads = 1;
    config.graceTimeout = std::chrono::milliseconds(100);
    m_core = std::make_unique<app::CoreRuntime>(config);
    QObject::connect(m_core.get(), &app::CoreRuntime::stateChanged, m_core.get(),
        [this](const control::RuntimeState &state) { m_state = state; });
    m_core->addApiEndpoints([](control::api::ApiRouter &router, control::ControlPlane &) {
        router.add("PUT", QStringLiteral("/api/test/echo/{name}"), control::api::Access::Mutating,
            [](const control::api::ApiRequest &request) {
                return control::api::ApiResponse::json(QJsonDocument(QJsonObject {
                    { QStringLiteral("name"), request.captures.value(0) },
                    { QStringLiteral("body"), QJsonDocument::fromJson(request.body).object() } }));
            });
    });
}

ApiFixture::~ApiFixture()
{
    m_core.reset();
    if (m_oldHome.isNull())
        qunsetenv("PORTICO_HOME");
    else
        qputenv("PORTICO_HOME", m_oldHome);
}

bool ApiFixture::start()
{
    if (!m_core->listen())
        return false;
    m_core->startControl();
    return waitUntil(
        [this] {
            const auto it = m_state.services.find(QStringLiteral("app@file"));
            return it != m_state.services.end() && it->second.serverStatus[m_downUrl] == u"DOWN"
                && m_state.routers.count(QStringLiteral("api@internal")) == 1;
        },
        10000);
}

QByteArray ApiFixture::token() const
{
    QFile file(paths::apiTokenPath());
    return file.open(QIODevice::ReadOnly) ? file.readAll().trimmed() : QByteArray();
}

RawResponse ApiFixture::request(quint16 port, const QByteArray &method, const QByteArray &target,
    const QList<QByteArray> &headers, const QByteArray &body, bool noHost)
{
    RawClient client;
    if (!client.connectTo(port))
        return {};
    QByteArray head = method + ' ' + target + (noHost ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
    const bool hasHost = std::any_of(headers.begin(), headers.end(),
        [](const QByteArray &h) { return h.toLower().startsWith("host:"); });
    if (!hasHost && !noHost)
        head += "Host: 127.0.0.1:" + QByteArray::number(port) + "\r\n";
    for (const QByteArray &header : headers)
        head += header + "\r\n";
    const bool hasLength = std::any_of(headers.begin(), headers.end(),
        [](const QByteArray &h) { return h.toLower().startsWith("content-length:"); });
    if (!hasLength && (!body.isEmpty() || method == "PUT" || method == "POST"))
        head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    client.send(head + "Connection: close\r\n\r\n" + body);
    client.expectMethods({ method });
    const auto &responses = client.waitForResponses(1);
    return responses.empty() ? RawResponse {} : responses.front();
}

QJsonDocument ApiFixture::json(const QByteArray &target) const
{
    const RawResponse response = get(target);
    return response.status == 200 ? QJsonDocument::fromJson(response.body) : QJsonDocument();
}

} // namespace portico::testkit
