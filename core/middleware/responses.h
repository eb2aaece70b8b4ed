#pragma once

#include "core/middleware/middleware.h"

namespace portico::middleware {

/// Go's http.Error as Traefik uses it: reason phrase plus `\n`, `text/plain; charset=utf-8`,
/// `X-Content-Type-Options: nosniff` (e.g. stripPrefix's `400 Bad Request\n`).
LocalResponse errorResponse(int status);

/// A redirect as Traefik's redirect middlewares answer it: `Location` and the status text as
/// body, no Content-Type (the entry point disables sniffing).
LocalResponse redirectResponse(int status, const QByteArray &location);

} // namespace portico::middleware
