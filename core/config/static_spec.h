#pragma once

#include "core/config/dynamic_spec.h"

#include <QString>
#include <QStringList>

#include <limits>
#include <map>
#include <optional>
#include <utility>
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
    /// `http.tls`: present (even empty) = every router here is a TLS router; its options and
    /// domains apply to routers that have no `tls` of their own.
    std::optional<RouterTlsSpec> tls;
    /// `http.redirections.entryPoint`: every request is redirected to another entry point.
    struct Redirection
    {
        QString to; ///< entry point name, or a port (`:443` / `443`)
        QString scheme = QStringLiteral("https");
        bool permanent = true;
        qint64 priority = std::numeric_limits<qint64>::max() - 1;
    };
    std::optional<Redirection> redirection;
    SourceLocation where;
};

struct FileProviderSpec
{
    QString filename;
    QString directory;
    bool watch = true;
};

/// `providers.docker` (Traefik's Docker provider; also podman's Docker-compatible API).
struct DockerProviderSpec
{
    /// `unix:///path`, `npipe:////./pipe/name` or `tcp://host:port`; empty = `$DOCKER_HOST`, else
    /// the platform default (`unix:///var/run/docker.sock`, `npipe:////./pipe/docker_engine`).
    QString endpoint;
    /// Portico's default differs from Traefik's `Host(`{{ normalize .Name }}`)`: a container
    /// without labels gets `<name>.localhost`, a name that resolves on every developer machine.
    QString defaultRule = QStringLiteral("Host(`{{ normalize .Name }}.localhost`)");
    bool exposedByDefault = true;
    QString network; ///< default network for containers on several networks
    bool useBindPortIP = false;
    bool watch = true;
    bool allowEmptyServices = false;
    QString constraints; ///< Traefik constraint expression; empty = every container
    milliseconds httpClientTimeout { 0 };
    SourceLocation where;
};

/// `providers.ports` (Portico only): dev servers found listening on local ports.
struct PortsProviderSpec
{
    /// `manual` (default): found servers are proposed and published on request; `auto`: every
    /// recognised dev server is published at once.
    QString publish = QStringLiteral("manual");
    milliseconds interval { 2000 }; ///< how often listening sockets are re-read
    SourceLocation where;
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
    /// `fields.defaultMode` and `fields.names.<Field>` (keys lower-cased): `keep` or `drop`.
    QString fieldsDefaultMode = QStringLiteral("keep");
    std::map<QString, QString> fieldNames;
    /// `fields.headers.defaultMode` and `.names.<Header>` (keys lower-cased): `keep`, `drop` or
    /// `redact`; Traefik's loader makes `drop` the default.
    QString headersDefaultMode = QStringLiteral("drop");
    std::map<QString, QString> headerNames;
    /// `fields.queryParameters.defaultMode`: `keep` or `drop` (drop removes `?query` from paths).
    QString queryDefaultMode = QStringLiteral("keep");
};

/// `metrics.prometheus` (Traefik v3): Prometheus metrics with Traefik's names.
struct PrometheusSpec
{
    std::vector<double> buckets { 0.1, 0.3, 1.2, 5.0 }; ///< histogram upper bounds, seconds
    bool addEntryPointsLabels = true;
    bool addRoutersLabels = false;
    bool addServicesLabels = true;
    QString entryPoint = QStringLiteral("traefik"); ///< where router prometheus@internal goes
    bool manualRouting = false; ///< true: no router; the user routes to prometheus@internal
    /// `headerLabels.<label>: <Header>`: extra labels on `*_requests_total`, in document order.
    std::vector<std::pair<QString, QString>> headerLabels;
};

/// `metrics`: only the Prometheus exporter is implemented.
struct MetricsSpec
{
    bool addInternals = false; ///< count requests to `@internal` services too
    std::optional<PrometheusSpec> prometheus;
};

/// `portico.capture.history` (Portico only): captured records kept on disk (SQLite) so the
/// inspector shows them after a restart.
struct HistorySpec
{
    bool enabled = true;
    QString path; ///< empty = `<home>/history.sqlite`
    qint64 maxSize = qint64(512) << 20; ///< bytes; the oldest records go beyond it
    milliseconds maxAge { qint64(7) * 24 * 3600 * 1000 }; ///< older records are deleted
};

/// `portico.capture` (Portico only): what the request inspector keeps in memory. Sizes accept
/// bytes or `64KiB` / `1MiB` / `1GiB`. (`portico.capture.history` is read next to it.)
struct CaptureSpec
{
    bool enabled = true; ///< false: no records at all (inspector, history, logs of records)
    qint64 bodyCap = qint64(1) << 20; ///< bytes kept of each request and response body
    qint64 budget = qint64(256) << 20; ///< total bytes of the in-memory ring
    int maxMessages = 1000; ///< WebSocket messages / SSE events kept per exchange
    int messageCap = 64 * 1024; ///< bytes kept of each message
    QStringList routers; ///< capture only these routers (qualified names); empty = all
    HistorySpec history; ///< `portico.capture.history`
};

/// The static configuration (Traefik v3 layout) plus Portico's own knobs.
struct StaticConfig
{
    QString file; ///< where it was read from; empty for the built-in default
    std::vector<EntryPointSpec> entryPoints;
    ServersTransportSpec serversTransport;
    std::optional<FileProviderSpec> fileProvider;
    std::optional<DockerProviderSpec> dockerProvider;
    std::optional<PortsProviderSpec> portsProvider;
    std::optional<ApiSpec> api;
    LogSpec log;
    std::optional<AccessLogSpec> accessLog;
    std::optional<MetricsSpec> metrics;
    milliseconds graceTimeout { 10000 }; ///< entryPoints.*.transport.lifeCycle.graceTimeOut
    int engineThreads = 0; ///< 0 = one per core
    /// `portico.controlAddress`: where the control API listens; loopback only, port 0 = a free
    /// port (published in paths::instancePath() for the CLI).
    QString controlAddress = QStringLiteral("127.0.0.1:0");
    /// `portico.tls.extraSuffixes`: development suffixes beyond `localhost` and `test` that the
    /// local CA may certify (`.internal`, `.lan`); they are written into the root's name
    /// constraints, so adding one to an existing CA takes `portico ca rotate`.
    QStringList tlsExtraSuffixes;
    CaptureSpec capture; ///< `portico.capture`
};

} // namespace portico::config
