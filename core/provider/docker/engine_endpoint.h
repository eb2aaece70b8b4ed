#pragma once

#include "core/common/expected.h"

#include <QString>

namespace portico::provider::docker {

/// Where the Docker Engine API listens: a local socket (Unix socket or Windows named pipe,
/// both reached through QLocalSocket) or a TCP address.
struct EngineEndpoint
{
    enum class Kind { Local, Tcp };
    Kind kind = Kind::Local;
    QString path; ///< Local: `/var/run/docker.sock` or `\\.\pipe\docker_engine`
    QString host; ///< Tcp
    quint16 port = 0; ///< Tcp
    QString text; ///< as configured, for messages
};

/// Parses `unix:///path`, `npipe:////./pipe/name`, `tcp://host:port` or `http://host:port`.
Expected<EngineEndpoint> parseEndpoint(const QString &text);

/// The endpoint to use: `configured` when set, else `$DOCKER_HOST`, else the platform default
/// (`unix:///var/run/docker.sock`; `npipe:////./pipe/docker_engine` on Windows).
Expected<EngineEndpoint> resolveEndpoint(const QString &configured);

} // namespace portico::provider::docker
