#include "core/proxy/tcp_entry.h"

#include "core/common/log.h"
#include "core/proxy/clock.h"
#include "core/proxy/engine.h"
#include "core/proxy/tcp_proxy.h"
#include "core/proxy/tcp_routing.h"
#include "core/proxy/tls_server.h"

namespace portico::proxy {

std::unique_ptr<TcpEntry> TcpEntry::create(Engine &engine, Stream &stream, const QHostAddress &peer,
    const EntryPointContextPtr &entryPoint, std::function<void()> handBack,
    std::function<void()> closed)
{
    const RoutingTablePtr &table = engine.routingTable();
    if (!table || !table->tcp)
        return nullptr;
    const TcpEntryPointRoutes *routes = table->tcp->forEntryPoint(entryPoint->name);
    if (!routes || (routes->plainRoutes.empty() && routes->tlsRoutes.empty()))
        return nullptr;
    auto entry = std::make_unique<TcpEntry>(engine, stream, peer, entryPoint, table, *routes);
    entry->m_handBack = std::move(handBack);
    entry->m_closed = std::move(closed);
    entry->start();
    return entry;
}

TcpEntry::TcpEntry(Engine &engine, Stream &stream, QHostAddress peer,
    EntryPointContextPtr entryPoint, RoutingTablePtr table, const TcpEntryPointRoutes &routes)
    : m_engine(engine)
    , m_stream(stream)
    , m_peer(std::move(peer))
    , m_entryPoint(std::move(entryPoint))
    , m_table(std::move(table))
    , m_routes(routes)
    , m_since(nowMs())
{ }

TcpEntry::~TcpEntry() = default;

QString TcpEntry::router() const
{
    return m_route ? m_route->router : QString();
}

void TcpEntry::start()
{
    m_stream.setHandler(this);
    if (!m_routes.decidesAtAccept())
        return;
    // Server-first protocols (a database greeting, SMTP) send nothing until the server spoke:
    // with only plain TCP routers here there is nothing to wait for. Queued, so the owner is
    // registered with the engine before the connection can end.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (m_decided || !m_stream.isOpen())
                return;
            if (const TcpRoute *route = m_routes.matchSilent(m_peer))
                take(*route);
        },
        Qt::QueuedConnection);
}

void TcpEntry::onStreamInput(Stream &)
{
    if (!m_decided)
        classify(false);
}

void TcpEntry::onStreamEof(Stream &)
{
    if (!m_decided)
        classify(true);
}

void TcpEntry::classify(bool eof)
{
    const ClientHelloInfo hello = peekClientHello(m_stream.input().view());
    const TcpDecision decision = m_routes.decide(hello, m_peer);
    switch (decision.kind) {
    case TcpDecision::Kind::Wait:
        if (eof)
            finish(); // a truncated ClientHello: nobody can serve it
        return;
    case TcpDecision::Kind::Http: {
        m_decided = true;
        auto handBack = std::move(m_handBack);
        handBack();
        return;
    }
    case TcpDecision::Kind::Route:
        take(*decision.route);
        return;
    }
}

void TcpEntry::take(const TcpRoute &route)
{
    m_decided = true;
    m_route = &route;
    if (!route.admits(m_peer)) {
        qCDebug(lcProxy) << "tcp router" << route.router << "refuses" << m_peer << "(ipAllowList)";
        return finish();
    }
    qCDebug(lcProxy) << "tcp router" << route.router << "takes a connection from" << m_peer;
    if (!route.tls || route.passthrough)
        return proxy();
    if (!TlsServerHandshake::available(m_table))
        return finish();
    // Terminate TLS with the certificate chosen by SNI, as for HTTPS routers.
    m_tls = std::make_unique<TlsServerHandshake>(m_engine, m_stream, m_entryPoint->name, m_table);
    m_tls->start(nowMs());
}

void TcpEntry::onStreamConnected(Stream &)
{
    if (m_tls && m_tls->inProgress()) {
        m_tls->finish();
        proxy();
    }
}

void TcpEntry::proxy()
{
    const TcpTarget *target = m_route->balancer ? m_route->balancer->pick() : nullptr;
    if (!target)
        return finish();
    m_proxy = std::make_unique<TcpProxy>(m_stream, *target, [this] { finish(); });
    m_proxy->start();
}

void TcpEntry::finish()
{
    m_stream.close();
    if (m_closed) {
        auto closed = std::move(m_closed);
        m_closed = nullptr;
        closed();
    }
}

void TcpEntry::onStreamError(Stream &, int error)
{
    qCDebug(lcProxy) << "tcp: client" << m_peer << "failed:" << net::errorString(error)
                     << m_stream.tlsError();
    finish();
}

void TcpEntry::onStreamDrained(Stream &) { }

void TcpEntry::beginShutdown()
{
    if (!m_proxy)
        finish();
}

void TcpEntry::forceClose()
{
    if (m_proxy)
        return m_proxy->forceClose();
    finish();
}

void TcpEntry::checkTimeouts(qint64 nowMs)
{
    if (m_proxy)
        return m_proxy->checkTimeouts(nowMs);
    if (m_tls && m_tls->inProgress()) {
        if (m_tls->timedOut(nowMs, m_entryPoint->readTimeoutMs))
            finish();
        return;
    }
    // Traefik peeks under the entry point's readTimeout.
    if (!m_decided && m_entryPoint->readTimeoutMs > 0
        && nowMs - m_since > m_entryPoint->readTimeoutMs)
        finish();
}

} // namespace portico::proxy
