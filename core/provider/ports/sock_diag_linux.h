#pragma once

#include "core/provider/ports/listener_table.h"

#include <vector>

namespace portico::provider::ports {

/// Appends the listening TCP sockets of `family` (AF_INET, AF_INET6) as the kernel's sock_diag
/// netlink interface reports them. The kernel filters by state, so the cost follows the number of
/// listeners, not of all sockets, and nothing is formatted as text (/proc/net/tcp costs ~10 µs of
/// kernel time per listener). False when netlink is unavailable; the caller falls back to /proc.
bool readSockDiag(int family, std::vector<Listener> &out);

} // namespace portico::provider::ports
