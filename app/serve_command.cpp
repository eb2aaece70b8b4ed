#include "app/command_line.h"
#include "app/commands.h"
#include "app/logging.h"
#include "core/common/termination_signal.h"
#include "core/control/control_plane.h"
#include "core/provider/file/file_provider.h"
#include "core/proxy/proxy_server.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QThread>

namespace portico::app {

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

/// The control thread: providers, merging, table builds and health checks live there.
class ControlThread
{
public:
    explicit ControlThread(const config::StaticConfig &config)
        : m_plane(new control::ControlPlane(config))
    {
        if (config.fileProvider)
            m_plane->addProvider(std::make_unique<provider::FileProvider>(*config.fileProvider));
        m_thread.setObjectName(QStringLiteral("control"));
        m_plane->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_plane, &QObject::deleteLater);
    }
    ~ControlThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    control::ControlPlane *plane() const { return m_plane; }
    void start()
    {
        m_thread.start();
        QMetaObject::invokeMethod(m_plane, &control::ControlPlane::start, Qt::QueuedConnection);
    }

private:
    QThread m_thread;
    control::ControlPlane *m_plane;
};

void printListening(const config::StaticConfig &config, const proxy::ProxyServer &server)
{
    for (const auto &ep : config.entryPoints) {
        QStringList urls;
        for (const auto &bound : server.boundAddresses()) {
            if (bound.entryPoint != ep.name)
                continue;
            const QString host = bound.address.protocol() == QAbstractSocket::IPv6Protocol
                ? u'[' + bound.address.toString() + u']'
                : bound.address.toString();
            urls << QStringLiteral("http://%1:%2").arg(host).arg(bound.port);
        }
        err() << QStringLiteral("portico: entry point \"%1\" listening on %2\n")
                     .arg(ep.name, urls.join(QStringLiteral(", ")));
    }
    err().flush();
}

} // namespace

int runServe(const QStringList &arguments)
{
    const auto options = parseRunOptions(arguments);
    if (!options) {
        err() << "portico: " << options.error().toString() << Qt::endl;
        return 2;
    }
    const config::StaticConfigResult loaded = resolveStaticConfig(*options);
    if (!loaded.ok()) {
        for (const Error &e : loaded.errors)
            err() << "portico: " << e.toString() << '\n';
        err().flush();
        return 2;
    }
    const config::StaticConfig &config = loaded.config;
    configureLogging(config.log);

    proxy::ProxyServer server;
    const auto listening
        = server.listen(config.entryPoints, config.serversTransport, config.engineThreads);
    if (!listening) {
        err() << "portico: " << listening.error().toString() << Qt::endl;
        return 1;
    }
    printListening(config, server);

    ControlThread control(config);
    QObject::connect(control.plane(), &control::ControlPlane::routingTableReady, &server,
        &proxy::ProxyServer::setRoutingTable, Qt::DirectConnection);
    control.start();

    TerminationSignal termination;
    QObject::connect(&termination, &TerminationSignal::received, &server, [&](const QString &name) {
        err() << "portico: " << name << " received, finishing in-flight requests (grace "
              << config.graceTimeout.count() << " ms)" << Qt::endl;
        server.shutdown(config.graceTimeout);
    });
    QObject::connect(&server, &proxy::ProxyServer::finished, qApp, &QCoreApplication::quit);
    return QCoreApplication::exec();
}

} // namespace portico::app
