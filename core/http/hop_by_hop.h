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

/// Calls `visit` with every non-empty token of a comma-separated list value (RFC 9110 §5.6.1),
/// trimmed, as a view into `value` (no allocation).
template <typename Visit> void forEachListToken(QByteArrayView value, Visit &&visit)
{
    while (!value.isEmpty()) {
        const qsizetype comma = value.indexOf(',');
        const QByteArrayView token = (comma < 0 ? value : value.first(comma)).trimmed();
        value = comma < 0 ? QByteArrayView() : value.sliced(comma + 1);
        if (!token.isEmpty())
            visit(token);
    }
}

} // namespace portico::http
