// Windows (winsock2) implementation of core/proxy/socket.h. It cannot be built on the Linux CI
// machine; keep it in step with socket_linux.cpp.
#include "core/proxy/socket.h"

#include <cstring>
#include <mutex>
#include <winsock2.h>
#include <ws2tcpip.h>

namespace portico::proxy::net {

namespace {

int toSockaddr(const QHostAddress &address, quint16 port, sockaddr_storage *out)
{
    std::memset(out, 0, sizeof *out);
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *a = reinterpret_cast<sockaddr_in6 *>(out);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        const Q_IPV6ADDR ip = address.toIPv6Address();
        std::memcpy(&a->sin6_addr, &ip, sizeof ip);
        return int(sizeof(sockaddr_in6));
    }
    auto *a = reinterpret_cast<sockaddr_in *>(out);
    a->sin_family = AF_INET;
    a->sin_port = htons(port);
    a->sin_addr.s_addr = htonl(address.toIPv4Address());
    return int(sizeof(sockaddr_in));
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
        return QHostAddress(reinterpret_cast<const quint8 *>(&a->sin6_addr));
    }
    const auto *a = reinterpret_cast<const sockaddr_in *>(&s);
    return QHostAddress(ntohl(a->sin_addr.s_addr));
}

void setNonBlockingNoDelay(SOCKET s)
{
    u_long nonBlocking = 1;
    ::ioctlsocket(s, FIONBIO, &nonBlocking);
    const BOOL one = TRUE;
    ::setsockopt(s, IPPROTO_TCP, TCP_NODELAY, reinterpret_cast<const char *>(&one), sizeof one);
}

IoResult ioError()
{
    const int e = ::WSAGetLastError();
    if (e == WSAEWOULDBLOCK || e == WSAEINTR)
        return { IoStatus::WouldBlock, 0, 0 };
    return { IoStatus::Error, 0, e };
}

} // namespace

void initialize()
{
    static std::once_flag once;
    std::call_once(once, [] {
        WSADATA data;
        ::WSAStartup(MAKEWORD(2, 2), &data);
    });
}

Handle listen(const QHostAddress &address, quint16 port, bool v6Only, int *error)
{
    sockaddr_storage sa;
    const int len = toSockaddr(address, port, &sa);
    const SOCKET s = ::socket(sa.ss_family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) {
        *error = ::WSAGetLastError();
        return InvalidHandle;
    }
    // SO_EXCLUSIVEADDRUSE: Windows' SO_REUSEADDR would let another process steal the port.
    const BOOL one = TRUE;
    ::setsockopt(
        s, SOL_SOCKET, SO_EXCLUSIVEADDRUSE, reinterpret_cast<const char *>(&one), sizeof one);
    if (sa.ss_family == AF_INET6) {
        const DWORD v6 = v6Only ? 1 : 0;
        ::setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, reinterpret_cast<const char *>(&v6), sizeof v6);
    }
    if (::bind(s, reinterpret_cast<sockaddr *>(&sa), len) != 0 || ::listen(s, SOMAXCONN) != 0) {
        *error = ::WSAGetLastError();
        ::closesocket(s);
        return InvalidHandle;
    }
    u_long nonBlocking = 1;
    ::ioctlsocket(s, FIONBIO, &nonBlocking);
    return Handle(s);
}

quint16 localPort(Handle socket)
{
    sockaddr_storage sa;
    int len = sizeof sa;
    if (::getsockname(SOCKET(socket), reinterpret_cast<sockaddr *>(&sa), &len) != 0)
        return 0;
    if (sa.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&sa)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&sa)->sin_port);
}

Handle accept(Handle listener, QHostAddress *peer, int *error, quint16 *peerPort)
{
    sockaddr_storage sa;
    int len = sizeof sa;
    const SOCKET s = ::accept(SOCKET(listener), reinterpret_cast<sockaddr *>(&sa), &len);
    if (s == INVALID_SOCKET) {
        const int e = ::WSAGetLastError();
        *error = (e == WSAEWOULDBLOCK || e == WSAECONNRESET || e == WSAEINTR) ? 0 : e;
        return InvalidHandle;
    }
    *error = 0;
    setNonBlockingNoDelay(s);
    if (peer)
        *peer = fromSockaddr(sa);
    if (peerPort)
        *peerPort = portOf(sa);
    return Handle(s);
}

Handle connectStart(const QHostAddress &address, quint16 port, int *error)
{
    sockaddr_storage sa;
    const int len = toSockaddr(address, port, &sa);
    const SOCKET s = ::socket(sa.ss_family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) {
        *error = ::WSAGetLastError();
        return InvalidHandle;
    }
    setNonBlockingNoDelay(s);
    if (::connect(s, reinterpret_cast<sockaddr *>(&sa), len) != 0
        && ::WSAGetLastError() != WSAEWOULDBLOCK) {
        *error = ::WSAGetLastError();
        ::closesocket(s);
        return InvalidHandle;
    }
    *error = 0;
    return Handle(s);
}

int connectResult(Handle socket)
{
    int err = 0;
    int len = sizeof err;
    if (::getsockopt(SOCKET(socket), SOL_SOCKET, SO_ERROR, reinterpret_cast<char *>(&err), &len)
        != 0)
        return ::WSAGetLastError();
    return err;
}

IoResult read(Handle socket, char *buffer, size_t size)
{
    const int n = ::recv(SOCKET(socket), buffer, int(size), 0);
    if (n > 0)
        return { IoStatus::Ok, n, 0 };
    if (n == 0)
        return { IoStatus::Eof, 0, 0 };
    return ioError();
}

IoResult write(Handle socket, const char *data, size_t size)
{
    const int n = ::send(SOCKET(socket), data, int(size), 0);
    if (n >= 0)
        return { IoStatus::Ok, n, 0 };
    return ioError();
}

IoResult writev(Handle socket, const ConstBuffer *buffers, int count)
{
    WSABUF bufs[16];
    const int n = count < 16 ? count : 16;
    for (int i = 0; i < n; ++i)
        bufs[i] = { ULONG(buffers[i].size), const_cast<char *>(buffers[i].data) };
    DWORD sent = 0;
    if (::WSASend(SOCKET(socket), bufs, DWORD(n), &sent, 0, nullptr, nullptr) != 0)
        return ioError();
    return { IoStatus::Ok, qint64(sent), 0 };
}

void shutdownWrite(Handle socket)
{
    ::shutdown(SOCKET(socket), SD_SEND);
}

void close(Handle socket)
{
    if (socket != InvalidHandle)
        ::closesocket(SOCKET(socket));
}

ErrorKind classify(int error)
{
    switch (error) {
    case WSAEACCES:
        return ErrorKind::AccessDenied;
    case WSAEADDRINUSE:
        return ErrorKind::AddressInUse;
    case WSAEADDRNOTAVAIL:
    case WSAEAFNOSUPPORT:
        return ErrorKind::AddressNotAvailable;
    case WSAECONNREFUSED:
        return ErrorKind::Refused;
    case WSAETIMEDOUT:
        return ErrorKind::TimedOut;
    default:
        return ErrorKind::Other;
    }
}

QString errorString(int error)
{
    wchar_t *text = nullptr;
    ::FormatMessageW(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        nullptr, DWORD(error), 0, reinterpret_cast<wchar_t *>(&text), 0, nullptr);
    QString s
        = text ? QString::fromWCharArray(text).trimmed() : QStringLiteral("error %1").arg(error);
    ::LocalFree(text);
    if (!s.isEmpty())
        s[0] = s[0].toLower();
    return s;
}

QString listenHint(ErrorKind kind, quint16 port)
{
    if (kind == ErrorKind::AccessDenied)
        return QStringLiteral("the port is reserved or blocked: \"netsh interface ipv4 show "
                              "excludedportrange protocol=tcp\" lists reserved ranges, or choose "
                              "another port with --port 8080");
    if (kind == ErrorKind::AddressInUse)
        return QStringLiteral("another program listens there: \"netstat -ano | findstr :%1\" "
                              "shows which")
            .arg(port);
    if (kind == ErrorKind::AddressNotAvailable)
        return QStringLiteral("no network interface has this address");
    return {};
}

} // namespace portico::proxy::net
