#pragma once

#include "core/proxy/entry_point.h"
#include "core/proxy/routing_table.h"
#include "core/proxy/stream.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>

namespace portico::proxy {

class Engine;
class TcpProxy;
class TlsServerHandshake;
struct TcpEntryPointRoutes;
struct TcpRoute;

/// The first-bytes classifier of a connection on an entry point with TCP routers: reads the
/// ClientHello without consuming it (bounded size and time), then either hands the connection
/// to a TCP router — TLS passthrough (the buffered hello is replayed to the server), TLS
/// termination then plain TCP, or plain TCP — or hands it back to HTTP with every byte still
/// in the stream's input (Traefik pkg/server/router/tcp/router.go ServeTCP). Drives the Stream
/// its owner (H1ServerConnection) keeps; engine thread only.
class TcpEntry final : public QObject, public StreamHandler
{
public:
    /// A classifier that took over `stream` when the engine's routing table has TCP routers on
    /// this entry point, else nullptr (and nothing changed). `handBack` runs when the
    /// connection is HTTP after all (the owner becomes the stream's handler again and may
    /// retire this object with deleteLater); `closed` when the connection is over.
    static std::unique_ptr<TcpEntry> create(Engine &engine, Stream &stream,
        const QHostAddress &peer, const EntryPointContextPtr &entryPoint,
        std::function<void()> handBack, std::function<void()> closed);
    TcpEntry(Engine &engine, Stream &stream, QHostAddress peer, EntryPointContextPtr entryPoint,
        RoutingTablePtr table, const TcpEntryPointRoutes &routes);
    ~TcpEntry() override;

    /// Graceful stop: a connection still being classified closes; proxied ones run until the
    /// engine's grace period ends (Traefik waits for TCP connections the same way).
    void beginShutdown();
    /// Closes at once.
    void forceClose();
    /// readTimeout while classifying, the TLS handshake limit, terminationDelay while proxying.
    void checkTimeouts(qint64 nowMs);
    /// The router that took the connection, empty while undecided (for logs and tests).
    QString router() const;

    // StreamHandler
    void onStreamInput(Stream &stream) override;
    void onStreamEof(Stream &stream) override;
    void onStreamError(Stream &stream, int error) override;
    void onStreamDrained(Stream &stream) override;
    void onStreamConnected(Stream &stream) override;

private:
    void start();
    void classify(bool eof);
    void take(const TcpRoute &route);
    void proxy();
    void finish();

    Engine &m_engine;
    Stream &m_stream;
    QHostAddress m_peer;
    EntryPointContextPtr m_entryPoint;
    RoutingTablePtr m_table; ///< keeps m_routes and the chosen route alive
    const TcpEntryPointRoutes &m_routes;
    std::function<void()> m_handBack;
    std::function<void()> m_closed;
    const TcpRoute *m_route = nullptr;
    std::unique_ptr<TlsServerHandshake> m_tls; ///< TLS termination in progress or done
    std::unique_ptr<TcpProxy> m_proxy;
    qint64 m_since = 0;
    bool m_decided = false;
};

} // namespace portico::proxy
