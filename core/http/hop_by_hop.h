#pragma once

#include "core/common/header_list.h"

namespace portico::http {

/// Removes hop-by-hop fields before forwarding (RFC 9110 §7.6.1): Connection, Keep-Alive,
/// Proxy-Connection, Proxy-Authenticate, Proxy-Authorization, TE, Trailer, Transfer-Encoding,
/// Upgrade, and every field named in Connection — except the X-Forwarded-* family Traefik manages.
/// With `keepUpgrade` (a WebSocket handshake), `Connection: Upgrade` and `Upgrade` are kept.
///
/// TE is always dropped, `TE: trailers` included. Go's ReverseProxy re-adds `TE: trailers` when
/// the client sent it, which gRPC upstreams require: the data plane must do the same (check
/// acceptsTrailers() before calling this) once it relays response trailers.
void removeHopByHopHeaders(HeaderList &headers, bool keepUpgrade = false);

/// True for a request asking to switch protocols (`Connection: upgrade` + `Upgrade: x`).
bool isUpgradeRequest(const HeaderList &headers);

/// True when the client announced it accepts trailers (`TE: trailers`, RFC 9110 §10.1.4).
bool acceptsTrailers(const HeaderList &headers);

/// False for fields a Connection option must never remove because the proxy itself depends on
/// them: Host, Content-Length, Transfer-Encoding, Connection and Upgrade (a client naming
/// `Content-Length` in Connection must not change how the body is framed).
bool isConnectionOptionRemovable(QByteArrayView name);

} // namespace portico::http
