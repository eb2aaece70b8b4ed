#pragma once

#include "core/config/loader.h"

#include <QStringList>

#include <optional>

namespace portico::app {

/// Options shared by the verbs that run or check a configuration.
struct RunOptions
{
    QString configFile; ///< --config / --configFile
    QStringList staticFlags; ///< Traefik-style `--entryPoints.web.address=:8080`
    int port = -1; ///< --port: the `web` entry point's port (loopback)
    int httpsPort = -1; ///< --https-port: the `websecure` entry point's port
    int threads = 0; ///< --threads
    QString logLevel; ///< --log-level / --log.level
};

/// Parses the arguments after the verb; errors name the offending argument.
Expected<RunOptions> parseRunOptions(const QStringList &arguments);

/// The static configuration the options describe: the file, else the Traefik-style flags, else the
/// built-in default — then --port/--threads/--log-level on top. Errors are ready to print.
config::StaticConfigResult resolveStaticConfig(const RunOptions &options);

/// Parses `arguments` and resolves the static configuration; on failure prints every error to
/// stderr as `portico: …` and returns nullopt (the caller exits with code 2).
std::optional<config::StaticConfig> staticConfigOrReport(const QStringList &arguments);

/// Sections of `config` that are read and validated but have no effect yet in this version, one
/// sentence each, so that nothing configured is silently ignored.
QStringList notYetEffective(const config::StaticConfig &config);

} // namespace portico::app
