#include "core/observe/capture_tap.h"

#include "core/observe/capture_hub.h"
#include "core/observe/stream_messages.h"

#include <algorithm>
#include <chrono>

namespace portico::observe {

namespace {

/// Live views get a streaming exchange's new messages at most this often (a copy each time).
constexpr qint64 kProgressIntervalUs = 250 * 1000;

qint64 steadyUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

qint64 wallUs()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

bool hasMediaType(const HeaderList &headers, QByteArrayView type)
{
    const QByteArray value = headers.value("Content-Type");
    return value.size() >= type.size()
        && QByteArrayView(value).first(type.size()).compare(type, Qt::CaseInsensitive) == 0;
}

/// The Host header without its port, lower case: the host when routing never canonicalised it.
QByteArray provisionalHost(const HeaderList &headers)
{
    QByteArray host = headers.value("Host").toLower();
    const qsizetype colon = host.lastIndexOf(':');
    if (colon >= 0 && !host.endsWith(']'))
        host.truncate(colon);
    return host;
}

/// `HTTP/1.1` and friends without building the text for every exchange (literals: no allocation
/// to make now, none to free when the ring evicts the record).
QByteArray versionText(http::Version version)
{
    if (version == http::Version { 1, 1 })
        return QByteArrayLiteral("HTTP/1.1");
    if (version == http::Version { 2, 0 })
        return QByteArrayLiteral("HTTP/2.0");
    if (version == http::Version { 1, 0 })
        return QByteArrayLiteral("HTTP/1.0");
    return version.toByteArray();
}

/// The peer address as text, shared with the previous exchange from the same address (a client
/// makes many): one conversion per address change instead of one per exchange.
QString peerText(const QByteArray &peer)
{
    thread_local QByteArray lastPeer;
    thread_local QString lastText;
    if (peer != lastPeer) {
        lastPeer = peer;
        lastText = QString::fromLatin1(peer);
    }
    return lastText;
}

} // namespace

CaptureTap::CaptureTap() = default;

CaptureTap::~CaptureTap()
{
    if (m_record)
        finish(RecordState::Aborted);
}

qint64 CaptureTap::elapsedUs() const
{
    return steadyUs() - m_startSteadyUs;
}

void CaptureTap::begin(CaptureHub &hub, const ConnectionFacts &connection,
    const QString &entryPoint, bool tls, const QByteArray &peer, const http::RequestHead &request)
{
    m_hub = &hub;
    m_settings = &hub.currentSettings();
    m_startSteadyUs = steadyUs();
    m_record = std::make_shared<ExchangeRecord>();
    ExchangeRecord &r = *m_record;
    r.id = hub.nextId();
    r.startedUs = wallUs();
    r.protocol
        = hasMediaType(request.headers, "application/grpc") ? Protocol::Grpc : connection.protocol;
    r.timing.clientTls = connection.tlsHandshakeUs;
    r.entryPoint = entryPoint;
    r.clientAddress = peerText(peer);
    r.clientPort = connection.clientPort;
    r.tls = tls;
    r.tlsVersion = connection.tlsVersion;
    r.tlsCipher = connection.tlsCipher;
    r.method = request.method;
    r.scheme = tls ? QByteArrayLiteral("https") : QByteArrayLiteral("http");
    r.target = request.target; // the host comes with host(), or provisionally at finish()
    r.httpVersion = versionText(request.version);
    r.requestHeaders = request.headers;
    // Until a router matched, only an unfiltered capture keeps bodies (a 400 has no router).
    m_captureBodies = hub.captures(*m_settings, QString());
}

void CaptureTap::routed(
    const QString &router, const QString &service, const QStringList &middlewares)
{
    if (!m_record)
        return;
    m_record->router = router;
    m_record->service = service;
    m_record->middlewares = middlewares;
    m_captureBodies = m_hub->captures(*m_settings, router);
}

void CaptureTap::middlewaresRan(int count)
{
    if (m_record && count < m_record->middlewares.size())
        m_record->middlewares = m_record->middlewares.mid(0, count);
}

void CaptureTap::serverChosen(const QString &url)
{
    if (!m_record)
        return;
    m_record->serverUrl = url;
    m_record->timing.routing = elapsedUs();
}

void CaptureTap::forwarded(const http::RequestHead &request)
{
    if (!m_record || !m_captureBodies)
        return; // the "as forwarded" view is part of what a capture shows, not of logs
    m_record->forwardedTarget = request.target;
    m_record->forwardedRequestHeaders = request.headers;
}

void CaptureTap::upstreamConnecting(bool reused, bool retry)
{
    if (!m_record)
        return;
    if (retry)
        ++m_record->retryAttempts;
    m_connectStartUs = elapsedUs();
    m_record->timing.upstreamConnect = reused ? 0 : -1;
}

void CaptureTap::upstreamConnected()
{
    if (!m_record)
        return;
    m_sentUs = elapsedUs();
    if (m_record->timing.upstreamConnect < 0)
        m_record->timing.upstreamConnect = m_sentUs - m_connectStartUs;
}

void CaptureTap::originHead(const http::ResponseHead &head)
{
    if (!m_record || (head.status < 200 && head.status != 101))
        return; // interim responses are forwarded, not recorded
    m_record->originStatus = head.status;
    m_record->timing.timeToFirstByte = elapsedUs();
    if (m_captureBodies)
        m_record->originResponseHeaders = head.headers;
}

void CaptureTap::responseSent(const http::ResponseHead &head)
{
    if (!m_record)
        return;
    ExchangeRecord &r = *m_record;
    r.status = head.status;
    r.responseHeaders = head.headers;
    const int cap = m_settings->messageCap;
    if (head.status == 101) {
        m_tunnel = true;
        // RFC 6455 §4.2.2: the server's 101 names the protocol it switched to.
        if (r.requestHeaders.hasToken("Upgrade", "websocket")) {
            r.protocol = Protocol::WebSocket;
            if (m_captureBodies) {
                m_wsFromClient = std::make_unique<WebSocketParser>(cap);
                m_wsToClient = std::make_unique<WebSocketParser>(cap);
            }
        }
        publishProgress(true);
    } else if (hasMediaType(head.headers, "text/event-stream")) {
        r.protocol = Protocol::Sse;
        if (m_captureBodies)
            m_sse = std::make_unique<SseParser>(cap);
        publishProgress(true);
    }
}

void CaptureTap::onBody(QByteArrayView data, bool request)
{
    CapturedBody &body = request ? m_record->requestBody : m_record->responseBody;
    body.size += data.size();
    if (!m_captureBodies || data.isEmpty())
        return;
    if (m_tunnel) { // raw tunnel bytes: WebSocket messages, not a body
        WebSocketParser *parser = request ? m_wsFromClient.get() : m_wsToClient.get();
        if (parser)
            parser->feed(data, [this, request](ParsedMessage &&message) {
                addMessage(!request, message.opcode, std::move(message.data), message.truncated);
            });
        return;
    }
    appendBody(body, data);
    if (!request && m_sse)
        m_sse->feed(data, [this](ParsedMessage &&event) {
            addMessage(true, 0, std::move(event.data), event.truncated);
        });
}

void CaptureTap::appendBody(CapturedBody &body, QByteArrayView data) const
{
    const qint64 room = std::max<qint64>(0, m_settings->bodyCap - body.data.size());
    const qsizetype keep = qsizetype(std::min<qint64>(room, data.size()));
    if (keep < data.size())
        body.truncated = true;
    if (keep > 0)
        body.data.append(data.first(keep));
}

/// Keeps the newest maxMessages messages (older ones are dropped and the record says so).
void CaptureTap::addMessage(bool toClient, int opcode, QByteArray data, bool truncated)
{
    auto &messages = m_record->messages;
    const int max = m_settings->maxMessages;
    if (max <= 0) {
        m_record->messagesTruncated = true;
        return;
    }
    if (int(messages.size()) >= max) {
        messages.erase(messages.begin(), messages.begin() + (int(messages.size()) - max + 1));
        m_record->messagesTruncated = true;
    }
    messages.push_back(MessageRecord { toClient, elapsedUs(), opcode, std::move(data), truncated });
    publishProgress(false);
}

void CaptureTap::publishProgress(bool force)
{
    const qint64 now = elapsedUs();
    if (!force && now - m_lastProgressUs < kProgressIntervalUs)
        return;
    m_lastProgressUs = now;
    m_hub->publish(std::make_shared<const ExchangeRecord>(*m_record));
}

void CaptureTap::originComplete()
{
    if (m_record && m_sentUs >= 0)
        m_record->originDurationUs = elapsedUs() - m_sentUs;
}

void CaptureTap::fail(const QString &error)
{
    if (m_record && m_record->error.isEmpty())
        m_record->error = error;
}

void CaptureTap::finish(RecordState state)
{
    if (!m_record)
        return;
    m_record->state = state;
    m_record->timing.total = elapsedUs();
    if (m_record->host.isNull()) // never canonicalised (a bad request target)
        m_record->host = provisionalHost(m_record->requestHeaders);
    if (state == RecordState::Aborted && m_record->error.isEmpty())
        m_record->error = QStringLiteral("aborted");
    m_wsFromClient.reset();
    m_wsToClient.reset();
    m_sse.reset();
    // The record is handed over as it is: no copy for the common case.
    m_hub->publish(std::move(m_record));
    m_record.reset();
}

} // namespace portico::observe
