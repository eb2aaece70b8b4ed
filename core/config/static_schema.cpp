#include "core/config/schema.h"

#include <QRegularExpression>

namespace portico::config::schema {

namespace {

// Traefik sections that exist but that Portico does not implement yet.
const QStringList unsupportedStaticSections = { QStringLiteral("tcpServersTransport"),
    QStringLiteral("ping"), QStringLiteral("tracing"), QStringLiteral("hostResolver"),
    QStringLiteral("certificatesResolvers"), QStringLiteral("experimental"), QStringLiteral("core"),
    QStringLiteral("spiffe"), QStringLiteral("ocsp") };

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

/// `name: mode` pairs of `fields.names` / `fields.headers.names`, keys lower-cased (Traefik
/// matches field and header names case-insensitively).
void readModeNames(
    const Node &node, std::map<QString, QString> &out, const QStringList &modes, Errors &errors)
{
    for (const Node::Entry &entry : node.entries()) {
        QString mode;
        if (readChoice(entry.value, mode, modes, errors))
            out[entry.key.toLower()] = mode;
    }
}

/// `accessLog.fields`: which fields and headers the lines carry.
void readAccessLogFields(const Node &node, AccessLogSpec &spec, Errors &errors)
{
    const QStringList keepDrop { QStringLiteral("keep"), QStringLiteral("drop") };
    const QStringList headerModes { QStringLiteral("keep"), QStringLiteral("drop"),
        QStringLiteral("redact") };
    MapReader r(node, errors);
    readChoice(r.take(QStringLiteral("defaultMode")), spec.fieldsDefaultMode, keepDrop, errors);
    readModeNames(r.take(QStringLiteral("names")), spec.fieldNames, keepDrop, errors);
    MapReader headers(r.take(QStringLiteral("headers")), errors);
    readChoice(
        headers.take(QStringLiteral("defaultMode")), spec.headersDefaultMode, headerModes, errors);
    readModeNames(headers.take(QStringLiteral("names")), spec.headerNames, headerModes, errors);
    headers.finish();
    MapReader query(r.take(QStringLiteral("queryParameters")), errors);
    readChoice(query.take(QStringLiteral("defaultMode")), spec.queryDefaultMode, keepDrop, errors);
    query.finish();
    r.finish();
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
    readAccessLogFields(r.take(QStringLiteral("fields")), spec, errors);
    r.unsupported({ QStringLiteral("dualOutput"), QStringLiteral("otlp") });
    r.finish();
    config.accessLog = spec;
}

/// `metrics.prometheus.buckets`: ascending numbers (seconds).
void readBuckets(const Node &node, std::vector<double> &out, Errors &errors)
{
    QStringList texts;
    if (!readStringList(node, texts, errors))
        return;
    std::vector<double> buckets;
    for (const QString &text : texts) {
        bool ok = false;
        const double value = text.toDouble(&ok);
        if (!ok || (!buckets.empty() && value <= buckets.back())) {
            addError(errors, node, QStringLiteral("invalid bucket \"%1\"").arg(text),
                QStringLiteral(
                    "buckets are ascending numbers of seconds, e.g. [0.1, 0.3, 1.2, 5]"));
            return;
        }
        buckets.push_back(value);
    }
    out = std::move(buckets);
}

/// `metrics.prometheus`: presence enables it (`prometheus:` or `prometheus: {}`).
void readPrometheus(const Node &node, MetricsSpec &metrics, Errors &errors)
{
    PrometheusSpec spec;
    if (node.isScalar()) {
        bool enabled = false;
        if (readBool(node, enabled, errors) && enabled)
            metrics.prometheus = spec;
        return;
    }
    MapReader r(node, errors);
    readBuckets(r.take(QStringLiteral("buckets")), spec.buckets, errors);
    readBool(r.take(QStringLiteral("addEntryPointsLabels")), spec.addEntryPointsLabels, errors);
    readBool(r.take(QStringLiteral("addRoutersLabels")), spec.addRoutersLabels, errors);
    readBool(r.take(QStringLiteral("addServicesLabels")), spec.addServicesLabels, errors);
    readString(r.take(QStringLiteral("entryPoint")), spec.entryPoint, errors);
    readBool(r.take(QStringLiteral("manualRouting")), spec.manualRouting, errors);
    const Node headerLabels = r.take(QStringLiteral("headerLabels"));
    for (const Node::Entry &entry : headerLabels.entries()) {
        QString header;
        if (readString(entry.value, header, errors))
            spec.headerLabels.emplace_back(entry.key, header);
    }
    r.finish();
    metrics.prometheus = spec;
}

/// `metrics`: `addInternals` and the Prometheus exporter; other exporters are not supported yet.
void readMetrics(const Node &node, StaticConfig &config, Errors &errors)
{
    MetricsSpec spec;
    MapReader r(node, errors);
    readBool(r.take(QStringLiteral("addInternals")), spec.addInternals, errors);
    const Node prometheus = r.take(QStringLiteral("prometheus"));
    if (prometheus.isDefined())
        readPrometheus(prometheus, spec, errors);
    r.unsupported({ QStringLiteral("datadog"), QStringLiteral("statsD"),
        QStringLiteral("influxDB2"), QStringLiteral("otlp") });
    r.finish();
    config.metrics = spec;
}

/// A byte size: a number of bytes or `<n>KiB|MiB|GiB` (`KB`/`MB`/`GB` read the same, binary).
void readByteSize(const Node &node, qint64 &out, qint64 min, Errors &errors)
{
    QString text;
    if (!node.isDefined() || !readString(node, text, errors))
        return;
    static const QRegularExpression shape(QStringLiteral("^\\s*(\\d{1,12})\\s*([kmg]i?b?|b)?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch m = shape.match(text);
    const QChar unit = m.captured(2).isEmpty() ? QChar() : m.captured(2).at(0).toLower();
    const int shift = unit == u'k' ? 10 : unit == u'm' ? 20 : unit == u'g' ? 30 : 0;
    const qint64 value = m.captured(1).toLongLong() << shift;
    if (!m.hasMatch() || value < min)
        return addError(errors, node, QStringLiteral("invalid size \"%1\"").arg(text),
            QStringLiteral("expected bytes or a size such as \"64KiB\" or \"256MiB\" (at least %1)")
                .arg(min));
    out = value;
}

/// `portico.capture.history`: the on-disk history of captured records.
void readHistory(const Node &node, HistorySpec &spec, Errors &errors)
{
    MapReader r(node, errors);
    // enabled: keep captured records in SQLite across restarts (default true).
    readBool(r.take(QStringLiteral("enabled")), spec.enabled, errors);
    // path: the SQLite file; default `<home>/history.sqlite`.
    readString(r.take(QStringLiteral("path")), spec.path, errors);
    // maxSize: the oldest records are deleted beyond this file size (default 512MiB).
    readByteSize(r.take(QStringLiteral("maxSize")), spec.maxSize, 64 * 1024, errors);
    // maxAge: records older than this are deleted (default 168h).
    readDuration(r.take(QStringLiteral("maxAge")), spec.maxAge, errors);
    r.finish();
}

/// `portico.capture`: the request inspector's in-memory capture (`history` is read with it).
void readCapture(const Node &node, CaptureSpec &spec, Errors &errors)
{
    MapReader r(node, errors);
    readBool(r.take(QStringLiteral("enabled")), spec.enabled, errors);
    readByteSize(r.take(QStringLiteral("bodyCap")), spec.bodyCap, 0, errors);
    readByteSize(r.take(QStringLiteral("budget")), spec.budget, 64 * 1024, errors);
    readInt(r.take(QStringLiteral("maxMessages")), spec.maxMessages, 0, 1000000, errors);
    qint64 messageCap = spec.messageCap;
    readByteSize(r.take(QStringLiteral("messageCap")), messageCap, 0, errors);
    spec.messageCap = int(std::min<qint64>(messageCap, 64 << 20));
    readStringList(r.take(QStringLiteral("routers")), spec.routers, errors);
    readHistory(r.take(QStringLiteral("history")), spec.history, errors);
    r.finish();
}

/// `portico.tls`: the local CA.
void readPorticoTls(const Node &node, StaticConfig &config, Errors &errors)
{
    MapReader r(node, errors);
    // extraSuffixes: development suffixes the local CA may certify besides localhost and test.
    readStringList(r.take(QStringLiteral("extraSuffixes")), config.tlsExtraSuffixes, errors);
    r.finish();
}

/// `portico`: Portico's own knobs, which Traefik does not have.
void readPortico(const Node &node, StaticConfig &config, Errors &errors)
{
    MapReader r(node, errors);
    // engineThreads: number of proxy engine threads; 0 (default) = one per core.
    readInt(r.take(QStringLiteral("engineThreads")), config.engineThreads, 0, 256, errors);
    // controlAddress: the control API's loopback address (checked when it binds).
    readString(r.take(QStringLiteral("controlAddress")), config.controlAddress, errors);
    readCapture(r.take(QStringLiteral("capture")), config.capture, errors);
    readPorticoTls(r.take(QStringLiteral("tls")), config, errors);
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
    const Node metrics = r.take(QStringLiteral("metrics"));
    if (metrics.isDefined())
        readMetrics(metrics, config, errors);
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
