#pragma once

#include "core/proxy/byte_buffer.h"
#include "core/proxy/poller.h"
#include "core/proxy/socket.h"

#include <QByteArray>
#include <QObject>

#include <memory>

class QTimer;
typedef struct ssl_st SSL;

namespace portico::proxy {

class Stream;

/// Receives a Stream's events. Handlers never destroy the stream from inside a callback; the
/// owner retires it later (deleteLater), so a stream may be used again after any callback.
class StreamHandler
{
public:
    virtual ~StreamHandler() = default;
    /// New bytes are in stream.input(); consume() what was handled, leave the rest.
    virtual void onStreamInput(Stream &stream) = 0;
    /// The peer closed its sending side; input() may still hold unconsumed bytes.
    virtual void onStreamEof(Stream &stream) = 0;
    /// The connection failed (reset, refused, TLS error); the stream is closed. `error` is the OS
    /// code, or -1 for a TLS failure (see Stream::tlsError()).
    virtual void onStreamError(Stream &stream, int error) = 0;
    /// Output that was above the high-water mark dropped below the low-water mark.
    virtual void onStreamDrained(Stream &stream) = 0;
    /// An outgoing connect (and TLS handshake) completed.
    virtual void onStreamConnected(Stream &) { }
    /// A closeAfterFlush() finished: everything was sent and the socket is closed.
    virtual void onStreamClosed(Stream &) { }
};

/// A non-blocking byte stream over a native socket, driven by the engine thread's Poller (epoll
/// behind one QSocketNotifier on Linux): direct read()/write() syscalls, one contiguous input and
/// output buffer, write interest armed only after a write hit EAGAIN. Optionally an OpenSSL client
/// session on the same socket (https upstreams). Must be created on an engine thread.
class Stream final : public PollHandler
{
public:
    static constexpr size_t kReadSize = 64 * 1024;
    static constexpr size_t kHighWater = 256 * 1024; ///< pause the producer above this
    static constexpr size_t kLowWater = 64 * 1024; ///< resume it below this

    /// Takes ownership of `socket`. `connecting`: the socket comes from net::connectStart.
    Stream(net::Handle socket, StreamHandler *handler, bool connecting);
    ~Stream() override;
    Stream(const Stream &) = delete;
    Stream &operator=(const Stream &) = delete;

    /// Runs a TLS client handshake after the TCP connect, before onStreamConnected. `sni` empty
    /// for IP literals; `verify` checks the chain against the system roots and the host name.
    void startTlsClient(const QByteArray &host, bool sni, bool verify);

    /// Server side: runs a TLS handshake on `ssl` (owned; null reports a TLS failure), feeding it
    /// the bytes already in input() first (the sniffed ClientHello), then the socket. Success is
    /// reported with onStreamConnected; afterwards input() receives decrypted bytes.
    void startTlsServer(SSL *ssl);
    /// Continues a handshake the client-hello callback suspended (SSL_CLIENT_HELLO_RETRY).
    void resumeHandshake();
    /// The OpenSSL session (client or server), or null for plain TCP.
    SSL *tlsSession() const { return m_ssl; }
    net::Handle socketHandle() const { return m_socket; }

    void setHandler(StreamHandler *handler) { m_handler = handler; }
    ByteBuffer &input() { return m_in; }
    void consume(size_t n) { m_in.consume(n); }

    /// Queues bytes for sending; nothing is written until flush().
    void send(QByteArrayView bytes) { m_out.append(bytes); }
    /// The send queue itself, for writers that serialise in place (reserve + commit, no copy).
    ByteBuffer &output() { return m_out; }
    /// Writes as much queued output as the socket takes now; the rest goes when it is writable.
    void flush();
    size_t pendingOutput() const { return m_out.size(); }
    /// True above the high-water mark; then onStreamDrained follows once below the low-water mark.
    bool congested();

    /// Whether the stream wants input (read notifier on). Off = back-pressure on the peer.
    void setReadEnabled(bool enabled);
    bool readEnabled() const { return m_readWanted; }

    /// Sends what is queued, half-closes, waits briefly for the peer's FIN (lingering close, so a
    /// final response is not lost to a reset), then closes and calls onStreamClosed.
    void closeAfterFlush();
    /// Sends what is queued, then half-closes the sending side (TLS close_notify first) and
    /// keeps reading: a byte tunnel passing on one peer's FIN to the other.
    void shutdownWriteAfterFlush();
    /// Closes the socket now (queued output is dropped). No more callbacks.
    void close();
    bool isOpen() const { return m_socket != net::InvalidHandle; }
    bool isConnecting() const { return m_connecting; }
    bool eofSeen() const { return m_eof; }
    /// Frees idle buffer memory (keep-alive connections waiting for their next request).
    void trimBuffers();
    const QByteArray &tlsError() const { return m_tlsError; }

    // PollHandler
    void onPollEvent(bool readable, bool writable) override;

private:
    void onReadable();
    void onWritable();
    void finishConnect();
    bool continueHandshake();
    net::IoResult readSome(char *buffer, size_t size);
    net::IoResult writeSome(const char *data, size_t size);
    void fail(int error);
    void updateNotifiers();
    void finishLinger();

    net::Handle m_socket;
    StreamHandler *m_handler;
    Poller *m_poller;
    QObject m_context; ///< receiver of the stream's queued calls (dropped with the stream)
    bool m_pollRead = false;
    bool m_pollWrite = false;
    std::unique_ptr<QTimer> m_lingerTimer;
    ByteBuffer m_in;
    ByteBuffer m_out;
    SSL *m_ssl = nullptr;
    QByteArray m_tlsError;
    bool m_connecting = false;
    bool m_handshaking = false;
    bool m_tlsWantsWrite = false;
    bool m_tlsServer = false;
    bool m_tlsSuspended = false; ///< waiting in the client-hello callback (leaf issuance)
    bool m_prefixRbio = false; ///< the read BIO is still the memory BIO with sniffed bytes
    bool m_readWanted = true;
    bool m_drainWanted = false;
    bool m_eof = false;
    bool m_closeAfterFlush = false;
    bool m_lingering = false;
    bool m_shutdownAfterFlush = false;
    bool m_writeShut = false;
};

} // namespace portico::proxy
