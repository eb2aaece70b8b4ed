#pragma once

#include "core/proxy/stream.h"
#include "core/proxy/tcp_service.h"

#include <QHostAddress>
#include <QObject>

#include <functional>
#include <memory>
#include <vector>

namespace portico::proxy {

/// Splices one client connection to one TCP server: bytes flow both ways unchanged (the bytes
/// the classifier already read go first), each direction pauses its reader while the other
/// side's output is above the high-water mark, a FIN is passed on as a half-close, and once one
/// side finished the other gets `terminationDelay` to finish too (Traefik pkg/tcp/proxy.go).
/// Any connection error closes both sides. Drives the client Stream its owner keeps.
class TcpProxy final : public QObject, public StreamHandler
{
public:
    /// `closed` runs once when both sides are closed (the owner then releases the connection).
    TcpProxy(Stream &client, TcpTarget target, std::function<void()> closed);
    ~TcpProxy() override;

    /// Takes over the client stream and dials the server.
    void start();
    /// Closes both sides now.
    void forceClose();
    /// Enforces terminationDelay after a half-close.
    void checkTimeouts(qint64 nowMs);
    /// Whether the server connection is up (for tests and logs).
    bool connected() const { return m_connected; }

    // StreamHandler
    void onStreamInput(Stream &stream) override;
    void onStreamEof(Stream &stream) override;
    void onStreamError(Stream &stream, int error) override;
    void onStreamDrained(Stream &stream) override;
    void onStreamConnected(Stream &stream) override;
    void onStreamClosed(Stream &stream) override;

private:
    void dialNext();
    Stream &other(Stream &stream);
    void pump(Stream &from);
    void finishIfDone();
    void closeAll();

    Stream &m_client;
    TcpTarget m_target;
    std::function<void()> m_closed;
    std::unique_ptr<Stream> m_upstream;
    std::vector<QHostAddress> m_candidates;
    int m_lastError = 0;
    qint64 m_halfClosedAt = 0; ///< when the first side sent its FIN; 0 = none yet
    bool m_connected = false;
    bool m_clientEof = false;
    bool m_upstreamEof = false;
    bool m_done = false;
};

} // namespace portico::proxy
