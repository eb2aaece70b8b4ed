#include "core/proxy/socket.h"

#include <QCoreApplication>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace portico::proxy::net {

namespace {

socklen_t toSockaddr(const QHostAddress &address, quint16 port, sockaddr_storage *out)
{
    std::memset(out, 0, sizeof *out);
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *a = reinterpret_cast<sockaddr_in6 *>(out);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        const Q_IPV6ADDR ip = address.toIPv6Address();
        std::memcpy(&a->sin6_addr, &ip, sizeof ip);
        a->sin6_scope_id = address.scopeId().toUInt();
        return sizeof(sockaddr_in6);
    }
    auto *a = reinterpret_cast<sockaddr_in *>(out);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    a->sin_addr.s_addr = htonl(address.toIPv4Address());
    return sizeof(sockaddr_in);
}

quint16 portOf(const sockaddr_storage &s)
{
    if (s.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<const sockaddr_in6 *>(&s)->sin6_port);
    return ntohs(reinterpret_cast<const sockaddr_in *>(&s)->sin_port);
}

QHostAddress fromSockaddr(const sockaddr_storage &s)
{
    if (s.ss_family == AF_INET6) {
        const auto *a = reinterpret_cast<const sockaddr_in6 *>(&s);
        QHostAddress h(reinterpret_cast<const quint8 *>(&a->sin6_addr));
        // A v4-mapped peer on a dual-stack socket is reported as plain IPv4.
        bool isV4 = false;
        const quint32 v4 = h.toIPv4Address(&isV4);
        return isV4 ? QHostAddress(v4) : h;
    }
    const auto *a = reinterpret_cast<const sockaddr_in *>(&s);
    return QHostAddress(ntohl(a->sin_addr.s_addr));
}

void setNoDelay(int fd)
{
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

IoResult ioError()
{
    const int e = errno;
    if (e == EAGAIN || e == EWOULDBLOCK || e == EINTR)
        return { IoStatus::WouldBlock, 0, 0 };
    return { IoStatus::Error, 0, e };
}

} // namespace

void initialize()
{
    // Writes to a reset connection must fail with EPIPE, not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
}

Handle listen(const QHostAddress &address, quint16 port, bool v6Only, int *error)
{
    sockaddr_storage sa;
    const socklen_t len = toSockaddr(address, port, &sa);
    const int fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = errno;
        return InvalidHandle;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (sa.ss_family == AF_INET6) {
        const int v6 = v6Only ? 1 : 0;
        ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6, sizeof v6);
    }
    if (::bind(fd, reinterpret_cast<sockaddr *>(&sa), len) != 0 || ::listen(fd, 1024) != 0) {
        *error = errno;
        ::close(fd);
        return InvalidHandle;
    }
    return fd;
}

quint16 localPort(Handle socket)
{
    sockaddr_storage sa;
    socklen_t len = sizeof sa;
    if (::getsockname(int(socket), reinterpret_cast<sockaddr *>(&sa), &len) != 0)
        return 0;
    if (sa.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&sa)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&sa)->sin_port);
}

Handle accept(Handle listener, QHostAddress *peer, int *error, quint16 *peerPort)
{
    sockaddr_storage sa;
    socklen_t len = sizeof sa;
    const int fd = ::accept4(
        int(listener), reinterpret_cast<sockaddr *>(&sa), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        // Another engine thread may have taken it, or the peer gave up (RFC-less but common).
        *error = (e == EAGAIN || e == EWOULDBLOCK || e == ECONNABORTED || e == EINTR) ? 0 : e;
        return InvalidHandle;
    }
    *error = 0;
    setNoDelay(fd);
    if (peer)
        *peer = fromSockaddr(sa);
    if (peerPort)
        *peerPort = portOf(sa);
    return fd;
}

Handle connectStart(const QHostAddress &address, quint16 port, int *error)
{
    sockaddr_storage sa;
    const socklen_t len = toSockaddr(address, port, &sa);
    const int fd = ::socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *error = errno;
        return InvalidHandle;
    }
    setNoDelay(fd);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&sa), len) != 0 && errno != EINPROGRESS) {
        *error = errno;
        ::close(fd);
        return InvalidHandle;
    }
    *error = 0;
    return fd;
}

int connectResult(Handle socket)
{
    int err = 0;
    socklen_t len = sizeof err;
    if (::getsockopt(int(socket), SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        return errno;
    return err;
}

IoResult read(Handle socket, char *buffer, size_t size)
{
    const ssize_t n = ::read(int(socket), buffer, size);
    if (n > 0)
        return { IoStatus::Ok, n, 0 };
    if (n == 0)
        return { IoStatus::Eof, 0, 0 };
    return ioError();
}

IoResult write(Handle socket, const char *data, size_t size)
{
    const ssize_t n = ::send(int(socket), data, size, MSG_NOSIGNAL);
    if (n >= 0)
        return { IoStatus::Ok, n, 0 };
    return ioError();
}

IoResult writev(Handle socket, const ConstBuffer *buffers, int count)
{
    iovec iov[16];
    const int n = count < 16 ? count : 16;
    for (int i = 0; i < n; ++i)
        iov[i] = { const_cast<char *>(buffers[i].data), buffers[i].size };
    msghdr msg {};
    msg.msg_iov = iov;
    msg.msg_iovlen = size_t(n);
    const ssize_t w = ::sendmsg(int(socket), &msg, MSG_NOSIGNAL);
    if (w >= 0)
        return { IoStatus::Ok, w, 0 };
    return ioError();
}

void shutdownWrite(Handle socket)
{
    ::shutdown(int(socket), SHUT_WR);
}

void close(Handle socket)
{
    if (socket != InvalidHandle)
        ::close(int(socket));
}

ErrorKind classify(int error)
{
    switch (error) {
    case EACCES:
    case EPERM:
        return ErrorKind::AccessDenied;
    case EADDRINUSE:
        return ErrorKind::AddressInUse;
    case EADDRNOTAVAIL:
    case EAFNOSUPPORT:
        return ErrorKind::AddressNotAvailable;
    case ECONNREFUSED:
        return ErrorKind::Refused;
    case ETIMEDOUT:
        return ErrorKind::TimedOut;
    default:
        return ErrorKind::Other;
    }
}

QString errorString(int error)
{
    QString s = QString::fromLocal8Bit(std::strerror(error));
    if (!s.isEmpty())
        s[0] = s[0].toLower();
    return s;
}

QString listenHint(ErrorKind kind, quint16 port)
{
    if (kind == ErrorKind::AccessDenied && port < 1024)
        return QStringLiteral("ports below 1024 need privileges on Linux: run \"sudo setcap "
                              "cap_net_bind_service=+ep %1\" or choose other ports with --port "
                              "8080 --https-port 8443")
            .arg(QCoreApplication::applicationFilePath().isEmpty()
                    ? QStringLiteral("<path to portico>")
                    : QCoreApplication::applicationFilePath());
    if (kind == ErrorKind::AddressInUse)
        return QStringLiteral("another program listens there: \"ss -ltnp 'sport = :%1'\" shows "
                              "which")
            .arg(port);
    if (kind == ErrorKind::AddressNotAvailable)
        return QStringLiteral("no network interface has this address");
    return {};
}

} // namespace portico::proxy::net
