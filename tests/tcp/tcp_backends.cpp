#include "tests/tcp/tcp_backends.h"

#include <QProcess>

#include <arpa/inet.h>
#include <chrono>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace portico::testing {

namespace {

bool waitReadable(int fd, int timeoutMs)
{
    pollfd p { fd, POLLIN, 0 };
    return ::poll(&p, 1, timeoutMs) > 0;
}

void writeAll(int fd, const QByteArray &data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n
            = ::send(fd, data.constData() + done, size_t(data.size() - done), MSG_NOSIGNAL);
        if (n <= 0)
            return;
        done += n;
    }
}

int connectLoopback(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

qint64 msSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start)
        .count();
}

} // namespace

TcpBackend::TcpBackend(Mode mode, QByteArray id, QString certFile, QString keyFile)
    : m_mode(mode)
    , m_id(std::move(id))
{
    if (mode == Mode::TlsHttp) {
        SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
        if (SSL_CTX_use_certificate_chain_file(ctx, certFile.toLocal8Bit().constData()) != 1
            || SSL_CTX_use_PrivateKey_file(ctx, keyFile.toLocal8Bit().constData(), SSL_FILETYPE_PEM)
                != 1) {
            SSL_CTX_free(ctx);
            return;
        }
        m_ctx = ctx;
    }
    m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(m_listener, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0
        || ::listen(m_listener, 64) != 0
        || ::getsockname(m_listener, reinterpret_cast<sockaddr *>(&addr), &len) != 0)
        return;
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { acceptLoop(); });
}

TcpBackend::~TcpBackend()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
    std::vector<std::thread> workers;
    {
        std::lock_guard lock(m_mutex);
        workers.swap(m_workers);
    }
    for (std::thread &t : workers)
        t.join();
    if (m_listener >= 0)
        ::close(m_listener);
    SSL_CTX_free(static_cast<SSL_CTX *>(m_ctx));
}

void TcpBackend::acceptLoop()
{
    while (!m_stop) {
        if (!waitReadable(m_listener, 50))
            continue;
        const int fd = ::accept(m_listener, nullptr, nullptr);
        if (fd < 0)
            continue;
        ++m_accepted;
        std::lock_guard lock(m_mutex);
        m_workers.emplace_back([this, fd] {
            if (m_mode == Mode::TlsHttp)
                serveTls(fd);
            else
                serve(fd);
            ::close(fd);
        });
    }
}

void TcpBackend::serve(int fd)
{
    if (m_mode == Mode::Greeter)
        writeAll(fd, m_id + " hello\n");
    const auto start = std::chrono::steady_clock::now();
    char buffer[65536];
    while (!m_stop && msSince(start) < 20000) {
        if (!waitReadable(fd, 50))
            continue;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            if (n == 0) // the client half-closed: answer, then close (RFC 9293 §3.6)
                writeAll(fd, m_id + ":eof\n");
            return;
        }
        writeAll(fd, m_id + ':' + QByteArray(buffer, qsizetype(n)));
    }
}

void TcpBackend::serveTls(int fd)
{
    SSL *ssl = SSL_new(static_cast<SSL_CTX *>(m_ctx));
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
        QByteArray request;
        char buffer[4096];
        while (!request.contains("\r\n\r\n")) {
            const int n = SSL_read(ssl, buffer, sizeof buffer);
            if (n <= 0)
                break;
            request.append(buffer, n);
        }
        const char *sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
        const QByteArray body = "tls-backend " + m_id + " sni=" + QByteArray(sni ? sni : "") + '\n';
        const QByteArray response
            = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
        SSL_write(ssl, response.constData(), int(response.size()));
        SSL_shutdown(ssl);
    }
    SSL_free(ssl);
}

QByteArray tcpExchange(quint16 port, const QByteArray &data, bool halfClose, int timeoutMs)
{
    const int fd = connectLoopback(port);
    if (fd < 0)
        return "connect failed";
    writeAll(fd, data);
    if (halfClose)
        ::shutdown(fd, SHUT_WR);
    QByteArray out;
    const auto start = std::chrono::steady_clock::now();
    char buffer[65536];
    while (msSince(start) < timeoutMs) {
        if (!waitReadable(fd, 50))
            continue;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        out.append(buffer, qsizetype(n));
    }
    ::close(fd);
    return out;
}

QByteArray tcpExchangeConcurrent(quint16 port, const QByteArray &data, int timeoutMs)
{
    const int fd = connectLoopback(port);
    if (fd < 0)
        return "connect failed";
    std::thread writer([fd, &data] {
        writeAll(fd, data);
        ::shutdown(fd, SHUT_WR);
    });
    QByteArray out;
    const auto start = std::chrono::steady_clock::now();
    std::vector<char> buffer(1 << 16);
    while (msSince(start) < timeoutMs) {
        if (!waitReadable(fd, 50))
            continue;
        const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
        if (n <= 0)
            break;
        out.append(buffer.data(), qsizetype(n));
    }
    ::shutdown(fd, SHUT_RDWR); // unblocks the writer if the transfer stalled
    writer.join();
    ::close(fd);
    return out;
}

bool tcpClosedByServer(quint16 port, const QByteArray &data, int timeoutMs)
{
    const int fd = connectLoopback(port);
    if (fd < 0)
        return false;
    writeAll(fd, data);
    bool closed = false;
    const auto start = std::chrono::steady_clock::now();
    char buffer[4096];
    while (!closed && msSince(start) < timeoutMs) {
        if (waitReadable(fd, 50))
            closed = ::recv(fd, buffer, sizeof buffer, 0) <= 0;
    }
    ::close(fd);
    return closed;
}

QByteArray tcpReadFirst(quint16 port, qsizetype expected, int timeoutMs)
{
    const int fd = connectLoopback(port);
    if (fd < 0)
        return "connect failed";
    QByteArray out;
    const auto start = std::chrono::steady_clock::now();
    char buffer[4096];
    while (out.size() < expected && msSince(start) < timeoutMs) {
        if (!waitReadable(fd, 50))
            continue;
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            break;
        out.append(buffer, qsizetype(n));
    }
    ::close(fd);
    return out;
}

bool makeSelfSigned(const QString &dir, const QString &name, const QString &commonName)
{
    QProcess p;
    p.start(QStringLiteral("openssl"),
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
            QStringLiteral("/CN=") + commonName, QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=DNS:") + name + QStringLiteral(",DNS:localhost"),
            QStringLiteral("-keyout"), dir + QStringLiteral("/backend.key"), QStringLiteral("-out"),
            dir + QStringLiteral("/backend.pem") });
    return p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

} // namespace portico::testing
