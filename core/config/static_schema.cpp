#include "core/config/schema.h"

#include <QRegularExpression>

namespace portico::config::schema {

namespace {

// Traefik sections that exist but that Portico does not implement yet.
const QStringList unsupportedStaticSections
    = { QStringLiteral("tcpServersTransport"), QStringLiteral("metrics"), QStringLiteral("ping"),
          QStringLiteral("tracing"), QStringLiteral("hostResolver"),
          QStringLiteral("certificatesResolvers"), QStringLiteral("experimental"),
          QStringLiteral("core"), QStringLiteral("spiffe"), QStringLiteral("ocsp") };

// Every provider Traefik has besides `file` and `docker`.
const QStringList unsupportedProviders = { QStringLiteral("swarm"), QStringLiteral("kubernetesCRD"),
    QStringLiteral("kubernetesIngress"), QStringLiteral("kubernetesIngressNGINX"),
    QStringLiteral("kubernetesGateway"), QStringLiteral("consulCatalog"), QStringLiteral("nomad"),
    QStringLiteral("ecs"), QStringLiteral("consul"), QStringLiteral("etcd"),
    QStringLiteral("zooKeeper"), QStringLiteral("redis"), QStringLiteral("http"),
    QStringLiteral("plugin"), QStringLiteral("rest"), QStringLiteral("precedence") };

/// `global.checkNewVersion` / `sendAnonymousUsage`: checked for type, then ignored — Portico
/// never phones home.
void readGlobal(const Node &node, Errors &errors)
{
    MapReader r(node, errors);
    bool ignored = false;
    readBool(r.take(QStringLiteral("checkNewVersion")), ignored, errors);
    readBool(r.take(QStringLiteral("sendAnonymousUsage")), ignored, errors);
    r.finish();
}

/// `providers.file`: `filename` or `directory` (directory wins), `watch` (default true).
void readFileProvider(
    const Node &node, const SourceLocation &where, StaticConfig &config, Errors &errors)
{
    FileProviderSpec spec;
    MapReader r(node, errors);
    readString(r.take(QStringLiteral("filename")), spec.filename, errors);
    readString(r.take(QStringLiteral("directory")), spec.directory, errors);
    readBool(r.take(QStringLiteral("watch")), spec.watch, errors);
    bool ignored = false;
    readBool(r.take(QStringLiteral("debugLogGeneratedTemplate")), ignored, errors);
    r.finish();
    if (spec.filename.isEmpty() && spec.directory.isEmpty())
        errors.push_back(Error { QStringLiteral("neither filename nor directory is defined"), where,
            QStringLiteral("set providers.file.filename or .directory") });
    config.fileProvider = spec;
}

/// `providers.docker`: Traefik's options; TLS client options toward a TCP endpoint are not
/// supported yet (local engines listen on a socket or pipe).
void readDockerProvider(
    const Node &node, const SourceLocation &where, StaticConfig &config, Errors &errors)
{
    DockerProviderSpec spec;
    spec.where = where;
    MapReader r(node, errors);
    readString(r.take(QStringLiteral("endpoint")), spec.endpoint, errors);
    readString(r.take(QStringLiteral("defaultRule")), spec.defaultRule, errors);
    readBool(r.take(QStringLiteral("exposedByDefault")), spec.exposedByDefault, errors);
    readString(r.take(QStringLiteral("network")), spec.network, errors);
    readBool(r.take(QStringLiteral("useBindPortIP")), spec.useBindPortIP, errors);
    readBool(r.take(QStringLiteral("watch")), spec.watch, errors);
    readBool(r.take(QStringLiteral("allowEmptyServices")), spec.allowEmptyServices, errors);
    readString(r.take(QStringLiteral("constraints")), spec.constraints, errors);
    readDuration(r.take(QStringLiteral("httpClientTimeout")), spec.httpClientTimeout, errors);
    r.unsupported(
        { QStringLiteral("tls"), QStringLiteral("username"), QStringLiteral("password") });
    r.finish();
    config.dockerProvider = spec;
}

/// `providers.ports` (Portico only): `publish: manual|auto`, `interval`.
void readPortsProvider(
    const Node &node, const SourceLocation &where, StaticConfig &config, Errors &errors)
{
    PortsProviderSpec spec;
    spec.where = where;
    MapReader r(node, errors);
    readChoice(r.take(QStringLiteral("publish")), spec.publish,
        { QStringLiteral("manual"), QStringLiteral("auto") }, errors);
    readDuration(r.take(QStringLiteral("interval")), spec.interval, errors);
    r.finish();
    config.portsProvider = spec;
}

/// `providers`: `file`, `docker` and Portico's `ports`; `providersThrottleDuration` is checked and
/// ignored (the file provider coalesces bursts of events itself).
void readProviders(const Node &node, StaticConfig &config, Errors &errors)
{
    MapReader r(node, errors);
    const Node file = r.take(QStringLiteral("file"));
    if (file.isDefined())
        readFileProvider(file, r.keyLocation(QStringLiteral("file")), config, errors);
    const Node docker = r.take(QStringLiteral("docker"));
    if (docker.isDefined())
        readDockerProvider(docker, r.keyLocation(QStringLiteral("docker")), config, errors);
    const Node ports = r.take(QStringLiteral("ports"));
    if (ports.isDefined())
        readPortsProvider(ports, r.keyLocation(QStringLiteral("ports")), config, errors);
    std::chrono::milliseconds throttle {};
    readDuration(r.take(QStringLiteral("providersThrottleDuration")), throttle, errors);
    r.unsupported(unsupportedProviders);
    r.finish();
}

/// `api`: its presence enables the API (`api: {}` or `api:`); `api: false` leaves it off.
void readApi(const Node &node, StaticConfig &config, Errors &errors)
{
    if (node.isScalar()) {
        bool enabled = false;
        if (readBool(node, enabled, errors) && enabled)
            config.api = ApiSpec {};
        return;
    }
    ApiSpec spec;
    MapReader r(node, errors);
    readBool(r.take(QStringLiteral("insecure")), spec.insecure, errors);
    readBool(r.take(QStringLiteral("dashboard")), spec.dashboard, errors);
    readBool(r.take(QStringLiteral("debug")), spec.debug, errors);
    const Node basePath = r.take(QStringLiteral("basePath"));
    if (readString(basePath, spec.basePath, errors)) {
        // Traefik's check (pkg/config/static): an absolute URL path of safe characters.
        static const QRegularExpression valid(QStringLiteral("^/[a-zA-Z0-9/_.:~-]*$"));
        if (!valid.match(spec.basePath).hasMatch())
            addError(errors, basePath, QStringLiteral("invalid basePath \"%1\"").arg(spec.basePath),
                QStringLiteral("must be an absolute URL path such as \"/traefik\""));
    }
    r.ignore({ QStringLiteral("disableDashboardAd"), QStringLiteral("dashboardName") });
    r.finish();
    config.api = spec;
}

/// `log`: level is one of Traefik's levels (stored upper-case); rotation keys are ignored.
void readLog(const Node &node, StaticConfig &config, Errors &errors)
{
    MapReader r(node, errors);
    readChoice(r.take(QStringLiteral("level")), config.log.level,
        { QStringLiteral("TRACE"), QStringLiteral("DEBUG"), QStringLiteral("INFO"),
            QStringLiteral("WARN"), QStringLiteral("ERROR"), QStringLiteral("FATAL"),
            QStringLiteral("PANIC") },
        errors);
    readChoice(r.take(QStringLiteral("format")), config.log.format,
        { QStringLiteral("common"), QStringLiteral("json") }, errors);
    readString(r.take(QStringLiteral("filePath")), config.log.filePath, errors);
    readBool(r.take(QStringLiteral("noColor")), config.log.noColor, errors);
    r.ignore({ QStringLiteral("maxSize"), QStringLiteral("maxAge"), QStringLiteral("maxBackups"),
        QStringLiteral("compress") });
    r.unsupported({ QStringLiteral("otlp") });
    r.finish();
}

/// `accessLog.filters.statusCodes`: each entry is `NNN` or `NNN-MMM` (inclusive, ascending).
void checkStatusCodes(const Node &node, const QStringList &codes, Errors &errors)
{
    static const QRegularExpression shape(
        QStringLiteral("^([1-5][0-9][0-9])(?:-([1-5][0-9][0-9]))?$"));
    for (const QString &code : codes) {
        const QRegularExpressionMatch m = shape.match(code);
        if (!m.hasMatch() || (m.hasCaptured(2) && m.captured(2).toInt() < m.captured(1).toInt()))
            addError(errors, node, QStringLiteral("invalid status code range \"%1\"").arg(code),
                QStringLiteral("expected \"404\" or \"500-599\""));
    }
}

/// `accessLog`: presence enables it.
void readAccessLog(const Node &node, StaticConfig &config, Errors &errors)
{
    AccessLogSpec spec;
    MapReader r(node, errors);
    readString(r.take(QStringLiteral("filePath")), spec.filePath, errors);
    readChoice(r.take(QStringLiteral("format")), spec.format,
        { QStringLiteral("common"), QStringLiteral("genericCLF"), QStringLiteral("json") }, errors);
    readInt(r.take(QStringLiteral("bufferingSize")), spec.bufferingSize, 0, 1 << 20, errors);
    MapReader filters(r.take(QStringLiteral("filters")), errors);
    const Node statusCodes = filters.take(QStringLiteral("statusCodes"));
    if (readStringList(statusCodes, spec.statusCodes, errors))
        checkStatusCodes(statusCodes, spec.statusCodes, errors);
    readBool(filters.take(QStringLiteral("retryAttempts")), spec.retryAttempts, errors);
    readDuration(filters.take(QStringLiteral("minDuration")), spec.minDuration, errors);
    filters.finish();
    bool ignored = false;
    readBool(r.take(QStringLiteral("addInternals")), ignored, errors);
    r.unsupported(
        { QStringLiteral("fields"), QStringLiteral("dualOutput"), QStringLiteral("otlp") });
    r.finish();
    config.accessLog = spec;
}

/// `portico`: Portico's own knobs, which Traefik does not have.
void readPortico(const Node &node, StaticConfig &config, Errors &errors)
{
    MapReader r(node, errors);
    // engineThreads: number of proxy engine threads; 0 (default) = one per core.
    readInt(r.take(QStringLiteral("engineThreads")), config.engineThreads, 0, 256, errors);
    // controlAddress: the control API's loopback address (checked when it binds).
    readString(r.take(QStringLiteral("controlAddress")), config.controlAddress, errors);
    r.finish();
}

} // namespace

void readStatic(const Node &root, StaticConfig &config, Errors &errors)
{
    MapReader r(root, errors);
    readGlobal(r.take(QStringLiteral("global")), errors);
    readEntryPoints(r.take(QStringLiteral("entryPoints")), config, errors);
    readServersTransport(
        r.take(QStringLiteral("serversTransport")), config.serversTransport, errors);
    readProviders(r.take(QStringLiteral("providers")), config, errors);
    const Node api = r.take(QStringLiteral("api"));
    if (api.isDefined())
        readApi(api, config, errors);
    readLog(r.take(QStringLiteral("log")), config, errors);
    const Node accessLog = r.take(QStringLiteral("accessLog"));
    if (accessLog.isDefined())
        readAccessLog(accessLog, config, errors);
    readPortico(r.take(QStringLiteral("portico")), config, errors);
    r.unsupported(unsupportedStaticSections);
    r.refuse({ QStringLiteral("http"), QStringLiteral("tcp"), QStringLiteral("udp"),
                 QStringLiteral("tls") },
        QStringLiteral("\"%1\" belongs in the dynamic configuration"),
        QStringLiteral("put it in the file that providers.file names"));
    r.finish();
    sortByPosition(errors);
}

} // namespace portico::config::schema
