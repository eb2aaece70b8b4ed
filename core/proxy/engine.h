#pragma once

#include "core/config/static_spec.h"
#include "core/proxy/connection_gauges.h"
#include "core/proxy/entry_point.h"
#include "core/proxy/exchange.h"
#include "core/proxy/routing_table.h"
#include "core/proxy/socket.h"
#include "core/proxy/tls_server.h"

#include <QObject>

#include <atomic>
#include <chrono>
#include <memory>
#include <unordered_set>
#include <vector>

class QSocketNotifier;
class QTimer;

namespace portico::proxy {

class H1ServerConnection;
class Poller;
class UpstreamPool;

/// Shared by the engines of one server: the client connections they hold together. An engine
/// above its fair share leaves new connections to the others, so a burst of connects (a load
/// generator's 50) spreads evenly over the threads instead of by who woke first (even p99).
struct AcceptBalance
{
    std::atomic<int> connections { 0 };
    int engines = 1;
};

/// One engine thread's data plane: accepts from the shared listening sockets, owns its client
/// connections and its upstream pool for their whole life, and serves them with the routing
/// table it was last given. Every method runs on the engine's own thread (queued calls only).
class Engine final : public QObject
{
    Q_OBJECT
public:
    /// A listening socket shared by all engines and the entry point it belongs to.
    struct Listener
    {
        net::Handle socket = net::InvalidHandle;
        EntryPointContextPtr entryPoint;
    };

    Engine(std::vector<Listener> listeners, const config::ServersTransportSpec &transport,
        QByteArray serverHostname);
    ~Engine() override;

    /// Starts accepting (call on the engine thread) once the first routing table is there: until
    /// then connections wait in the listen backlog, so the first request after start is routed,
    /// and its TLS handshake answered, like any later one (not a 404 or a failed handshake).
    void start();
    /// Swaps the routing table; exchanges already running keep theirs. The first table starts
    /// accepting.
    void setRoutingTable(RoutingTablePtr table);
    /// Stops accepting, closes idle connections, lets busy ones finish their current response,
    /// force-closes what is left after `grace`; emits drained() when nothing is left.
    void beginShutdown(std::chrono::milliseconds grace);

    const RoutingTablePtr &routingTable() const { return m_table; }
    EngineServices &services() { return m_services; }
    /// Exchanges publish their records to `hub` (null: no capture); before start().
    void setCaptureHub(observe::CaptureHub *hub) { m_services.capture = hub; }
    bool shuttingDown() const { return m_shuttingDown; }
    size_t connectionCount() const { return m_connections.size(); }
    /// Called by a connection that closed; it is deleted from the event loop.
    void release(H1ServerConnection *connection);
    /// Counts this engine's open connections per entry point there (before start()).
    void setConnectionGauge(std::shared_ptr<ConnectionGauges::Slot> slot)
    {
        m_gauge = std::move(slot);
    }
    /// Spreads accepted connections evenly with the other engines sharing `balance` (before start).
    void setAcceptBalance(std::shared_ptr<AcceptBalance> balance)
    {
        m_balance = std::move(balance);
    }
    /// The local CA's leaves as this engine sees them (TLS handshakes waiting for issuance).
    TlsLeafWaiters &tlsLeaves() { return m_tlsLeaves; }

Q_SIGNALS:
    /// A TLS handshake needs a leaf certificate for `name` (connect to LeafService::requestLeaf).
    void leafWanted(const QString &name);
    /// Shutdown finished: no client connection is left.
    void drained();

private:
    void acceptFrom(size_t listenerIndex);
    bool aboveFairShare() const;
    void pauseAccepting();
    /// Enables the listeners' notifiers when accepting is allowed: a table, not paused, not
    /// shutting down.
    void resumeAccepting();
    void sweep();
    void checkDrained();

    std::vector<Listener> m_listeners;
    config::ServersTransportSpec m_transport;
    std::unique_ptr<Poller> m_poller; ///< declared first of the owners: destroyed last
    std::vector<std::unique_ptr<QSocketNotifier>> m_notifiers;
    std::unordered_set<H1ServerConnection *> m_connections; ///< owned; deleted via deleteLater
    RoutingTablePtr m_table;
    std::unique_ptr<UpstreamPool> m_pool;
    EngineServices m_services;
    TlsLeafWaiters m_tlsLeaves;
    std::shared_ptr<ConnectionGauges::Slot> m_gauge;
    std::shared_ptr<AcceptBalance> m_balance;
    bool m_acceptPaused = false;
    QTimer *m_sweepTimer = nullptr;
    QTimer *m_graceTimer = nullptr;
    bool m_shuttingDown = false;
    bool m_drainedEmitted = false;
};

} // namespace portico::proxy
