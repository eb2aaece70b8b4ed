#include "core/proxy/h1_server_connection.h"

#include "core/common/ascii.h"
#include "core/common/log.h"
#include "core/http/h1_writer.h"
#include "core/proxy/clock.h"
#include "core/proxy/engine.h"
#include "core/proxy/exchange.h"
#include "core/proxy/h2_server_connection.h"
#include "core/proxy/local_response.h"
#include "core/proxy/tcp_entry.h"
#include "core/proxy/tls_server.h"

#include <openssl/ssl.h>

namespace portico::proxy {

namespace {

/// Pipelined input kept while a response is pending; reading pauses above it.
constexpr size_t kMaxBufferedInput = 64 * 1024;

/// The capture's view of an established TLS session: `1.3` (Traefik's TLSVersion spelling),
/// the OpenSSL cipher name and how long the handshake took.
observe::ConnectionFacts tlsFacts(SSL *ssl, qint64 handshakeUs)
{
    observe::ConnectionFacts facts;
    if (!ssl)
        return facts;
    QByteArray version(SSL_get_version(ssl)); // `TLSv1.3`
    if (version.startsWith("TLSv"))
        version.remove(0, 4);
    facts.tlsVersion = version;
    facts.tlsCipher = QByteArray(SSL_get_cipher_name(ssl));
    facts.tlsHandshakeUs = handshakeUs;
    return facts;
}

/// Which of the fields the response writer may have to add are present, found in one pass.
struct PresentFields
{
    bool contentLength = false;
    bool date = false;
};

PresentFields presentFields(const HeaderList &headers)
{
    PresentFields present;
    for (const HeaderField &f : headers) {
        if (f.name.size() == 14 && ascii::equalsIgnoreCase(f.name, "Content-Length"))
            present.contentLength = true;
        else if (f.name.size() == 4 && ascii::equalsIgnoreCase(f.name, "Date"))
            present.date = true;
    }
    return present;
}

} // namespace

H1ServerConnection::H1ServerConnection(Engine &engine, net::Handle socket, QHostAddress peer,
    EntryPointContextPtr entryPoint, quint16 peerPort)
    : m_engine(engine)
    , m_stream(socket, this, false)
    , m_peer(std::move(peer))
    , m_peerText(http::clientIpString(m_peer))
    , m_entryPoint(std::move(entryPoint))
    , m_parser(http::H1Parser::Mode::Request, m_entryPoint->limits)
{
    m_idleSince = nowMs();
    m_facts.clientPort = peerPort;
    m_tcp = TcpEntry::create(
        m_engine, m_stream, m_peer, m_entryPoint,
        [this] { // no TCP router wanted it: HTTP, with every byte read so far
            m_stream.setHandler(this);
            m_tcp.release()->deleteLater();
            m_stream.eofSeen() ? onStreamEof(m_stream) : processInput();
        },
        [this] { close(); });
}

H1ServerConnection::~H1ServerConnection()
{
    if (m_exchange)
        m_exchange->onDownstreamGone();
}

bool H1ServerConnection::isIdle() const
{
    if (m_tcp)
        return false;
    if (m_h2)
        return m_h2->isIdle();
    return !m_exchange && !m_parser.inMessage() && m_stream.isOpen();
}

void H1ServerConnection::onStreamInput(Stream &)
{
    dropRetired();
    processInput();
}

void H1ServerConnection::dropRetired()
{
    if (!m_retired)
        return;
    m_parser.reuseHeaderStorage(m_retired->takeRequestHeaderStorage());
    m_retired.reset();
}

void H1ServerConnection::scheduleProcessing()
{
    if (m_scheduled)
        return;
    m_scheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_scheduled = false;
            dropRetired();
            processInput();
        },
        Qt::QueuedConnection);
}

/// The first bytes of a connection: a TLS ClientHello hands the stream to a TLS handshake until
/// onStreamConnected (returns false); anything else is plain HTTP on this entry point.
bool H1ServerConnection::sniffTls()
{
    const ByteBuffer &in = m_stream.input();
    if (in.isEmpty())
        return true;
    m_sniffed = true;
    if (in.data()[0] != kTlsHandshakeRecord || !m_entryPoint->secure
        || !TlsServerHandshake::available(m_engine.routingTable()))
        return true;
    m_tls = std::make_unique<TlsServerHandshake>(
        m_engine, m_stream, m_entryPoint->name, m_engine.routingTable());
    m_tlsStartUs = nowUs();
    m_tls->start(nowMs());
    return false;
}

void H1ServerConnection::onStreamConnected(Stream &)
{
    if (m_tls && m_tls->inProgress())
        onTlsEstablished(m_tls->finish());
}

/// The one place a finished TLS handshake becomes an application protocol, chosen by ALPN
/// (`protocol` empty when the client offered none): "h2" hands the stream to HTTP/2, anything
/// else is HTTP/1.1 (tls::supportedAlpnProtocols lists what is advertised).
void H1ServerConnection::onTlsEstablished(const QByteArray &protocol)
{
    qCDebug(lcProxy) << "TLS established with" << m_peer << "for" << m_tls->serverName() << "alpn"
                     << protocol;
    m_entryPoint = m_entryPoint->secure;
    m_idleSince = nowMs();
    const quint16 peerPort = m_facts.clientPort;
    m_facts = tlsFacts(m_stream.tlsSession(), nowUs() - m_tlsStartUs);
    m_facts.clientPort = peerPort;
    if (protocol == "h2") { // RFC 9113 §3.2: HTTP/2 from the first byte after the handshake
        m_h2 = std::make_unique<H2ServerConnection>(
            m_engine, m_stream, m_peer, m_peerText, m_entryPoint, [this] { close(); });
        m_h2->setConnectionFacts(m_facts);
        return m_h2->start();
    }
    if (!m_stream.input().isEmpty())
        scheduleProcessing();
}

void H1ServerConnection::processInput()
{
    if (m_processing || m_closing)
        return;
    if (!m_sniffed && !sniffTls())
        return;
    if (!m_h2 && !m_exchange && !m_parser.inMessage()) { // RFC 9113 §3.3: h2c prior knowledge
        m_h2 = H2ServerConnection::fromPreface(
            m_engine, m_stream, m_peer, m_peerText, m_entryPoint, [this] { close(); });
        if (m_h2)
            m_h2->setConnectionFacts(m_facts);
    }
    if (m_h2)
        return m_h2->start();
    m_processing = true;
    ByteBuffer &in = m_stream.input();
    while (!in.isEmpty() && !m_closing) {
        if (m_tunnel) {
            if (m_exchange)
                m_exchange->onRequestBody(in.view());
            in.consume(in.size());
            break;
        }
        if (m_messageDone || m_bodyPaused)
            break; // pipelined bytes wait until the current response is done
        if (!m_parser.inMessage())
            m_headSince = nowMs();
        const auto r = m_parser.parse(in.data(), in.size());
        // Body views stay valid: consume() only moves offsets, nothing is appended meanwhile.
        in.consume(r.consumed);
        using Event = http::H1Parser::Event;
        if (r.event == Event::NeedMore)
            break;
        if (r.event == Event::Head)
            onHead();
        else if (r.event == Event::Body && m_exchange)
            m_exchange->onRequestBody(m_parser.body());
        else if (r.event == Event::MessageComplete)
            onMessageComplete();
        else if (r.event == Event::Error)
            onParseError();
    }
    if (m_exchange)
        m_exchange->onRequestBatchEnd();
    m_processing = false;
    if (m_h2)
        return m_h2->start(); // after `Upgrade: h2c` (RFC 7540 §3.2)
    if (!m_closing) {
        m_stream.flush();
        updateReading();
    }
}

void H1ServerConnection::onHead()
{
    http::RequestHead &request = m_parser.request();
    m_requestIsHead = request.method == "HEAD";
    m_requestIsHttp10 = request.version == http::Version { 1, 0 };
    m_requestKeepAlive = m_parser.keepAlive();
    const BodyInfo body { m_parser.framing(), m_parser.contentLength() };
    m_requestHasBody = body.framing == http::BodyFraming::Chunked
        || (body.framing == http::BodyFraming::ContentLength && body.length > 0);
    m_messageDone = false;
    m_responseStarted = false;
    m_responseDone = false;
    m_h2 = H2ServerConnection::fromUpgrade(m_engine, m_stream, m_peer, m_peerText, m_entryPoint,
        request, m_requestHasBody, [this] { close(); });
    if (m_h2) {
        m_h2->setConnectionFacts(m_facts);
        return;
    }
    m_exchange = std::make_unique<Exchange>(m_engine.services(), *m_entryPoint,
        m_engine.routingTable(), *this, std::move(request), body, m_peer, m_peerText);
    m_exchange->start();
}

void H1ServerConnection::onMessageComplete()
{
    m_messageDone = true;
    if (!m_exchange)
        return;
    // An upgrade request (RFC 9110 §7.8): the bytes after it wait for the 101, or are dropped
    // with the connection when the upstream declines.
    if (m_parser.upgrade() && !m_responseDone)
        m_closeAfterResponse = true;
    m_exchange->onRequestComplete(m_parser.trailers());
    maybeFinishExchange();
}

void H1ServerConnection::onParseError()
{
    const int status = m_parser.errorStatus();
    qCDebug(lcProxy) << "bad request from" << m_peer << status << m_parser.errorMessage();
    if (m_exchange) {
        m_exchange->onDownstreamGone();
        if (m_responseStarted) {
            abortResponse();
            return;
        }
    }
    answerErrorAndClose(status);
}

void H1ServerConnection::answerErrorAndClose(int status)
{
    auto response = local::clientError(status);
    response.head.headers.add("Date", httpDate());
    m_stream.send(http::h1::serializeResponse(std::move(response.head), response.body));
    m_closing = true;
    m_stream.closeAfterFlush();
}

void H1ServerConnection::maybeFinishExchange()
{
    if (m_exchange && m_messageDone && m_responseDone)
        finishExchange();
}

void H1ServerConnection::finishExchange()
{
    m_retired = std::move(m_exchange);
    m_messageDone = false;
    m_responseStarted = false;
    m_responseDone = false;
    m_bodyPaused = false;
    m_idleSince = nowMs();
    if (m_closeAfterResponse || m_engine.shuttingDown()) {
        m_closing = true;
        m_stream.closeAfterFlush();
        return;
    }
    if (!m_stream.input().isEmpty())
        scheduleProcessing();
    updateReading();
}

void H1ServerConnection::updateReading()
{
    const bool want = !m_closing && !m_bodyPaused
        && (m_tunnel || !m_messageDone || m_stream.input().size() < kMaxBufferedInput);
    m_stream.setReadEnabled(want);
}

void H1ServerConnection::onStreamEof(Stream &)
{
    dropRetired();
    if (m_tunnel) {
        if (m_exchange)
            m_exchange->onRequestComplete({});
        return;
    }
    processInput(); // whatever is still buffered
    if (m_closing)
        return;
    if (!m_exchange && !m_parser.inMessage()) {
        close();
        return;
    }
    if (m_exchange && m_messageDone) {
        // A half-closed client still gets its response (`printf ... | nc` style).
        m_closeAfterResponse = true;
        return;
    }
    if (m_exchange)
        m_exchange->onDownstreamGone();
    close();
}

void H1ServerConnection::onStreamError(Stream &, int error)
{
    qCDebug(lcProxy) << "client connection" << m_peer << "failed:" << net::errorString(error);
    if (m_exchange)
        m_exchange->onDownstreamGone();
    close();
}

void H1ServerConnection::onStreamDrained(Stream &)
{
    if (m_exchange)
        m_exchange->onDownstreamDrained();
}

void H1ServerConnection::onStreamClosed(Stream &)
{
    close();
}

void H1ServerConnection::close()
{
    m_closing = true;
    m_stream.close();
    m_engine.release(this);
}

void H1ServerConnection::forceClose()
{
    if (m_tcp)
        return m_tcp->forceClose();
    if (m_h2)
        return m_h2->forceClose();
    if (m_exchange)
        m_exchange->onDownstreamGone();
    close();
}

void H1ServerConnection::beginShutdown()
{
    if (m_tcp)
        return m_tcp->beginShutdown();
    if (m_h2)
        return m_h2->beginShutdown();
    if (isIdle() && m_stream.input().isEmpty())
        close();
}

void H1ServerConnection::checkTimeouts(qint64 nowMs)
{
    if (m_tcp)
        return m_tcp->checkTimeouts(nowMs);
    if (m_tls && m_tls->inProgress()) {
        if (m_tls->timedOut(nowMs, m_entryPoint->readTimeoutMs))
            close();
        return;
    }
    if (m_h2)
        return m_h2->checkTimeouts(nowMs);
    if (m_closing || m_exchange)
        return;
    if (m_parser.inMessage()) {
        // Traefik's readTimeout covers the whole request; we apply it to the head, so a slow
        // upload is not cut off (documented choice), and answer 408 instead of silence.
        if (m_entryPoint->readTimeoutMs > 0 && nowMs - m_headSince > m_entryPoint->readTimeoutMs)
            answerErrorAndClose(408);
        return;
    }
    if (m_entryPoint->idleTimeoutMs > 0 && nowMs - m_idleSince > m_entryPoint->idleTimeoutMs) {
        close();
        return;
    }
    m_stream.trimBuffers();
}

// ---- Downstream: the response side ----

void H1ServerConnection::sendInterimResponse(const http::ResponseHead &head)
{
    if (m_requestIsHttp10)
        return; // RFC 9110 §15.2: no 1xx to HTTP/1.0 clients
    QByteArray bytes;
    http::h1::writeResponseHead(bytes, head);
    m_stream.send(bytes);
    m_stream.flush();
}

void H1ServerConnection::sendResponseHead(http::ResponseHead &head, BodyInfo body)
{
    m_responseStarted = true;
    const PresentFields present = presentFields(head.headers);
    const int status = head.status;
    const bool switching = status == 101;
    bool keepAlive = m_requestKeepAlive && !m_closeAfterResponse && !m_engine.shuttingDown()
        && (m_messageDone || !m_requestHasBody);
    if (switching) {
        m_writeMode = WriteMode::Raw;
    } else if (m_requestIsHead || status < 200 || status == 204 || status == 304) {
        m_writeMode = WriteMode::None; // RFC 9110 §6.4.1: no content, length headers kept
    } else if (body.framing == http::BodyFraming::ContentLength) {
        m_writeMode = WriteMode::Raw;
        if (!present.contentLength)
            head.headers.add("Content-Length", QByteArray::number(body.length));
    } else if (body.framing == http::BodyFraming::None) {
        m_writeMode = WriteMode::None;
        head.headers.set("Content-Length", "0");
    } else if (!m_requestIsHttp10) {
        m_writeMode = WriteMode::Chunked;
        head.headers.remove("Content-Length");
        head.headers.set("Transfer-Encoding", "chunked");
    } else {
        m_writeMode = WriteMode::Raw; // HTTP/1.0: the body ends when the connection closes
        keepAlive = false;
    }
    if (!switching) {
        if (!keepAlive)
            head.headers.set("Connection", "close");
        else if (m_requestIsHttp10)
            head.headers.set("Connection", "keep-alive");
        m_closeAfterResponse = !keepAlive;
    }
    if (!present.date)
        head.headers.add("Date", httpDate());
    head.version = http::Version { 1, 1 };
    if (m_requestIsHttp10)
        head.version = http::Version { 1, 0 };
    // Serialised straight into the send queue: head and body leave in one write.
    ByteBuffer &out = m_stream.output();
    char *start = out.reserve(size_t(http::h1::responseHeadSize(head)));
    out.commit(size_t(http::h1::writeResponseHead(start, head) - start));
}

void H1ServerConnection::sendResponseBody(QByteArrayView data)
{
    if (data.isEmpty() || m_writeMode == WriteMode::None)
        return;
    if (m_writeMode == WriteMode::Chunked) {
        char header[http::h1::kMaxChunkHeader];
        m_stream.send({ header, http::h1::writeChunkHeader(header, data.size()) });
        m_stream.send(data);
        m_stream.send("\r\n");
        return;
    }
    m_stream.send(data);
}

void H1ServerConnection::finishResponse(const HeaderList &trailers)
{
    if (m_writeMode == WriteMode::Chunked) {
        QByteArray last;
        http::h1::writeLastChunk(last, trailers);
        m_stream.send(last);
    }
    m_writeMode = WriteMode::None;
    m_responseDone = true;
    if (m_tunnel || m_closeAfterResponse) {
        m_retired = std::move(m_exchange);
        m_closing = true;
        m_stream.closeAfterFlush();
        return;
    }
    if (!m_processing)
        m_stream.flush();
    maybeFinishExchange();
}

void H1ServerConnection::abortResponse()
{
    m_retired = std::move(m_exchange);
    close();
}

void H1ServerConnection::flushResponse()
{
    if (!m_closing)
        m_stream.flush();
}

bool H1ServerConnection::responseCongested()
{
    return m_stream.congested();
}

void H1ServerConnection::pauseRequestBody(bool paused)
{
    if (m_bodyPaused == paused)
        return;
    m_bodyPaused = paused;
    updateReading();
    if (!paused && !m_stream.input().isEmpty())
        scheduleProcessing();
}

observe::ConnectionFacts H1ServerConnection::connectionFacts()
{
    observe::ConnectionFacts facts = m_facts;
    m_facts.tlsHandshakeUs = -1; // the handshake belongs to the connection's first exchange
    return facts;
}

void H1ServerConnection::startTunnel()
{
    m_tunnel = true;
    m_closeAfterResponse = false;
    updateReading();
    if (!m_stream.input().isEmpty())
        scheduleProcessing();
}

} // namespace portico::proxy
