#include "core/proxy/proxy_server.h"

#include "core/common/log.h"
#include "core/proxy/engine.h"
#include "core/tls/leaf_service.h"

#include <QHostInfo>
#include <QSysInfo>
#include <QThread>

namespace portico::proxy {

namespace {

/// The addresses an entry point's host stands for (static_spec.h): empty = every address (one
/// dual-stack `::` socket, or `0.0.0.0` without IPv6), `localhost` = 127.0.0.1 and ::1. An
/// optional target may be missing on a machine without IPv6; a fallback is used only then.
struct BindTarget
{
    QHostAddress address;
    bool required = true;
    bool fallback = false;
};

std::vector<BindTarget> bindTargets(const QString &host)
{
    const QString h
        = host.startsWith(u'[') && host.endsWith(u']') ? host.mid(1, host.size() - 2) : host;
    if (h.isEmpty())
        return { { QHostAddress(QHostAddress::AnyIPv6), false, false },
            { QHostAddress(QHostAddress::AnyIPv4), true, true } };
    if (h.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return { { QHostAddress(QHostAddress::LocalHost), true, false },
            { QHostAddress(QHostAddress::LocalHostIPv6), false, false } };
    QHostAddress literal;
    if (literal.setAddress(h))
        return { { literal, true } };
    std::vector<BindTarget> out;
    for (const QHostAddress &a : QHostInfo::fromName(h).addresses())
        out.push_back({ a, out.empty() });
    return out;
}

QString describe(const QHostAddress &address, quint16 port)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol
        ? QStringLiteral("[%1]:%2").arg(address.toString()).arg(port)
        : QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}

} // namespace

ProxyServer::ProxyServer(QObject *parent)
    : QObject(parent)
{ }

ProxyServer::~ProxyServer()
{
    if (!m_threads.empty()) {
        for (Engine *engine : m_engines) {
            QMetaObject::invokeMethod(
                engine, [engine] { engine->beginShutdown(std::chrono::milliseconds(0)); },
                Qt::QueuedConnection);
        }
        joinAll();
    }
    closeSockets();
    // Issuance may be running on the control thread: delete it there, or here once it stopped.
    if (auto *service = m_ownedLeafService.release()) {
        if (service->thread() && service->thread()->isRunning())
            service->deleteLater();
        else
            delete service;
    }
}

Expected<void> ProxyServer::useLocalCa(
    const QString &caDirectory, QThread *issuerThread, const tls::CaOptions &options)
{
    Q_ASSERT(m_threads.empty());
    auto service = tls::LeafService::create(caDirectory, options);
    if (!service)
        return service.error();
    m_ownedLeafService = std::move(*service);
    if (issuerThread) {
        m_ownedLeafService->moveToThread(issuerThread);
        connect(issuerThread, &QThread::finished, m_ownedLeafService.get(), &tls::LeafService::stop,
            Qt::DirectConnection);
    }
    m_leafService = m_ownedLeafService.get();
    return {};
}

Expected<void> ProxyServer::bindEntryPoint(const config::EntryPointSpec &spec, int index)
{
    const std::vector<BindTarget> targets = bindTargets(spec.host);
    if (targets.empty()) {
        return Error { QStringLiteral("cannot listen for entry point \"%1\": host \"%2\" does not "
                                      "resolve")
                           .arg(spec.name, spec.host),
            spec.where, QString() };
    }
    quint16 port = spec.port;
    bool anyBound = false;
    for (const BindTarget &target : targets) {
        if (target.fallback && anyBound)
            continue;
        int error = 0;
        const bool v6Only = target.address != QHostAddress(QHostAddress::AnyIPv6);
        const net::Handle socket = net::listen(target.address, port, v6Only, &error);
        if (socket == net::InvalidHandle) {
            const net::ErrorKind kind = net::classify(error);
            if (!target.required && kind == net::ErrorKind::AddressNotAvailable)
                continue;
            return Error { QStringLiteral("cannot listen on %1 for entry point \"%2\": %3")
                               .arg(describe(target.address, port), spec.name,
                                   net::errorString(error)),
                spec.where, net::listenHint(kind, port) };
        }
        // Port 0: every address of the entry point shares the port the first one got.
        port = net::localPort(socket);
        anyBound = true;
        m_sockets.push_back({ socket, index });
        m_bound.push_back({ spec.name, target.address, port });
    }
    return {};
}

Expected<void> ProxyServer::listen(const std::vector<config::EntryPointSpec> &entryPoints,
    const config::ServersTransportSpec &transport, int threads)
{
    Q_ASSERT(m_threads.empty());
    net::initialize();
    std::vector<Engine::Listener> listeners;
    std::vector<EntryPointContextPtr> contexts;
    for (size_t i = 0; i < entryPoints.size(); ++i) {
        auto context = EntryPointContext::create(entryPoints[i]);
        Expected<void> bound
            = context ? bindEntryPoint(entryPoints[i], int(i)) : Expected<void>(context.error());
        if (!bound) {
            closeSockets();
            return bound.error();
        }
        contexts.push_back(*context);
    }
    for (const Socket &s : m_sockets)
        listeners.push_back({ s.handle, contexts[size_t(s.entryPoint)] });

    const QByteArray hostname = QSysInfo::machineHostName().toUtf8();
    const int count = threads > 0 ? threads : std::max(1, QThread::idealThreadCount());
    auto balance = std::make_shared<AcceptBalance>();
    balance->engines = count;
    for (int i = 0; i < count; ++i) {
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("portico-engine-%1").arg(i));
        auto *engine = new Engine(listeners, transport, hostname);
        engine->setCaptureHub(m_captureHub);
        engine->setAcceptBalance(balance);
        engine->setConnectionGauge(m_gauges->addEngine(entryPoints));
        engine->moveToThread(thread);
        connect(thread, &QThread::finished, engine, &QObject::deleteLater);
        connect(
            engine, &Engine::drained, this, &ProxyServer::onEngineDrained, Qt::QueuedConnection);
        connectLeafService(engine);
        thread->start();
        RoutingTablePtr table = m_table;
        QMetaObject::invokeMethod(
            engine,
            [engine, table] {
                engine->setRoutingTable(table);
                engine->start();
            },
            Qt::QueuedConnection);
        m_threads.push_back(thread);
        m_engines.push_back(engine);
    }
    return {};
}

void ProxyServer::connectLeafService(Engine *engine)
{
    tls::LeafService *service = m_leafService;
    if (!service)
        return;
    // Straight between the engine and control threads: issuance never waits on the GUI thread.
    connect(
        engine, &Engine::leafWanted, service, &tls::LeafService::requestLeaf, Qt::QueuedConnection);
    connect(service, &tls::LeafService::leafReady, engine,
        [engine](const QString &name, bool ok,
            const std::shared_ptr<const tls::CertificateStore> &store) {
            engine->tlsLeaves().onLeafReady(name, ok, store);
        });
    connect(service, &tls::LeafService::storeChanged, engine,
        [engine](const std::shared_ptr<const tls::CertificateStore> &store) {
            engine->tlsLeaves().onStoreChanged(store);
        });
    connect(service, &tls::LeafService::caChanged, engine,
        [engine](const std::shared_ptr<const tls::CertificateStore> &store,
            const tls::NamePolicy &policy) { engine->tlsLeaves().onCaChanged(store, policy); });
    QMetaObject::invokeMethod(
        engine,
        [engine, store = service->snapshot(), policy = service->policy()] {
            engine->tlsLeaves().configure(
                store, policy, [engine](const QString &name) { Q_EMIT engine->leafWanted(name); });
        },
        Qt::QueuedConnection);
}

quint16 ProxyServer::port(const QString &name) const
{
    for (const BoundAddress &b : m_bound) {
        if (b.entryPoint == name)
            return b.port;
    }
    return 0;
}

void ProxyServer::setRoutingTable(RoutingTablePtr table)
{
    m_table = table;
    if (m_stopping) // the engines are draining with the table they have
        return;
    for (Engine *engine : m_engines) {
        QMetaObject::invokeMethod(
            engine, [engine, table] { engine->setRoutingTable(table); }, Qt::QueuedConnection);
    }
}

void ProxyServer::shutdown(std::chrono::milliseconds grace)
{
    if (m_threads.empty()) {
        closeSockets();
        QMetaObject::invokeMethod(this, &ProxyServer::finished, Qt::QueuedConnection);
        return;
    }
    if (m_stopping)
        return;
    m_stopping = true;
    for (Engine *engine : m_engines) {
        QMetaObject::invokeMethod(
            engine, [engine, grace] { engine->beginShutdown(grace); }, Qt::QueuedConnection);
    }
}

void ProxyServer::onEngineDrained()
{
    if (++m_drained < int(m_engines.size()))
        return;
    joinAll();
    closeSockets();
    Q_EMIT finished();
}

void ProxyServer::joinAll()
{
    for (QThread *thread : m_threads) {
        thread->quit();
        thread->wait();
        delete thread;
    }
    m_threads.clear();
    m_engines.clear();
}

void ProxyServer::closeSockets()
{
    for (const Socket &s : m_sockets)
        net::close(s.handle);
    m_sockets.clear();
    m_bound.clear();
}

} // namespace portico::proxy
