#pragma once

#include "core/common/header_list.h"

#include <QByteArray>

namespace portico::http {

/// Protocol version of a message: 1.0, 1.1 or 2.0.
struct Version
{
    int major = 1;
    int minor = 1;
    friend bool operator==(Version, Version) = default;
    /// `HTTP/1.1`, `HTTP/2.0` — the spelling access logs use.
    QByteArray toByteArray() const;
};

/// A request line and its header fields, independent of the wire protocol (HTTP/1.x or HTTP/2).
struct RequestHead
{
    QByteArray method; ///< as received, case kept (`GET`)
    QByteArray target; ///< request-target as received: origin-form `/a?b`, absolute-form, `*`
    Version version;
    HeaderList headers;

    /// Path part of an origin-form or absolute-form target (before `?`), `/` if empty.
    QByteArray path() const;
    /// Query part without the `?`; null when the target has none.
    QByteArray query() const;
};

/// A status line and its header fields.
struct ResponseHead
{
    int status = 200;
    QByteArray reason; ///< reason phrase; empty means the standard one for `status`
    Version version;
    HeaderList headers;
};

/// Standard reason phrase for a status code (`Not Found`), or `Unknown`.
QByteArray reasonPhrase(int status);

} // namespace portico::http
