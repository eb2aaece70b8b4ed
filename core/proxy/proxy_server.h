#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"
#include "core/proxy/connection_gauges.h"
#include "core/proxy/routing_table.h"
#include "core/proxy/socket.h"
#include "core/tls/local_ca.h"

#include <QHostAddress>
#include <QObject>

#include <chrono>
#include <memory>
#include <vector>

class QThread;

namespace portico::tls {
class LeafService;
}

namespace portico::observe {
class CaptureHub;
}

namespace portico::proxy {

class Engine;

/// The data plane as the control plane and the app see it. Lives on the calling thread and is
/// used only from there (tables from the control thread arrive through a queued connection).
///
/// Usage: `listen()` binds every entry point (synchronously, so errors come back at once) and
/// starts the engine threads; `setRoutingTable()` may be called before or after and posts the
/// table to every engine; `port()` reports the bound port (useful with port 0);
/// `shutdown(grace)` stops accepting, lets in-flight exchanges finish (kept-alive connections
/// close after their current response), force-closes what is left after `grace`, joins the
/// threads and then emits finished(). The object may be destroyed after finished(), or at any
/// time (the destructor shuts down with no grace and waits).
class ProxyServer final : public QObject
{
    Q_OBJECT
public:
    /// One bound listening address.
    struct BoundAddress
    {
        QString entryPoint;
        QHostAddress address;
        quint16 port = 0;
    };

    explicit ProxyServer(QObject *parent = nullptr);
    ~ProxyServer() override;

    /// Binds each entry point once (host empty = 127.0.0.1 and ::1; `0.0.0.0` / `::` = every
    /// address; port 0 = a free port, the same for all of the entry point's addresses) and
    /// starts `threads` engine threads (0 = one per core) that all accept from those sockets.
    /// On failure nothing stays bound and the error says how to fix it.
    Expected<void> listen(const std::vector<config::EntryPointSpec> &entryPoints,
        const config::ServersTransportSpec &transport, int threads = 0);
    /// Serves on-demand leaves from `service` (which lives on the control thread and must
    /// outlive this server's engines) to TLS handshakes; call before listen(). Without it, TLS
    /// connections get user certificates or the default certificate only.
    void setLeafService(tls::LeafService *service) { m_leafService = service; }
    /// Loads or creates the local CA in `caDirectory` and serves its leaves (as setLeafService),
    /// the issuer living on `issuerThread` (the control thread). The server owns it. On failure
    /// TLS still works with user and default certificates, and the error says why.
    Expected<void> useLocalCa(
        const QString &caDirectory, QThread *issuerThread, const tls::CaOptions &options = {});
    /// Every exchange publishes its record to `hub` (thread-safe; must outlive the engines);
    /// call before listen(). Without it nothing is recorded and capture costs nothing.
    void setCaptureHub(observe::CaptureHub *hub) { m_captureHub = hub; }
    /// The local CA's issuer, if any.
    tls::LeafService *leafService() const { return m_leafService; }
    /// The port entry point `name` listens on, 0 when it is not bound.
    quint16 port(const QString &name) const;
    std::vector<BoundAddress> boundAddresses() const { return m_bound; }
    /// Posts a new routing table to every engine; exchanges in flight keep their old one.
    void setRoutingTable(RoutingTablePtr table);
    /// Graceful stop; finished() follows once every engine thread is joined.
    void shutdown(std::chrono::milliseconds grace);
    bool isRunning() const { return !m_threads.empty(); }
    /// Open client connections per entry point, counted by the engines; the object may be read
    /// from any thread and outlives the server while shared.
    std::shared_ptr<const ConnectionGauges> connectionGauges() const { return m_gauges; }
    int threadCount() const { return int(m_threads.size()); }

Q_SIGNALS:
    /// shutdown() completed: nothing listens any more and all engine threads are joined.
    void finished();

private:
    struct Socket
    {
        net::Handle handle = net::InvalidHandle;
        int entryPoint = 0;
    };

    Expected<void> bindEntryPoint(const config::EntryPointSpec &spec, int index);
    void onEngineDrained();
    void joinAll();
    void closeSockets();
    void connectLeafService(Engine *engine);

    std::vector<Socket> m_sockets;
    std::vector<BoundAddress> m_bound;
    std::vector<QThread *> m_threads;
    std::vector<Engine *> m_engines;
    RoutingTablePtr m_table;
    tls::LeafService *m_leafService = nullptr;
    observe::CaptureHub *m_captureHub = nullptr;
    std::unique_ptr<tls::LeafService> m_ownedLeafService; ///< from useLocalCa()
    std::shared_ptr<ConnectionGauges> m_gauges = std::make_shared<ConnectionGauges>();
    int m_drained = 0;
    bool m_stopping = false;
};

} // namespace portico::proxy
