#pragma once

#include "core/common/header_list.h"

namespace portico::http {

/// Removes hop-by-hop fields before forwarding (RFC 9110 §7.6.1): Connection, Keep-Alive,
/// Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, TE, Trailer, Transfer-Encoding,
/// Upgrade, and every field named in Connection — except the X-Forwarded-* family Traefik manages.
/// With `keepUpgrade` (a WebSocket handshake), `Connection: Upgrade` and `Upgrade` are kept.
void removeHopByHopHeaders(HeaderList &headers, bool keepUpgrade = false);

/// True for a request asking to switch protocols (`Connection: upgrade` + `Upgrade: x`).
bool isUpgradeRequest(const HeaderList &headers);

} // namespace portico::http
