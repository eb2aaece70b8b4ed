// Qt-free check of listener_table_win.cpp, cross-compiled with mingw-w64 and run under wine:
// opens listening sockets on 127.0.0.1 and ::1 (port 0) and expects the table to list both with
// this process's pid, and the process's executable path to be found.
#include "core/provider/ports/listener_table.h"

#include <cstdio>
#include <cstring>
// winsock2.h must come before windows.h.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
// clang-format on

using namespace portico::provider::ports;

namespace {

/// A listening socket on `address` port 0; returns its port, 0 on failure.
uint16_t listenOn(int family, const char *address)
{
    SOCKET s = ::socket(family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET)
        return 0;
    sockaddr_storage storage = {};
    int length = 0;
    if (family == AF_INET) {
        auto *in = reinterpret_cast<sockaddr_in *>(&storage);
        in->sin_family = AF_INET;
        ::inet_pton(AF_INET, address, &in->sin_addr);
        length = sizeof *in;
    } else {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&storage);
        in6->sin6_family = AF_INET6;
        ::inet_pton(AF_INET6, address, &in6->sin6_addr);
        length = sizeof *in6;
    }
    if (::bind(s, reinterpret_cast<sockaddr *>(&storage), length) != 0 || ::listen(s, 8) != 0)
        return 0;
    ::getsockname(s, reinterpret_cast<sockaddr *>(&storage), &length);
    // Wine keeps a socket's Unix fd in wineserver until the process itself needs it, and wine's
    // GetExtendedTcpTable finds owners by their /proc/<pid>/fd. FIONREAD is served in the
    // process (ntdll asks wineserver for the fd), which pulls the fd in; on Windows it is a
    // harmless query.
    u_long pending = 0;
    ::ioctlsocket(s, FIONREAD, &pending);
    return ntohs(family == AF_INET ? reinterpret_cast<sockaddr_in *>(&storage)->sin_port
                                   : reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port);
}

/// Wine 8 fills in the owner pid of IPv4 rows only (its IPv6 rows carry 0).
bool underWine()
{
    const HMODULE ntdll = ::GetModuleHandleA("ntdll.dll");
    return ntdll && ::GetProcAddress(ntdll, "wine_get_version");
}

bool listed(
    const std::vector<Listener> &listeners, const char *address, uint16_t port, bool needPid = true)
{
    for (const Listener &l : listeners) {
        if (l.port == port && l.address == address) {
            std::printf("found %s:%u pid %lld\n", l.address.c_str(), unsigned(l.port),
                static_cast<long long>(l.pid));
            return !needPid || l.pid == currentProcessId();
        }
    }
    std::printf("missing %s:%u among %zu listeners\n", address, unsigned(port), listeners.size());
    return false;
}

} // namespace

int main()
{
    WSADATA data;
    if (::WSAStartup(MAKEWORD(2, 2), &data) != 0)
        return 1;
    const uint16_t v4 = listenOn(AF_INET, "127.0.0.1");
    const uint16_t v6 = listenOn(AF_INET6, "::1");
    if (v4 == 0) {
        std::printf("cannot listen on 127.0.0.1\n");
        return 1;
    }
    const auto table = makeListenerTable();
    const std::vector<Listener> listeners = table->read();
    bool ok = listed(listeners, "127.0.0.1", v4);
    if (v6 != 0) // wine without IPv6 in the host: the IPv4 half still has to work
        ok = listed(listeners, "::1", v6, !underWine()) && ok;
    else
        std::printf("no ipv6 listener (host without ::1?)\n");
    const std::string exe = executablePath(currentProcessId());
    std::printf("executable %s\n", exe.c_str());
    const bool exeOk = exe.size() > 4 && exe.compare(exe.size() - 4, 4, ".exe") == 0;
    std::printf("%s\n", ok && exeOk ? "PASS" : "FAIL");
    return ok && exeOk ? 0 : 1;
}
