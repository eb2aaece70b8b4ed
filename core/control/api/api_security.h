#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHostAddress>

namespace portico::control::api {

/// A parsed `portico.controlAddress`.
struct ControlAddress
{
    QHostAddress address;
    quint16 port = 0;
};

/// Parses `127.0.0.1:0`, `[::1]:9000` or `localhost:9000` (= 127.0.0.1); anything that is not a
/// loopback address (`0.0.0.0:9000`, `:9000`, a LAN address) is refused: the API is local only.
Expected<ControlAddress> parseControlAddress(const QString &text);

/// True when a Host header value names this machine's loopback: `localhost`, `*.localhost`,
/// `127.0.0.0/8` or `[::1]`, with or without a port. Everything else is refused so that a page
/// from another site whose name was re-pointed at 127.0.0.1 cannot read the API (DNS rebinding).
bool isLoopbackHost(QByteArrayView host);

/// True when an Origin header value is a loopback origin (`http://localhost:3000`); `null` and
/// foreign origins are not (browsers send Origin on cross-site requests).
bool isLoopbackOrigin(QByteArrayView origin);

/// Reads the API token from paths::apiTokenPath(), creating it first with 32 bytes from the
/// system CSPRNG (owner-only permissions) when it is missing or empty.
Expected<QByteArray> loadOrCreateToken();

/// True when `authorization` is `Bearer <token>` (scheme case-insensitive, RFC 6750 §2.1),
/// compared in constant time.
bool bearerMatches(QByteArrayView authorization, QByteArrayView token);

} // namespace portico::control::api
