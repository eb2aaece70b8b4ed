#include "app/core_runtime.h"

#include "core/control/control_plane.h"
#include "core/provider/file/file_provider.h"

namespace portico::app {

CoreRuntime::CoreRuntime(config::StaticConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_plane(new control::ControlPlane(m_config))
{
    if (m_config.fileProvider)
        addProvider(std::make_unique<provider::FileProvider>(*m_config.fileProvider));
    m_controlThread.setObjectName(QStringLiteral("control"));
    m_plane->moveToThread(&m_controlThread);
    connect(&m_controlThread, &QThread::finished, m_plane, &QObject::deleteLater);
    // The engines take tables from any thread (ProxyServer posts them on), so no hop through here.
    connect(m_plane, &control::ControlPlane::routingTableReady, &m_server,
        &proxy::ProxyServer::setRoutingTable, Qt::DirectConnection);
    connect(m_plane, &control::ControlPlane::stateChanged, this, &CoreRuntime::stateChanged,
        Qt::QueuedConnection);
    connect(m_plane, &control::ControlPlane::providerFailed, this, &CoreRuntime::providerFailed,
        Qt::QueuedConnection);
    connect(&m_server, &proxy::ProxyServer::finished, this, &CoreRuntime::finished);
}

void CoreRuntime::addProvider(std::unique_ptr<provider::Provider> provider)
{
    const QString name = provider->name();
    // Queued to this thread, in order with the stateChanged of the build it triggers.
    connect(
        provider.get(), &provider::Provider::snapshotReady, this,
        [this, name] { Q_EMIT providerRead(name); }, Qt::QueuedConnection);
    m_plane->addProvider(std::move(provider));
}

CoreRuntime::~CoreRuntime()
{
    // The control thread goes first so no table reaches a server being torn down.
    m_controlThread.quit();
    m_controlThread.wait();
}

Expected<void> CoreRuntime::listen()
{
    return m_server.listen(m_config.entryPoints, m_config.serversTransport, m_config.engineThreads);
}

void CoreRuntime::startControl()
{
    if (m_controlThread.isRunning())
        return;
    m_controlThread.start();
    QMetaObject::invokeMethod(m_plane, &control::ControlPlane::start, Qt::QueuedConnection);
}

void CoreRuntime::shutdown()
{
    m_server.shutdown(m_config.graceTimeout);
}

QStringList CoreRuntime::urls(const QString &entryPoint) const
{
    QStringList out;
    for (const auto &bound : m_server.boundAddresses()) {
        if (bound.entryPoint != entryPoint)
            continue;
        const QString host = bound.address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + bound.address.toString() + u']'
            : bound.address.toString();
        out << QStringLiteral("http://%1:%2").arg(host).arg(bound.port);
    }
    return out;
}

std::map<QString, quint16> CoreRuntime::ports() const
{
    std::map<QString, quint16> out;
    for (const auto &bound : m_server.boundAddresses())
        out[bound.entryPoint] = bound.port;
    return out;
}

} // namespace portico::app
