#pragma once

#include <QHostAddress>
#include <QString>

#include <cstddef>

/// Thin, OS-neutral layer over non-blocking TCP sockets: the only place with socket syscalls.
/// Linux lives in socket_linux.cpp, Windows (winsock) in socket_win.cpp; both keep errors as
/// the OS's own codes and classify them for messages.
namespace portico::proxy::net {

/// A native socket: an fd on Linux, a SOCKET on Windows.
using Handle = qintptr;
inline constexpr Handle InvalidHandle = -1;

/// Outcome of one read or write call.
enum class IoStatus {
    Ok, ///< `bytes` transferred (> 0)
    WouldBlock, ///< nothing now; wait for the notifier
    Eof, ///< read only: the peer closed its sending side
    Error, ///< `error` holds the OS code (connection reset, broken pipe, …)
};

struct IoResult
{
    IoStatus status = IoStatus::Ok;
    qint64 bytes = 0;
    int error = 0;
};

/// One piece of a gathered write.
struct ConstBuffer
{
    const char *data = nullptr;
    size_t size = 0;
};

/// What kind of failure an OS error code is, for messages and status codes.
enum class ErrorKind { AccessDenied, AddressInUse, AddressNotAvailable, Refused, TimedOut, Other };

/// Process-wide preparation (Linux: ignore SIGPIPE; Windows: WSAStartup). Idempotent.
void initialize();

/// A bound, listening, non-blocking socket on `address:port` (port 0: the OS picks one).
/// `v6Only` sets IPV6_V6ONLY. Returns InvalidHandle and sets `error` on failure.
Handle listen(const QHostAddress &address, quint16 port, bool v6Only, int *error);
/// The local port a socket is bound to (after listen with port 0).
quint16 localPort(Handle socket);
/// Accepts one pending connection (non-blocking, TCP_NODELAY set); InvalidHandle when there is
/// none (`error` 0) or on failure (`error` set).
Handle accept(Handle listener, QHostAddress *peer, int *error, quint16 *peerPort = nullptr);
/// Starts a non-blocking connect; the socket becomes writable when it completes (check
/// connectResult). Returns InvalidHandle and sets `error` when it fails at once.
Handle connectStart(const QHostAddress &address, quint16 port, int *error);
/// 0 when a started connect succeeded, else the OS error code.
int connectResult(Handle socket);

IoResult read(Handle socket, char *buffer, size_t size);
IoResult write(Handle socket, const char *data, size_t size);
IoResult writev(Handle socket, const ConstBuffer *buffers, int count);
/// Half-closes the sending side (FIN after queued data) — used for lingering close.
void shutdownWrite(Handle socket);
void close(Handle socket);

ErrorKind classify(int error);
/// The OS's description of an error code, lower-case (`connection refused`).
QString errorString(int error);
/// How to fix a failed listen on this OS (privileged ports, finding the other listener); may be
/// empty.
QString listenHint(ErrorKind kind, quint16 port);

} // namespace portico::proxy::net
