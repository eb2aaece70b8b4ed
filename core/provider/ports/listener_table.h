#pragma once

// Qt-free on purpose: the Windows implementation is cross-compiled with mingw-w64 and tested under
// wine, where Qt is not available (tests/provider_ports/wine).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace portico::provider::ports {

/// One listening TCP socket and, when it could be found, the process that owns it.
struct Listener
{
    std::string address; ///< textual local address: `127.0.0.1`, `::1`, `0.0.0.0`, `::`
    uint16_t port = 0;
    bool ipv6 = false;
    uint64_t inode = 0; ///< socket inode (Linux); 0 where the platform has none
    int64_t pid = -1; ///< owning process, -1 when unknown or not visible to this user
    int64_t uid = -1; ///< owning user (Linux), -1 when unknown

    friend bool operator==(const Listener &, const Listener &) = default;
};

/// Enumerates the machine's listening TCP sockets (IPv4 and IPv6) with their owners. Stateful so
/// an implementation can cache the expensive owner lookup between reads.
class ListenerTable
{
public:
    virtual ~ListenerTable() = default;
    /// The listeners right now. Owners are resolved for the current user's sockets (every
    /// socket's when running as root/administrator); others keep pid -1.
    virtual std::vector<Listener> read() = 0;
    /// How many full owner lookups (process-table walks) read() has done so far; for tests and
    /// the benchmark, to show that a steady state does not walk the process table.
    virtual uint64_t ownerScans() const = 0;
};

/// The table of this platform (sock_diag netlink, else /proc/net/tcp{,6}, on Linux;
/// GetExtendedTcpTable on Windows).
std::unique_ptr<ListenerTable> makeListenerTable();

#ifdef __linux__
/// The Linux table reading /proc/net/tcp{,6} only, the fallback where sock_diag netlink is
/// refused (tests compare both).
std::unique_ptr<ListenerTable> makeProcListenerTable();
#endif

/// The executable image path of process `pid` (UTF-8), empty when unknown or not accessible.
std::string executablePath(int64_t pid);

/// The id of the calling process.
int64_t currentProcessId();

/// The effective user id of the calling process (0 = root); -1 where users have no number.
int64_t currentUserId();

} // namespace portico::provider::ports
