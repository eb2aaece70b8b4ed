#pragma once

#include "core/middleware/middleware.h"

#include <QByteArray>

namespace portico::proxy {

/// Responses Portico produces itself, byte-compatible with Traefik's
/// (docs/traefik-behaviour.md, "Status codes and bodies produced by Traefik itself").
namespace local {

/// 404 `404 page not found\n`, text/plain; charset=utf-8, nosniff (Go's http.NotFound).
middleware::LocalResponse notFound();
/// 503 `no available server\n` (Go's http.Error): no healthy server behind the router.
middleware::LocalResponse noAvailableServer();
/// 502 `Bad Gateway` / 504 `Gateway Timeout`: the status text, no newline, no Content-Type.
middleware::LocalResponse gatewayError(int status);
/// Errors about the request itself (400, 408, 414, 431): `<code> <text>` like Go's server,
/// text/plain; charset=utf-8, always with `Connection: close`.
middleware::LocalResponse clientError(int status);

} // namespace local

/// The current time as an IMF-fixdate (RFC 9110 §5.6.7) for the Date header, recomputed at most
/// once per second per thread.
const QByteArray &httpDate();

} // namespace portico::proxy
