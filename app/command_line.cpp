#include "app/command_line.h"

#include <QTextStream>

#include <yaml-cpp/yaml.h>

namespace portico::app {

namespace {

Error usageError(QString message)
{
    return Error { std::move(message), {}, QStringLiteral("see \"portico help\"") };
}

/// Splits `--a.b.c=v` / `--a.b.c v` / `--flag` into (path, value); value defaults to `true`.
QPair<QString, QString> splitFlag(const QString &argument, const QStringList &arguments, int &i)
{
    QString body = argument.mid(argument.startsWith(QStringLiteral("--")) ? 2 : 1);
    const qsizetype eq = body.indexOf(u'=');
    if (eq >= 0)
        return { body.left(eq), body.mid(eq + 1) };
    if (i + 1 < arguments.size() && !arguments[i + 1].startsWith(u'-'))
        return { body, arguments[++i] };
    return { body, QStringLiteral("true") };
}

bool parseNumber(const QString &value, int min, int max, int &out)
{
    bool ok = false;
    out = value.toInt(&ok);
    return ok && out >= min && out <= max;
}

/// Builds a YAML document from Traefik-style flags: `entryPoints.web.address=:80` → nested maps;
/// a comma list becomes a sequence for keys Traefik treats as lists.
QByteArray flagsToYaml(const QStringList &flags)
{
    YAML::Node root(YAML::NodeType::Map);
    for (const QString &flag : flags) {
        const qsizetype eq = flag.indexOf(u'=');
        const QStringList path = flag.left(eq).split(u'.');
        const QString value = flag.mid(eq + 1);
        std::vector<YAML::Node> chain { root };
        for (qsizetype k = 0; k + 1 < path.size(); ++k)
            chain.push_back(chain.back()[path[k].toStdString()]);
        const std::string leaf = path.last().toStdString();
        const bool list
            = path.last().compare(QStringLiteral("trustedIPs"), Qt::CaseInsensitive) == 0
            || path.last().compare(QStringLiteral("middlewares"), Qt::CaseInsensitive) == 0;
        if (list) {
            for (const QString &item : value.split(u',', Qt::SkipEmptyParts))
                chain.back()[leaf].push_back(item.trimmed().toStdString());
        } else {
            chain.back()[leaf] = value.toStdString();
        }
    }
    YAML::Emitter out;
    out << root;
    return QByteArray(out.c_str());
}

} // namespace

Expected<RunOptions> parseRunOptions(const QStringList &arguments)
{
    RunOptions options;
    for (int i = 0; i < arguments.size(); ++i) {
        const QString &arg = arguments[i];
        if (!arg.startsWith(u'-'))
            return usageError(QStringLiteral("unexpected argument \"%1\"").arg(arg));
        const auto [name, value] = splitFlag(arg, arguments, i);
        const QString key = name.toLower();
        if (key == u"config" || key == u"configfile" || key == u"c") {
            options.configFile = value;
        } else if (key == u"port") {
            if (!parseNumber(value, 1, 65535, options.port))
                return usageError(QStringLiteral("--port expects 1-65535, got \"%1\"").arg(value));
        } else if (key == u"https-port") {
            if (!parseNumber(value, 1, 65535, options.httpsPort))
                return usageError(
                    QStringLiteral("--https-port expects 1-65535, got \"%1\"").arg(value));
        } else if (key == u"threads") {
            if (!parseNumber(value, 1, 256, options.threads))
                return usageError(QStringLiteral("--threads expects 1-256, got \"%1\"").arg(value));
        } else if (key == u"log-level" || key == u"log.level") {
            options.logLevel = value;
        } else if (name.contains(u'.')) {
            options.staticFlags << name + u'=' + value;
        } else {
            return usageError(QStringLiteral("unknown option \"%1\"").arg(arg));
        }
    }
    if (!options.configFile.isEmpty() && !options.staticFlags.isEmpty()) {
        return usageError(QStringLiteral(
            "use either --config FILE or static flags such as \"--%1\", not both (as Traefik)")
                              .arg(options.staticFlags.first()));
    }
    return options;
}

namespace {

/// `--port` / `--https-port`: the port of entry point `name`; an error when there is none.
void overridePort(
    config::StaticConfigResult &result, const QString &name, const QString &flag, int port)
{
    if (port <= 0)
        return;
    bool found = false;
    for (auto &ep : result.config.entryPoints) {
        if (ep.name == name) {
            ep.port = quint16(port);
            found = true;
        }
    }
    if (!found)
        result.errors.push_back(usageError(
            QStringLiteral("%1 sets the \"%2\" entry point, which this configuration does not have")
                .arg(flag, name)));
}

} // namespace

config::StaticConfigResult resolveStaticConfig(const RunOptions &options)
{
    config::StaticConfigResult result;
    if (!options.configFile.isEmpty())
        result = config::loadStaticConfig(options.configFile);
    else if (!options.staticFlags.isEmpty())
        result = config::parseStaticConfig(
            flagsToYaml(options.staticFlags), QStringLiteral("command line"));
    else
        result.config = config::builtinStaticConfig();
    overridePort(result, QStringLiteral("web"), QStringLiteral("--port"), options.port);
    overridePort(
        result, QStringLiteral("websecure"), QStringLiteral("--https-port"), options.httpsPort);
    if (options.threads > 0)
        result.config.engineThreads = options.threads;
    if (!options.logLevel.isEmpty())
        result.config.log.level = options.logLevel.toUpper();
    return result;
}

std::optional<config::StaticConfig> staticConfigOrReport(const QStringList &arguments)
{
    QTextStream err(stderr);
    const auto options = parseRunOptions(arguments);
    if (!options) {
        err << "portico: " << options.error().toString() << Qt::endl;
        return std::nullopt;
    }
    config::StaticConfigResult loaded = resolveStaticConfig(*options);
    for (const Error &e : loaded.errors)
        err << "portico: " << e.toString() << Qt::endl;
    if (!loaded.ok())
        return std::nullopt;
    return std::move(loaded.config);
}

QStringList notYetEffective(const config::StaticConfig &config)
{
    QStringList notes;
    if (config.api && config.api->dashboard)
        notes << QStringLiteral("api.dashboard is valid but there is no web dashboard yet: the "
                                "API is served, the desktop app shows what a dashboard would");
    if (!config.log.filePath.isEmpty()
        || config.log.format.compare(QLatin1String("json"), Qt::CaseInsensitive) == 0)
        notes << QStringLiteral(
            "log.filePath and log.format json are not applied yet: logs go to stderr as text");
    return notes;
}

} // namespace portico::app
