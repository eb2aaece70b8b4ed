#include "core/proxy/stream.h"

#include "core/proxy/tls_client.h"

#include <QTimer>

#include <openssl/ssl.h>

namespace portico::proxy {

namespace {

/// How long a lingering close waits for the peer's FIN before closing anyway.
constexpr int kLingerMs = 500; // like Go's rstAvoidanceDelay

} // namespace

Stream::Stream(net::Handle socket, StreamHandler *handler, bool connecting)
    : m_socket(socket)
    , m_handler(handler)
    , m_poller(Poller::current())
    , m_connecting(connecting)
{
    Q_ASSERT(m_poller);
    m_pollRead = !connecting;
    m_pollWrite = connecting;
    m_poller->add(socket, this, m_pollRead, m_pollWrite);
}

void Stream::onPollEvent(bool readable, bool writable)
{
    if (writable)
        onWritable();
    if (readable)
        onReadable();
}

Stream::~Stream()
{
    close();
}

void Stream::startTlsClient(const QByteArray &host, bool sni, bool verify)
{
    m_ssl = newTlsClientSession(host, sni, verify, &m_tlsError);
    m_handshaking = m_ssl != nullptr;
    if (m_ssl)
        SSL_set_fd(m_ssl, int(m_socket));
}

void Stream::startTlsServer(SSL *ssl)
{
    m_ssl = ssl;
    if (!m_ssl) {
        m_tlsError = takeTlsErrors();
        fail(-1);
        return;
    }
    m_tlsServer = true;
    m_handshaking = true;
    // The sniffed bytes go first through a memory BIO; continueHandshake switches to the socket
    // once they are used up. Writes go straight to the socket.
    BIO *prefix = BIO_new(BIO_s_mem());
    BIO *out = BIO_new_socket(int(m_socket), BIO_NOCLOSE);
    if (!prefix || !out) {
        BIO_free(prefix);
        BIO_free(out);
        m_tlsError = takeTlsErrors();
        fail(-1);
        return;
    }
    BIO_write(prefix, m_in.data(), int(m_in.size()));
    BIO_set_mem_eof_return(prefix, -1); // empty = "retry", not end of stream
    m_in.consume(m_in.size());
    SSL_set_bio(m_ssl, prefix, out);
    m_prefixRbio = true;
    SSL_set_accept_state(m_ssl);
    continueHandshake();
}

void Stream::resumeHandshake()
{
    if (!m_tlsSuspended || m_socket == net::InvalidHandle)
        return;
    m_tlsSuspended = false;
    continueHandshake();
}

void Stream::close()
{
    if (m_socket == net::InvalidHandle)
        return;
    m_poller->remove(m_socket);
    if (m_ssl) {
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
    net::close(m_socket);
    m_socket = net::InvalidHandle;
    if (m_lingerTimer)
        m_lingerTimer->stop();
}

void Stream::fail(int error)
{
    close();
    m_handler->onStreamError(*this, error);
}

void Stream::updateNotifiers()
{
    if (m_socket == net::InvalidHandle)
        return;
    const bool wantRead = m_lingering || (m_handshaking && !m_tlsSuspended)
        || (!m_connecting && !m_eof && m_readWanted);
    const bool wantWrite = m_connecting || m_tlsWantsWrite || !m_out.isEmpty();
    if (wantRead == m_pollRead && wantWrite == m_pollWrite)
        return;
    m_pollRead = wantRead;
    m_pollWrite = wantWrite;
    m_poller->update(m_socket, this, wantRead, wantWrite);
}

void Stream::setReadEnabled(bool enabled)
{
    if (m_readWanted == enabled)
        return;
    m_readWanted = enabled;
    updateNotifiers();
    // TLS may hold decrypted bytes the socket no longer signals: hand them over explicitly.
    if (enabled && m_ssl && !m_handshaking && SSL_pending(m_ssl) > 0) {
        QMetaObject::invokeMethod(
            &m_context, [this] { onReadable(); }, Qt::QueuedConnection);
    }
}

bool Stream::congested()
{
    if (m_out.size() <= kHighWater)
        return false;
    m_drainWanted = true;
    return true;
}

net::IoResult Stream::readSome(char *buffer, size_t size)
{
    if (!m_ssl)
        return net::read(m_socket, buffer, size);
    const int n = SSL_read(m_ssl, buffer, int(size));
    if (n > 0)
        return { net::IoStatus::Ok, n, 0 };
    switch (SSL_get_error(m_ssl, n)) {
    case SSL_ERROR_WANT_READ:
        return { net::IoStatus::WouldBlock, 0, 0 };
    case SSL_ERROR_WANT_WRITE:
        m_tlsWantsWrite = true;
        return { net::IoStatus::WouldBlock, 0, 0 };
    case SSL_ERROR_ZERO_RETURN:
        return { net::IoStatus::Eof, 0, 0 };
    default:
        m_tlsError = takeTlsErrors();
        return { net::IoStatus::Error, 0, -1 };
    }
}

net::IoResult Stream::writeSome(const char *data, size_t size)
{
    if (!m_ssl)
        return net::write(m_socket, data, size);
    const int n = SSL_write(m_ssl, data, int(size));
    if (n > 0)
        return { net::IoStatus::Ok, n, 0 };
    switch (SSL_get_error(m_ssl, n)) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        return { net::IoStatus::WouldBlock, 0, 0 };
    default:
        m_tlsError = takeTlsErrors();
        return { net::IoStatus::Error, 0, -1 };
    }
}

void Stream::onReadable()
{
    if (m_socket == net::InvalidHandle)
        return;
    if (m_handshaking) {
        continueHandshake();
        return;
    }
    if (m_lingering) {
        char discard[4096];
        const auto r = readSome(discard, sizeof discard);
        if (r.status == net::IoStatus::Eof || r.status == net::IoStatus::Error)
            finishLinger();
        return;
    }
    // A few reads per wake-up when the socket keeps filling the buffer (bulk transfers).
    for (int i = 0; i < 4 && m_readWanted && !m_eof; ++i) {
        char *space = m_in.reserve(kReadSize);
        const auto r = readSome(space, kReadSize);
        if (r.status == net::IoStatus::Ok) {
            m_in.commit(size_t(r.bytes));
            m_handler->onStreamInput(*this);
            if (m_socket == net::InvalidHandle)
                return;
            if (size_t(r.bytes) < kReadSize && !(m_ssl && SSL_pending(m_ssl) > 0))
                break;
            continue;
        }
        if (r.status == net::IoStatus::WouldBlock)
            break;
        if (r.status == net::IoStatus::Eof) {
            m_eof = true;
            updateNotifiers();
            m_handler->onStreamEof(*this);
            return;
        }
        fail(r.error);
        return;
    }
    updateNotifiers();
}

void Stream::flush()
{
    if (m_connecting || m_handshaking) {
        updateNotifiers();
        return;
    }
    m_tlsWantsWrite = false;
    while (!m_out.isEmpty() && m_socket != net::InvalidHandle) {
        const auto r = writeSome(m_out.data(), m_out.size());
        if (r.status == net::IoStatus::Ok) {
            m_out.consume(size_t(r.bytes));
            continue;
        }
        if (r.status == net::IoStatus::Error) {
            // Reported from the event loop: flush() runs inside other objects' callbacks.
            const int error = r.error;
            close();
            QMetaObject::invokeMethod(
                &m_context, [this, error] { m_handler->onStreamError(*this, error); },
                Qt::QueuedConnection);
            return;
        }
        break;
    }
    if (m_out.isEmpty() && m_closeAfterFlush && !m_lingering && m_socket != net::InvalidHandle) {
        m_lingering = true;
        // close_notify (RFC 8446 §6.1), so a client reading to the end sees a clean close.
        if (m_tlsServer && m_ssl && !m_handshaking)
            SSL_shutdown(m_ssl);
        net::shutdownWrite(m_socket);
        if (!m_lingerTimer) {
            m_lingerTimer = std::make_unique<QTimer>();
            m_lingerTimer->setSingleShot(true);
            QObject::connect(m_lingerTimer.get(), &QTimer::timeout, m_lingerTimer.get(),
                [this] { finishLinger(); });
        }
        m_lingerTimer->start(kLingerMs);
    }
    if (m_out.isEmpty() && m_shutdownAfterFlush && !m_writeShut && m_socket != net::InvalidHandle) {
        m_writeShut = true;
        if (m_ssl && !m_handshaking)
            SSL_shutdown(m_ssl); // close_notify (RFC 8446 §6.1); reading goes on
        net::shutdownWrite(m_socket);
    }
    updateNotifiers();
    // Whether the socket took it at once or from the write notifier, the producer that was
    // paused at the high-water mark may go on.
    if (m_drainWanted && m_out.size() < kLowWater && m_socket != net::InvalidHandle) {
        m_drainWanted = false;
        m_handler->onStreamDrained(*this);
    }
}

void Stream::onWritable()
{
    if (m_socket == net::InvalidHandle)
        return;
    if (m_connecting) {
        finishConnect();
        return;
    }
    if (m_handshaking) {
        continueHandshake();
        return;
    }
    flush();
}

void Stream::finishConnect()
{
    const int error = net::connectResult(m_socket);
    if (error != 0) {
        fail(error);
        return;
    }
    m_connecting = false;
    if (m_ssl) {
        continueHandshake();
        return;
    }
    if (!m_ssl && !m_tlsError.isEmpty()) {
        fail(-1);
        return;
    }
    flush();
    m_handler->onStreamConnected(*this);
}

bool Stream::continueHandshake()
{
    int r = SSL_do_handshake(m_ssl);
    while (r != 1 && m_prefixRbio && SSL_get_error(m_ssl, r) == SSL_ERROR_WANT_READ
        && BIO_ctrl_pending(SSL_get_rbio(m_ssl)) == 0) {
        // The sniffed bytes are used up: read the rest of the handshake from the socket.
        m_prefixRbio = false;
        BIO *socket = BIO_new_socket(int(m_socket), BIO_NOCLOSE);
        if (!socket)
            break;
        SSL_set0_rbio(m_ssl, socket);
        r = SSL_do_handshake(m_ssl);
    }
    if (r == 1) {
        m_handshaking = false;
        m_tlsWantsWrite = false;
        flush();
        // Bytes that arrived with the handshake are not signalled by the socket again.
        if (SSL_has_pending(m_ssl) || (m_prefixRbio && BIO_ctrl_pending(SSL_get_rbio(m_ssl)) > 0))
            QMetaObject::invokeMethod(
                &m_context, [this] { onReadable(); }, Qt::QueuedConnection);
        m_handler->onStreamConnected(*this);
        return true;
    }
    switch (SSL_get_error(m_ssl, r)) {
    case SSL_ERROR_WANT_CLIENT_HELLO_CB:
        m_tlsSuspended = true;
        m_tlsWantsWrite = false;
        break;
    case SSL_ERROR_WANT_READ:
        m_tlsWantsWrite = false;
        break;
    case SSL_ERROR_WANT_WRITE:
        m_tlsWantsWrite = true;
        break;
    default: {
        m_tlsError = takeTlsErrors();
        const long verify = SSL_get_verify_result(m_ssl);
        if (verify != X509_V_OK)
            m_tlsError = QByteArray("certificate verification failed: ")
                + X509_verify_cert_error_string(verify);
        fail(-1);
        return false;
    }
    }
    updateNotifiers();
    return false;
}

void Stream::closeAfterFlush()
{
    m_closeAfterFlush = true;
    m_readWanted = false;
    flush();
}

void Stream::shutdownWriteAfterFlush()
{
    m_shutdownAfterFlush = true;
    flush();
}

void Stream::finishLinger()
{
    close();
    m_handler->onStreamClosed(*this);
}

void Stream::trimBuffers()
{
    if (m_in.isEmpty())
        m_in.release();
    if (m_out.isEmpty())
        m_out.release();
}

} // namespace portico::proxy
