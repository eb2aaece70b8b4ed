#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QString>

namespace portico::service {

/// Where a server URL points: the parts the data plane and the health checker dial.
struct ServerAddress
{
    QByteArray scheme; ///< `http`, `https` or `h2c`, lower-case
    QString host; ///< host name or IP literal without brackets; `localhost` is kept as a name
    quint16 port = 0; ///< explicit or the scheme's default (80, 443)
    QByteArray authority; ///< the URL's `host[:port]` as written (brackets kept, no user info)
    QByteArray path; ///< the URL's path as written (percent-encoded), may be empty
};

/// Parses an upstream server URL (`http(s)://` or `h2c://host[:port][/path]`; h2c defaults to
/// port 80); the error message quotes the
/// URL and says what is wrong with it, without a location.
Expected<ServerAddress> parseServerUrl(const QString &url);

} // namespace portico::service
