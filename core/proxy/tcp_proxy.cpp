#include "core/proxy/tcp_proxy.h"

#include "core/common/log.h"
#include "core/proxy/clock.h"

#include <QHostInfo>

namespace portico::proxy {

TcpProxy::TcpProxy(Stream &client, TcpTarget target, std::function<void()> closed)
    : m_client(client)
    , m_target(std::move(target))
    , m_closed(std::move(closed))
{ }

TcpProxy::~TcpProxy()
{
    if (m_upstream)
        m_upstream->close();
}

void TcpProxy::start()
{
    m_client.setHandler(this);
    m_client.setReadEnabled(false); // client bytes wait until the server is connected
    QHostAddress literal;
    if (literal.setAddress(m_target.host)) {
        m_candidates = { literal };
    } else if (m_target.host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0) {
        // Dev servers often bind only one loopback (architecture: dial both).
        m_candidates
            = { QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6) };
    } else {
        QHostInfo::lookupHost(m_target.host, this, [this](const QHostInfo &info) {
            m_candidates.assign(info.addresses().begin(), info.addresses().end());
            dialNext();
        });
        return;
    }
    dialNext();
}

void TcpProxy::dialNext()
{
    while (!m_done && !m_candidates.empty()) {
        const QHostAddress address = m_candidates.front();
        m_candidates.erase(m_candidates.begin());
        int error = 0;
        const net::Handle socket = net::connectStart(address, m_target.port, &error);
        if (socket == net::InvalidHandle) {
            m_lastError = error;
            continue;
        }
        if (m_upstream) {
            // The failed attempt may be on the call stack: delete it from the event loop.
            std::shared_ptr<Stream> failed(m_upstream.release());
            QMetaObject::invokeMethod(
                this, [failed] {}, Qt::QueuedConnection);
        }
        m_upstream = std::make_unique<Stream>(socket, this, true);
        if (m_target.tls) {
            QHostAddress ip;
            m_upstream->startTlsClient(m_target.host.toUtf8(), !ip.setAddress(m_target.host), true);
        }
        return;
    }
    qCDebug(lcProxy) << "tcp: cannot connect to" << m_target.address << ":"
                     << net::errorString(m_lastError);
    closeAll();
}

Stream &TcpProxy::other(Stream &stream)
{
    return &stream == &m_client ? *m_upstream : m_client;
}

void TcpProxy::onStreamConnected(Stream &stream)
{
    if (&stream == &m_client)
        return;
    m_connected = true;
    m_client.setReadEnabled(true);
    pump(m_client); // the buffered ClientHello (passthrough) or first bytes
    if (m_client.eofSeen())
        onStreamEof(m_client);
}

void TcpProxy::onStreamInput(Stream &stream)
{
    if (m_connected)
        pump(stream);
}

/// Moves everything `from` read to the other side; pauses `from` while the other is congested.
void TcpProxy::pump(Stream &from)
{
    Stream &to = other(from);
    ByteBuffer &in = from.input();
    if (in.isEmpty() || !to.isOpen())
        return;
    to.send(in.view());
    from.consume(in.size());
    to.flush();
    if (to.congested())
        from.setReadEnabled(false);
}

void TcpProxy::onStreamDrained(Stream &stream)
{
    Stream &feeder = other(stream);
    const bool feederEof = &feeder == &m_client ? m_clientEof : m_upstreamEof;
    if (!feederEof && feeder.isOpen())
        feeder.setReadEnabled(true);
}

void TcpProxy::onStreamEof(Stream &stream)
{
    if (!m_connected)
        return; // a client FIN before the connect completed is passed on in onStreamConnected
    pump(stream);
    bool &eof = &stream == &m_client ? m_clientEof : m_upstreamEof;
    if (eof)
        return;
    eof = true;
    other(stream).shutdownWriteAfterFlush();
    if (m_halfClosedAt == 0)
        m_halfClosedAt = nowMs();
    finishIfDone();
}

void TcpProxy::finishIfDone()
{
    if (!m_clientEof || !m_upstreamEof)
        return;
    // Both FINs seen and passed on: flush what is left, then close (lingering close).
    m_done = true;
    if (m_upstream && m_upstream->isOpen())
        m_upstream->closeAfterFlush();
    if (m_client.isOpen())
        m_client.closeAfterFlush();
    else
        onStreamClosed(m_client);
}

void TcpProxy::onStreamError(Stream &stream, int error)
{
    qCDebug(lcProxy) << "tcp:" << (&stream == &m_client ? "client" : "server") << m_target.address
                     << "failed:" << net::errorString(error) << stream.tlsError();
    if (&stream != &m_client && !m_connected && !m_done) {
        m_lastError = error;
        dialNext();
        return;
    }
    closeAll();
}

void TcpProxy::onStreamClosed(Stream &stream)
{
    if (&stream == &m_client || !m_client.isOpen())
        closeAll();
}

void TcpProxy::closeAll()
{
    m_done = true;
    if (m_upstream)
        m_upstream->close();
    m_client.close();
    if (m_closed) {
        auto closed = std::move(m_closed);
        m_closed = nullptr;
        closed();
    }
}

void TcpProxy::forceClose()
{
    closeAll();
}

void TcpProxy::checkTimeouts(qint64 nowMs)
{
    // Traefik sets a read deadline of terminationDelay on the side still open once the other
    // finished; a negative delay never expires.
    if (m_halfClosedAt == 0 || m_done || m_target.terminationDelay.count() < 0)
        return;
    if (nowMs - m_halfClosedAt <= m_target.terminationDelay.count())
        return;
    // Stop reading the side still open; what was read is still delivered.
    m_clientEof = m_upstreamEof = true;
    finishIfDone();
}

} // namespace portico::proxy
