#include "core/config/loader.h"

#include "core/config/schema.h"
#include "core/config/yaml_document.h"

#include <QFile>
#include <QFileInfo>

#include <exception>

namespace portico::config {

namespace {

/// Two entry points cannot listen on the same host and port.
void checkEntryPointPorts(const StaticConfig &config, Errors &errors)
{
    for (size_t i = 0; i < config.entryPoints.size(); ++i) {
        const EntryPointSpec &ep = config.entryPoints[i];
        for (size_t j = 0; j < i && ep.port != 0; ++j) {
            const EntryPointSpec &other = config.entryPoints[j];
            if (other.port == ep.port && other.host.compare(ep.host, Qt::CaseInsensitive) == 0) {
                SourceLocation where = ep.where;
                where.path = QStringLiteral("entryPoints.") + ep.name + QStringLiteral(".address");
                errors.push_back(Error { QStringLiteral("address \"%1\" is already used by entry "
                                                        "point \"%2\"")
                                             .arg(ep.address, other.name),
                    where, {} });
                break;
            }
        }
    }
}

} // namespace

namespace {

/// True when `$DOCKER_HOST` names an engine or the platform's default engine socket exists.
bool dockerEngineInstalled()
{
    if (qEnvironmentVariableIsSet("DOCKER_HOST"))
        return true;
#ifdef Q_OS_WIN
    return QFileInfo::exists(QStringLiteral("//./pipe/docker_engine"));
#else
    return QFileInfo::exists(QStringLiteral("/var/run/docker.sock"));
#endif
}

} // namespace

StaticConfig builtinStaticConfig()
{
    StaticConfig config;
    EntryPointSpec web;
    web.name = QStringLiteral("web");
    web.address = QStringLiteral("localhost:80");
    web.host = QStringLiteral("localhost");
    web.port = 80;
    web.asDefault = true;
    config.entryPoints.push_back(web);
    // `websecure`: the same routers over HTTPS (`http.tls`), with certificates from the local CA.
    EntryPointSpec websecure = web;
    websecure.name = QStringLiteral("websecure");
    websecure.address = QStringLiteral("localhost:443");
    websecure.port = 443;
    websecure.tls = RouterTlsSpec {};
    config.entryPoints.push_back(websecure);
    // Dev servers already listening are proposed (published on request); containers are routed
    // when a Docker-compatible engine is installed (without one the provider would only warn).
    config.portsProvider = PortsProviderSpec {};
    if (dockerEngineInstalled())
        config.dockerProvider = DockerProviderSpec {};
    return config;
}

StaticConfigResult parseStaticConfig(const QByteArray &text, const QString &file)
{
    StaticConfigResult result;
    result.config.file = file;
    Expected<Node> root = loadYamlDocument(text, file, result.errors);
    if (!root) {
        result.errors.push_back(root.error());
        return result;
    }
    try {
        schema::readStatic(*root, result.config, result.errors);
    } catch (const std::exception &e) {
        result.errors.push_back(Error {
            QStringLiteral("cannot read configuration: ") + QString::fromLocal8Bit(e.what()),
            { file, 0, 0, QString() }, {} });
    }
    if (result.config.entryPoints.empty()) // Traefik's default: one plain entry point
        result.config.entryPoints = { builtinStaticConfig().entryPoints.front() };
    checkEntryPointPorts(result.config, result.errors);
    sortByPosition(result.errors);
    return result;
}

StaticConfigResult loadStaticConfig(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        StaticConfigResult result;
        result.config.file = path;
        result.errors.push_back(
            Error { QStringLiteral("cannot read \"%1\": %2").arg(path, f.errorString().toLower()),
                {}, {} });
        return result;
    }
    return parseStaticConfig(f.readAll(), path);
}

Expected<DynamicConfig> tryParseDynamicConfig(const QByteArray &text, const QString &file)
{
    DynamicConfig config;
    Expected<Node> root = loadYamlDocument(text, file, config.errors);
    if (!root)
        return root.error();
    try {
        schema::readDynamic(*root, config);
    } catch (const std::exception &e) {
        config.errors.push_back(Error {
            QStringLiteral("cannot read configuration: ") + QString::fromLocal8Bit(e.what()),
            { file, 0, 0, QString() }, {} });
    }
    return config;
}

DynamicConfig parseDynamicConfig(const QByteArray &text, const QString &file)
{
    Expected<DynamicConfig> config = tryParseDynamicConfig(text, file);
    if (config)
        return std::move(config).value();
    DynamicConfig failed;
    failed.errors.push_back(config.error());
    return failed;
}

} // namespace portico::config
