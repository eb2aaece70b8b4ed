#include "core/proxy/engine.h"

#include "core/common/log.h"
#include "core/proxy/clock.h"
#include "core/proxy/h1_server_connection.h"
#include "core/proxy/poller.h"
#include "core/proxy/upstream_pool.h"

#include <QSocketNotifier>
#include <QTimer>

namespace portico::proxy {

namespace {

/// Timeouts are checked by one periodic sweep per engine instead of a timer per connection.
constexpr int kSweepIntervalMs = 100;
/// With no client connections only idle upstream connections are left to expire (after
/// IdleConnTimeout, 90 s by default): a slower sweep keeps an idle engine nearly asleep.
constexpr int kPoolOnlySweepIntervalMs = 2000;
/// Connections accepted per wake-up before other work gets a turn.
constexpr int kAcceptBatch = 32;

} // namespace

Engine::Engine(std::vector<Listener> listeners, const config::ServersTransportSpec &transport,
    QByteArray serverHostname)
    : m_listeners(std::move(listeners))
    , m_transport(transport)
{
    m_services.serverHostname = std::move(serverHostname);
}

Engine::~Engine()
{
    const std::vector<H1ServerConnection *> left(m_connections.begin(), m_connections.end());
    m_connections.clear();
    for (H1ServerConnection *c : left)
        delete c;
    m_notifiers.clear();
    m_pool.reset();
    if (Poller::current() == m_poller.get())
        Poller::setCurrent(nullptr);
}

void Engine::start()
{
    // Created here so the poller, the pool and its connections live on the engine thread.
    m_poller = Poller::create();
    Poller::setCurrent(m_poller.get());
    m_pool = std::make_unique<UpstreamPool>(m_transport);
    m_services.pool = m_pool.get();
    for (size_t i = 0; i < m_listeners.size(); ++i) {
        auto notifier
            = std::make_unique<QSocketNotifier>(m_listeners[i].socket, QSocketNotifier::Read);
        connect(notifier.get(), &QSocketNotifier::activated, this, [this, i] { acceptFrom(i); });
        notifier->setEnabled(false);
        m_notifiers.push_back(std::move(notifier));
    }
    resumeAccepting();
    m_sweepTimer = new QTimer(this);
    m_sweepTimer->setInterval(kSweepIntervalMs);
    connect(m_sweepTimer, &QTimer::timeout, this, &Engine::sweep);
}

void Engine::acceptFrom(size_t listenerIndex)
{
    const Listener &listener = m_listeners[listenerIndex];
    for (int i = 0; i < kAcceptBatch && !m_shuttingDown; ++i) {
        if (aboveFairShare()) {
            pauseAccepting();
            return;
        }
        QHostAddress peer;
        quint16 peerPort = 0;
        int error = 0;
        const net::Handle socket = net::accept(listener.socket, &peer, &error, &peerPort);
        if (socket == net::InvalidHandle) {
            if (error != 0)
                qCWarning(lcProxy) << "accept failed on entry point" << listener.entryPoint->name
                                   << ":" << net::errorString(error);
            return;
        }
        auto *connection
            = new H1ServerConnection(*this, socket, peer, listener.entryPoint, peerPort);
        m_connections.insert(connection);
        if (m_balance)
            m_balance->connections.fetch_add(1, std::memory_order_relaxed);
        if (!m_sweepTimer->isActive() || m_sweepTimer->interval() != kSweepIntervalMs)
            m_sweepTimer->start(kSweepIntervalMs); // runs while something can time out
        if (m_gauge)
            m_gauge->opened(listener.entryPoint->name);
    }
}

bool Engine::aboveFairShare() const
{
    if (!m_balance || m_balance->engines <= 1)
        return false;
    // The engine holding the fewest connections is never above the average: one always accepts.
    const int total = m_balance->connections.load(std::memory_order_relaxed);
    return int(m_connections.size()) > total / m_balance->engines;
}

/// The listening sockets stay readable until another engine accepts: stop watching them for a
/// moment instead of spinning on them.
void Engine::pauseAccepting()
{
    if (m_acceptPaused)
        return;
    m_acceptPaused = true;
    for (auto &notifier : m_notifiers)
        notifier->setEnabled(false);
    QTimer::singleShot(1, this, [this] {
        m_acceptPaused = false;
        resumeAccepting();
    });
}

void Engine::resumeAccepting()
{
    if (!m_table || m_acceptPaused || m_shuttingDown)
        return;
    for (auto &notifier : m_notifiers)
        notifier->setEnabled(true);
}

void Engine::setRoutingTable(RoutingTablePtr table)
{
    const bool first = !m_table;
    m_table = std::move(table);
    if (first)
        resumeAccepting();
}

void Engine::release(H1ServerConnection *connection)
{
    if (m_connections.erase(connection) == 0)
        return;
    if (m_balance)
        m_balance->connections.fetch_sub(1, std::memory_order_relaxed);
    if (m_gauge)
        m_gauge->closed(connection->entryPointName());
    connection->deleteLater();
    checkDrained();
}

void Engine::sweep()
{
    const qint64 now = nowMs();
    const std::vector<H1ServerConnection *> all(m_connections.begin(), m_connections.end());
    for (H1ServerConnection *c : all) {
        if (m_connections.count(c))
            c->checkTimeouts(now);
    }
    m_pool->checkTimeouts(now);
    if (!m_connections.empty())
        return;
    if (m_pool->size() == 0)
        m_sweepTimer->stop();
    else if (m_sweepTimer->interval() != kPoolOnlySweepIntervalMs)
        m_sweepTimer->setInterval(kPoolOnlySweepIntervalMs);
}

void Engine::beginShutdown(std::chrono::milliseconds grace)
{
    if (m_shuttingDown)
        return;
    if (!m_pool)
        start(); // shut down before it ever ran
    m_shuttingDown = true;
    m_notifiers.clear(); // stop accepting; the sockets stay open until every engine stopped
    m_pool->closeIdle();
    const std::vector<H1ServerConnection *> all(m_connections.begin(), m_connections.end());
    for (H1ServerConnection *c : all) {
        if (m_connections.count(c))
            c->beginShutdown();
    }
    m_graceTimer = new QTimer(this);
    m_graceTimer->setSingleShot(true);
    connect(m_graceTimer, &QTimer::timeout, this, [this] {
        const std::vector<H1ServerConnection *> left(m_connections.begin(), m_connections.end());
        for (H1ServerConnection *c : left) {
            if (m_connections.count(c))
                c->forceClose();
        }
        checkDrained();
    });
    m_graceTimer->start(grace);
    checkDrained();
}

void Engine::checkDrained()
{
    if (!m_shuttingDown || m_drainedEmitted || !m_connections.empty())
        return;
    m_drainedEmitted = true;
    if (m_graceTimer)
        m_graceTimer->stop();
    m_pool->closeIdle();
    Q_EMIT drained();
}

} // namespace portico::proxy
