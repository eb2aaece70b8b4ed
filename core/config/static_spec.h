#pragma once

#include "core/config/dynamic_spec.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace portico::config {

/// `entryPoints.<name>` of the static configuration.
struct EntryPointSpec
{
    QString name;
    QString address; ///< as written, `[host]:port`
    QString host; ///< empty = every address (IPv4 and IPv6); "localhost" = 127.0.0.1 and ::1
    quint16 port = 0; ///< 0 = pick a free port (tests)
    bool asDefault = false;
    struct
    {
        QStringList trustedIPs; ///< IPs or CIDRs
        bool insecure = false;
    } forwardedHeaders;
    struct
    {
        milliseconds readTimeout { 60000 };
        milliseconds writeTimeout { 0 };
        milliseconds idleTimeout { 180000 };
    } respondingTimeouts;
    qint64 maxHeaderBytes = 1 << 20;
    QStringList middlewares; ///< `http.middlewares`, applied before each router's own
    SourceLocation where;
};

/// `serversTransport` (global transport toward upstream servers).
struct ServersTransportSpec
{
    bool insecureSkipVerify = false;
    int maxIdleConnsPerHost = 200;
    milliseconds dialTimeout { 30000 };
    milliseconds responseHeaderTimeout { 0 };
    milliseconds idleConnTimeout { 90000 };
};

struct FileProviderSpec
{
    QString filename;
    QString directory;
    bool watch = true;
};

struct ApiSpec
{
    bool insecure = false;
    bool dashboard = true;
    bool debug = false;
    QString basePath = QStringLiteral("/");
};

struct LogSpec
{
    QString level = QStringLiteral("ERROR");
    QString format = QStringLiteral("common");
    QString filePath;
    bool noColor = false;
};

struct AccessLogSpec
{
    QString filePath; ///< empty = stdout
    QString format = QStringLiteral("common");
    int bufferingSize = 0;
    QStringList statusCodes; ///< filters.statusCodes
    bool retryAttempts = false;
    milliseconds minDuration { 0 };
};

/// The static configuration (Traefik v3 layout) plus Portico's own knobs.
struct StaticConfig
{
    QString file; ///< where it was read from; empty for the built-in default
    std::vector<EntryPointSpec> entryPoints;
    ServersTransportSpec serversTransport;
    std::optional<FileProviderSpec> fileProvider;
    std::optional<ApiSpec> api;
    LogSpec log;
    std::optional<AccessLogSpec> accessLog;
    milliseconds graceTimeout { 10000 }; ///< entryPoints.*.transport.lifeCycle.graceTimeOut
    int engineThreads = 0; ///< 0 = one per core
};

} // namespace portico::config
