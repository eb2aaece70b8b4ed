#pragma once

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace portico::testing {

/// A TCP server for the TCP-router tests, on 127.0.0.1 port 0 with its own threads (plain
/// blocking sockets), so clients on the test thread may block while it answers.
///   Echo:     answers every chunk with "<id>:<chunk>"; on the client's FIN (half-close) it
///             writes "<id>:eof\n" and closes.
///   Greeter:  writes "<id> hello\n" at once (a server-first protocol), then echoes.
///   TlsHttp:  a TLS server with its own certificate (certFile/keyFile); answers one HTTP
///             request with "tls-backend <id> sni=<server name>\n" and closes.
class TcpBackend
{
public:
    enum class Mode { Echo, Greeter, TlsHttp };

    TcpBackend(Mode mode, QByteArray id, QString certFile = {}, QString keyFile = {});
    ~TcpBackend();

    bool ok() const { return m_port != 0; }
    quint16 port() const { return m_port; }
    QString address() const { return QStringLiteral("127.0.0.1:%1").arg(m_port); }
    /// Connections accepted so far.
    int accepted() const { return m_accepted.load(); }

private:
    void acceptLoop();
    void serve(int fd);
    void serveTls(int fd);

    Mode m_mode;
    QByteArray m_id;
    void *m_ctx = nullptr; ///< SSL_CTX for TlsHttp
    int m_listener = -1;
    quint16 m_port = 0;
    std::atomic<bool> m_stop { false };
    std::atomic<int> m_accepted { 0 };
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<std::thread> m_workers;
};

/// A blocking client: connects to 127.0.0.1:`port`, sends `data`, half-closes when asked, and
/// reads until the server closes or `timeoutMs` passed (then returns what it got).
QByteArray tcpExchange(
    quint16 port, const QByteArray &data, bool halfClose = true, int timeoutMs = 5000);

/// Sends `data` from a second thread (then half-closes) while reading everything back on this
/// one, so neither direction waits for the other.
QByteArray tcpExchangeConcurrent(quint16 port, const QByteArray &data, int timeoutMs = 30000);

/// Connects, sends `data` and waits for the server to close the connection; true when it did
/// within `timeoutMs`.
bool tcpClosedByServer(quint16 port, const QByteArray &data, int timeoutMs);

/// Connects and reads until `expected` bytes arrived (or timeout) without sending anything.
QByteArray tcpReadFirst(quint16 port, qsizetype expected, int timeoutMs = 5000);

/// Writes a self-signed EC certificate for `name` and `localhost` (SANs) with CN `commonName` and
/// its key
/// into `dir`; returns false when the openssl tool failed.
bool makeSelfSigned(const QString &dir, const QString &name, const QString &commonName);

} // namespace portico::testing
