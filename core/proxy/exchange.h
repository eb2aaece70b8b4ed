#pragma once

#include "core/middleware/middleware.h"
#include "core/observe/capture_tap.h"
#include "core/proxy/byte_buffer.h"
#include "core/proxy/entry_point.h"
#include "core/proxy/exchange_io.h"
#include "core/proxy/routing_table.h"

#include <QHostAddress>

#include <optional>

namespace portico::proxy {

class UpstreamChannel;
class UpstreamPool;

/// Per-engine facts an exchange needs.
struct EngineServices
{
    UpstreamPool *pool = nullptr;
    QByteArray serverHostname; ///< X-Forwarded-Server, computed once
    observe::CaptureHub *capture = nullptr; ///< null: capture disabled, no records at all
};

/// One request/response exchange through the proxy, independent of the downstream protocol:
/// forwarded-headers → canonical host / routing path → router (404) → middlewares (may answer
/// locally) → load balancer (503) → upstream connection (502/504) → response back through the
/// middlewares → downstream. Bodies stream both ways with back-pressure; a 101 turns the exchange
/// into a two-way tunnel. It holds the routing table it started with until it ends.
class Exchange final : public UpstreamListener
{
public:
    Exchange(EngineServices &engine, const EntryPointContext &entryPoint, RoutingTablePtr table,
        Downstream &downstream, http::RequestHead request, BodyInfo requestBody, QHostAddress peer,
        QByteArray peerText);
    ~Exchange() override;
    /// Exchanges come and go once per request on an engine thread: freed blocks are kept in a
    /// small per-thread cache and reused, which saves an allocation per request.
    static void *operator new(size_t size);
    static void operator delete(void *block, size_t size);

    /// Routes the request and answers it or starts forwarding it.
    void start();
    /// Request body bytes (raw client bytes once tunnelling).
    void onRequestBody(QByteArrayView data);
    /// The request is complete (for a tunnel: the client closed).
    void onRequestComplete(const HeaderList &trailers);
    /// End of one batch of downstream input: flush what was queued toward the upstream.
    void onRequestBatchEnd();
    /// The downstream has room again after responseCongested().
    void onDownstreamDrained();
    /// The client went away: drop the upstream connection; no more downstream calls follow.
    void onDownstreamGone();

    const http::RequestHead &request() const { return m_request; }
    /// After the exchange ended: its request header storage, for the connection's parser to
    /// reuse for the next request (no header vector allocated per keep-alive request).
    std::vector<HeaderField> takeRequestHeaderStorage()
    {
        return std::move(m_request.headers.fields());
    }
    const Route *route() const { return m_route; }

    // UpstreamListener
    void onUpstreamConnected() override;
    void onUpstreamResponseHead(http::ResponseHead &head, BodyInfo body) override;
    void onUpstreamResponseBody(QByteArrayView data) override;
    void onUpstreamResponseComplete(const HeaderList &trailers) override;
    void onUpstreamFailed(UpstreamError error, bool gotResponseBytes) override;
    void onUpstreamDrained() override;
    void onUpstreamBatchEnd() override;

private:
    bool prepareRequest();
    void respond(middleware::LocalResponse response);
    void sendLocal(middleware::LocalResponse &response);
    void forward();
    void connectUpstream(bool fresh);
    bool replayable() const;

    EngineServices &m_engine;
    const EntryPointContext &m_entryPoint;
    RoutingTablePtr m_table;
    Downstream &m_downstream;
    http::RequestHead m_request;
    BodyInfo m_requestBody;
    QHostAddress m_peer;
    QByteArray m_peerText; ///< the peer address as X-Forwarded-For / X-Real-Ip spell it
    middleware::RequestContext m_context;
    QByteArray m_host;
    QByteArray m_routingPath;
    QByteArray m_query;
    const Route *m_route = nullptr;
    const service::Server *m_server = nullptr;
    UpstreamChannel *m_upstream = nullptr; ///< HTTP/1.1 connection or HTTP/2 stream
    ByteBuffer m_pendingBody; ///< request body received before the upstream connected
    HeaderList m_requestTrailers;
    std::optional<middleware::LocalResponse> m_deferred;
    bool m_requestComplete = false;
    bool m_responseStarted = false;
    bool m_responseDone = false;
    bool m_responsePaused = false;
    bool m_tunnel = false;
    bool m_retried = false;
    bool m_reusedUpstream = false;
    bool m_upgrade = false; ///< an Upgrade request (WebSocket): HTTP/1.1 upstream only
    observe::CaptureTap m_tap; ///< inactive (no-op calls) when capture is off
};

} // namespace portico::proxy
