#include "core/proxy/exchange.h"

#include "core/common/log.h"
#include "core/http/forwarded.h"
#include "core/http/hop_by_hop.h"
#include "core/http/request_target.h"
#include "core/proxy/local_response.h"
#include "core/proxy/upstream_channel.h"
#include "core/proxy/upstream_pool.h"

namespace portico::proxy {

namespace {

/// Local answers wait for a small request body to arrive (so the connection can stay open);
/// bigger or unknown bodies are not waited for and the connection closes after the answer.
constexpr qint64 kWaitForBodyUpTo = 64 * 1024;

/// Go's singleJoiningSlash: `/prefix/` + `/path` → `/prefix/path`.
QByteArray joinPaths(const QByteArray &prefix, const QByteArray &path)
{
    if (prefix.isEmpty() || prefix == "/")
        return path;
    if (prefix.endsWith('/') && path.startsWith('/'))
        return prefix + path.mid(1);
    if (!prefix.endsWith('/') && !path.startsWith('/'))
        return prefix + '/' + path;
    return prefix + path;
}

/// The capture's words for an upstream failure (ExchangeRecord::error).
QString upstreamErrorText(UpstreamError error)
{
    switch (error) {
    case UpstreamError::ConnectFailed:
        return QStringLiteral("upstream connect failed");
    case UpstreamError::ConnectTimeout:
        return QStringLiteral("upstream connect timed out");
    case UpstreamError::TlsFailed:
        return QStringLiteral("upstream tls handshake failed");
    case UpstreamError::Closed:
        return QStringLiteral("upstream closed the connection");
    case UpstreamError::HeaderTimeout:
        return QStringLiteral("upstream response header timed out");
    case UpstreamError::Malformed:
        return QStringLiteral("malformed upstream response");
    }
    return QStringLiteral("upstream failed");
}

#if defined(__SANITIZE_ADDRESS__)
#define PORTICO_POOL_EXCHANGES 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PORTICO_POOL_EXCHANGES 0
#endif
#endif
#ifndef PORTICO_POOL_EXCHANGES
#define PORTICO_POOL_EXCHANGES 1
#endif
/// Under AddressSanitizer every exchange gets fresh memory, so a use after free is still caught.
constexpr bool kPoolExchanges = PORTICO_POOL_EXCHANGES;

/// The engine thread's freed Exchange blocks (all of one size), given back at thread exit.
class ExchangeBlocks
{
public:
    ~ExchangeBlocks()
    {
        for (int i = 0; i < m_count; ++i)
            ::operator delete(m_blocks[i]);
    }
    void *take() { return m_count > 0 ? m_blocks[--m_count] : nullptr; }
    bool keep(void *block)
    {
        if (m_count == kMax)
            return false;
        m_blocks[m_count++] = block;
        return true;
    }

private:
    static constexpr int kMax = 16;
    void *m_blocks[kMax] = {};
    int m_count = 0;
};

thread_local ExchangeBlocks t_exchangeBlocks;

/// http::canonicalHost() remembered for the engine thread's last Host value: clients send the
/// same Host on every request of a connection, so the answer is shared instead of rebuilt.
QByteArray canonicalHostOf(const QByteArray &host)
{
    thread_local QByteArray lastHost;
    thread_local QByteArray lastCanonical;
    if (host != lastHost || host.isNull() != lastHost.isNull()) {
        lastCanonical = http::canonicalHost(host);
        lastHost = host;
    }
    return lastCanonical;
}

} // namespace

Exchange::Exchange(EngineServices &engine, const EntryPointContext &entryPoint,
    RoutingTablePtr table, Downstream &downstream, http::RequestHead request, BodyInfo requestBody,
    QHostAddress peer, QByteArray peerText)
    : m_engine(engine)
    , m_entryPoint(entryPoint)
    , m_table(std::move(table))
    , m_downstream(downstream)
    , m_request(std::move(request))
    , m_requestBody(requestBody)
    , m_peer(std::move(peer))
    , m_peerText(std::move(peerText))
    , m_context { m_request, m_peer, entryPoint.tls, entryPoint.name }
{
    if (m_engine.capture) // the request head as received, before anything rewrites it
        m_tap.begin(*m_engine.capture, m_downstream.connectionFacts(), entryPoint.name,
            entryPoint.tls, m_peerText, m_request);
}

void *Exchange::operator new(size_t size)
{
    Q_ASSERT(size == sizeof(Exchange));
    if (void *block = kPoolExchanges ? t_exchangeBlocks.take() : nullptr)
        return block;
    return ::operator new(size);
}

void Exchange::operator delete(void *block, size_t)
{
    if (!kPoolExchanges || !t_exchangeBlocks.keep(block))
        ::operator delete(block);
}

Exchange::~Exchange()
{
    if (m_upstream)
        m_upstream->abandon();
}

/// Entry-point processing (docs/traefik-behaviour.md, "Entry-point request pipeline"): target
/// normalisation (the result is routed on and forwarded), forwarded headers, canonical host.
bool Exchange::prepareRequest()
{
    // RFC 9112 §3.2.2: an absolute-form authority replaces Host.
    const QByteArray host = http::requestHost(m_request);
    if (!http::isNormalTarget(m_request.target)) { // else already normal: kept, not copied
        auto target = http::normalizeTarget(m_request.target);
        if (!target) {
            qCDebug(lcProxy) << "bad request target" << m_request.target << target.error().message;
            return false;
        }
        if (!host.isEmpty() && host != m_request.headers.value("Host"))
            m_request.headers.set("Host", host);
        m_request.target = std::move(*target);
    }
    m_query = m_request.query();
    const QByteArray path = m_request.path();
    m_routingPath = path.contains('%') ? http::routingPath(path) : path;
    const http::ConnectionFacts facts { m_peer, m_entryPoint.tls, m_engine.serverHostname,
        m_peerText };
    http::applyForwardedHeaders(m_request, facts, m_entryPoint.trust);
    m_host = canonicalHostOf(host);
    m_tap.host(m_host);
    return true;
}

void Exchange::start()
{
    if (!prepareRequest()) {
        m_tap.fail(QStringLiteral("bad request target"));
        respond(local::clientError(400));
        return;
    }
    const EntryPointRoutes *routes
        = m_table ? m_table->forEntryPoint(m_entryPoint.name, m_entryPoint.tls) : nullptr;
    // Every member given: a default-constructed QHostAddress allocates, a copy only shares.
    const rules::RequestFacts facts { m_host, m_request.method, m_routingPath, m_query,
        &m_request.headers, m_peer, nullptr };
    const int id = routes ? routes->rules.match(facts) : -1;
    if (id < 0 || size_t(id) >= routes->routes.size()) {
        m_tap.fail(QStringLiteral("no router matched"));
        respond(local::notFound());
        return;
    }
    m_route = &routes->routes[size_t(id)];
    m_tap.routed(m_route->router, m_route->service, m_route->middlewareNames);
    for (const auto &m : m_route->middlewares) {
        if (auto answer = m->handleRequest(m_context)) {
            m_tap.middlewaresRan(int(&m - m_route->middlewares.data()) + 1);
            respond(std::move(*answer));
            return;
        }
    }
    m_server = m_route->balancer ? m_route->balancer->pick(m_request.headers) : nullptr;
    if (!m_server) {
        m_tap.fail(QStringLiteral("no available server"));
        respond(local::noAvailableServer());
        return;
    }
    m_tap.serverChosen(m_server->url);
    forward();
}

void Exchange::forward()
{
    const bool upgrade = http::isUpgradeRequest(m_request.headers);
    m_upgrade = upgrade;
    const bool trailers = http::acceptsTrailers(m_request.headers);
    http::removeHopByHopHeaders(m_request.headers, upgrade);
    if (trailers)
        m_request.headers.add("TE", "trailers"); // like Go's ReverseProxy (gRPC needs it)
    if (!m_route->balancer->passHostHeader())
        m_request.headers.set("Host", m_server->authority);
    if (!m_server->pathPrefix.isEmpty())
        m_request.target = joinPaths(m_server->pathPrefix, m_request.target);
    if (m_requestBody.framing == http::BodyFraming::Chunked)
        m_request.headers.add("Transfer-Encoding", "chunked");
    m_tap.forwarded(m_request);
    connectUpstream(false);
}

void Exchange::connectUpstream(bool fresh)
{
    m_upstream = m_engine.pool->acquire(*m_server, this, fresh, m_upgrade);
    m_reusedUpstream = m_upstream->reused();
    m_tap.upstreamConnecting(m_upstream->isConnected(), fresh);
    if (m_upstream->isConnected())
        onUpstreamConnected();
}

void Exchange::onUpstreamConnected()
{
    m_tap.upstreamConnected();
    m_upstream->sendRequestHead(m_request, m_requestBody); // m_request is kept for a retry
    if (!m_pendingBody.isEmpty()) {
        m_upstream->sendRequestBody(m_pendingBody.view());
        m_pendingBody.release();
        m_downstream.pauseRequestBody(false);
    }
    if (m_requestComplete)
        m_upstream->finishRequest(m_requestTrailers);
    m_upstream->flush();
}

bool Exchange::replayable() const
{
    // Like Go's transport: only bodiless safe methods are sent again on a fresh connection.
    const QByteArray &m = m_request.method;
    const bool safe = m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "TRACE";
    const bool bodiless = m_requestBody.framing == http::BodyFraming::None
        || (m_requestBody.framing == http::BodyFraming::ContentLength && m_requestBody.length == 0);
    return safe && bodiless;
}

void Exchange::respond(middleware::LocalResponse response)
{
    // With a small body still on its way, answer once it is read so the connection stays usable;
    // a client waiting for 100-continue gets the answer at once.
    const bool expectsContinue = m_request.headers.hasToken("Expect", "100-continue");
    const bool smallBody = m_requestBody.framing == http::BodyFraming::ContentLength
        && m_requestBody.length <= kWaitForBodyUpTo;
    if (!m_requestComplete && smallBody && !expectsContinue) {
        m_deferred = std::move(response);
        return;
    }
    sendLocal(response);
}

void Exchange::sendLocal(middleware::LocalResponse &response)
{
    m_responseStarted = true;
    m_responseDone = true;
    const BodyInfo body { http::BodyFraming::ContentLength, response.body.size() };
    response.head.headers.set("Content-Length", QByteArray::number(response.body.size()));
    m_downstream.sendResponseHead(response.head, body);
    m_tap.responseSent(response.head);
    m_tap.responseBody(response.body);
    m_downstream.sendResponseBody(response.body);
    m_tap.finish(observe::RecordState::Complete);
    m_downstream.finishResponse({});
}

void Exchange::onRequestBody(QByteArrayView data)
{
    m_tap.requestBody(data);
    if (m_responseDone || m_deferred)
        return; // answered locally: the body is read and dropped
    if (m_upstream && m_upstream->isConnected()) {
        m_upstream->sendRequestBody(data);
        if (m_upstream->congested())
            m_downstream.pauseRequestBody(true);
        return;
    }
    if (!m_upstream && m_responseStarted)
        return;
    m_pendingBody.append(data);
    if (m_pendingBody.size() > Stream::kHighWater)
        m_downstream.pauseRequestBody(true);
}

void Exchange::onRequestComplete(const HeaderList &trailers)
{
    m_requestComplete = true;
    if (m_tunnel) {
        // The client closed its side of the tunnel: close the upstream side too.
        if (m_upstream) {
            m_upstream->abandon();
            m_upstream = nullptr;
        }
        if (!m_responseDone) {
            m_responseDone = true;
            m_tap.finish(observe::RecordState::Complete);
            m_downstream.finishResponse({});
        }
        return;
    }
    if (m_deferred) {
        auto response = std::move(*m_deferred);
        m_deferred.reset();
        sendLocal(response);
        return;
    }
    m_requestTrailers = trailers;
    if (m_upstream && m_upstream->isConnected())
        m_upstream->finishRequest(trailers);
}

void Exchange::onRequestBatchEnd()
{
    if (m_upstream && m_upstream->isConnected())
        m_upstream->flush();
}

void Exchange::onDownstreamDrained()
{
    if (m_responsePaused && m_upstream) {
        m_responsePaused = false;
        m_upstream->setReadEnabled(true);
    }
}

void Exchange::onDownstreamGone()
{
    m_tap.fail(QStringLiteral("client went away"));
    m_tap.finish(observe::RecordState::Aborted);
    m_responseDone = true;
    if (m_upstream) {
        m_upstream->abandon();
        m_upstream = nullptr;
    }
}

void Exchange::onUpstreamResponseHead(http::ResponseHead &head, BodyInfo body)
{
    m_tap.originHead(head);
    const bool switching = head.status == 101;
    http::removeHopByHopHeaders(head.headers, switching);
    head.reason.clear(); // like Go: the standard reason phrase goes downstream
    if (head.status < 200 && !switching) {
        m_downstream.sendInterimResponse(head);
        return;
    }
    m_responseStarted = true;
    if (m_route) {
        for (auto it = m_route->middlewares.rbegin(); it != m_route->middlewares.rend(); ++it)
            (*it)->handleResponse(m_context, head);
        if (m_route->balancer && m_server) {
            if (auto cookie = m_route->balancer->stickyCookie(m_request.headers, *m_server))
                head.headers.add("Set-Cookie", *cookie);
        }
    }
    m_downstream.sendResponseHead(head, body);
    m_tap.responseSent(head); // after the downstream set its framing headers: as sent
    if (switching) {
        m_tunnel = true;
        m_downstream.startTunnel();
    }
}

void Exchange::onUpstreamResponseBody(QByteArrayView data)
{
    m_tap.responseBody(data);
    m_downstream.sendResponseBody(data);
    if (!m_responsePaused && m_upstream && m_downstream.responseCongested()) {
        m_responsePaused = true;
        m_upstream->setReadEnabled(false);
    }
}

void Exchange::onUpstreamResponseComplete(const HeaderList &trailers)
{
    m_upstream = nullptr;
    m_tap.originComplete();
    if (m_responseDone)
        return;
    m_responseDone = true;
    m_tap.finish(observe::RecordState::Complete);
    m_downstream.finishResponse(trailers);
}

void Exchange::onUpstreamFailed(UpstreamError error, bool gotResponseBytes)
{
    m_upstream = nullptr;
    if (m_responseDone)
        return;
    if (m_responseStarted) {
        m_responseDone = true;
        m_tap.fail(upstreamErrorText(error));
        m_tap.finish(observe::RecordState::Aborted);
        m_downstream.abortResponse();
        return;
    }
    // A kept-alive connection the server closed meanwhile: send the request again once.
    if (error == UpstreamError::Closed && !gotResponseBytes && m_reusedUpstream && !m_retried
        && replayable()) {
        m_retried = true;
        connectUpstream(true);
        return;
    }
    const bool timeout
        = error == UpstreamError::ConnectTimeout || error == UpstreamError::HeaderTimeout;
    qCDebug(lcProxy) << "upstream" << (m_server ? m_server->url : QString()) << "failed"
                     << int(error);
    // The request body is not awaited: the connection closes after this answer if needed.
    m_tap.fail(upstreamErrorText(error));
    auto response = local::gatewayError(timeout ? 504 : 502);
    sendLocal(response);
}

void Exchange::onUpstreamDrained()
{
    m_downstream.pauseRequestBody(false);
}

void Exchange::onUpstreamBatchEnd()
{
    if (!m_responseDone || m_tunnel)
        m_downstream.flushResponse();
}

} // namespace portico::proxy
