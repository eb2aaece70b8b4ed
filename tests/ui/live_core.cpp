#include "tests/ui/live_core.h"

#include "tests/testkit/testkit.h"

#include <QSaveFile>
#include <QTest>

namespace portico::testkit {

namespace {

config::EntryPointSpec loopback()
{
    config::EntryPointSpec spec;
    spec.name = QStringLiteral("web");
    spec.host = QStringLiteral("127.0.0.1");
    spec.address = QStringLiteral("127.0.0.1:0");
    spec.asDefault = true;
    return spec;
}

} // namespace

LiveCore::LiveCore(std::optional<config::EntryPointSpec> entryPoint)
    : m_backend(
        [](const ReceivedRequest &, QTcpSocket *socket) { HttpServer::respond(socket, 200, "ok"); })
    , m_downUrl(closedLoopbackUrl())
{
    m_backend.listen();
    writeRoutes(routes());
    config::StaticConfig config;
    config.entryPoints = { entryPoint.value_or(loopback()) };
    config.fileProvider = config::FileProviderSpec { routesPath(), {}, true };
    config.engineThreads = 1;
    config.graceTimeout = std::chrono::milliseconds(100);
    m_core = std::make_unique<app::CoreRuntime>(config);
    QObject::connect(
        m_core.get(), &app::CoreRuntime::stateChanged, &status, &ui::CoreStatus::setState);
    QObject::connect(m_core.get(), &app::CoreRuntime::providerFailed, &status,
        &ui::CoreStatus::setProviderFailed);
    QObject::connect(
        m_core.get(), &app::CoreRuntime::providerRead, &status, &ui::CoreStatus::setProviderRead);
}

QByteArray LiveCore::routes(const QString &brokenRule) const
{
    return "http:\n"
           "  routers:\n"
           "    app:\n"
           "      rule: \"Host(`app.localhost`)\"\n"
           "      service: app\n"
           "    broken:\n"
           "      rule: \""
        + brokenRule.toUtf8()
        + "\"\n"
          "      service: app\n"
          "  services:\n"
          "    app:\n"
          "      loadBalancer:\n"
          "        healthCheck: {path: /health, interval: 50ms, timeout: 1s}\n"
          "        servers:\n"
          "          - url: "
        + m_backend.url().toUtf8() + "\n          - url: " + m_downUrl.toUtf8() + "\n";
}

void LiveCore::writeRoutes(const QByteArray &content)
{
    QSaveFile file(routesPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    QVERIFY(file.commit());
}

Expected<void> LiveCore::start()
{
    auto listening = m_core->listen();
    if (listening)
        status.setListening(m_core->urls(QStringLiteral("web")), m_core->ports());
    else
        status.setListenError(listening.error());
    m_core->startControl();
    return listening;
}

} // namespace portico::testkit
