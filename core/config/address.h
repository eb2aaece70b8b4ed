#pragma once

#include "core/common/expected.h"

#include <QString>

namespace portico::config {

/// A listening address split from an entry point's `address`.
struct ListenAddress
{
    QString host; ///< without brackets; empty = every address
    quint16 port = 0;
};

/// Parses an entry point address: `:80`, `127.0.0.1:8080`, `localhost:80`, `[::1]:443`, each with
/// an optional `/tcp` suffix. `/udp` is refused (no UDP entry points). Errors carry no location.
Expected<ListenAddress> parseListenAddress(const QString &text);

} // namespace portico::config
