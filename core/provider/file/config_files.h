#pragma once

#include "core/config/dynamic_spec.h"
#include "core/config/static_spec.h"

#include <QByteArray>
#include <QStringList>

#include <optional>
#include <vector>

namespace portico::provider {

/// One complete read of the file provider's files.
struct FileSetRead
{
    /// The merged configuration; empty when the read failed as a whole.
    std::optional<config::DynamicConfig> config;
    /// Why the read failed (unreadable file, YAML syntax error, TOML file, bad options).
    std::vector<Error> failures;
    /// Digest of every file name and byte read (and of failures), to detect real changes.
    QByteArray fingerprint;
    QStringList files; ///< configuration files found, to watch
    QStringList directories; ///< directories to watch (the parent of `filename`, or every
                             ///< directory of the tree)
};

/// Reads the file or directory tree `spec` names, as Traefik's file provider does: `directory`
/// wins over `filename`; a tree is read depth-first in sorted order, `.yaml`/`.yml` files only;
/// the first definition of a name wins and later ones are reported in DynamicConfig::errors.
FileSetRead readConfigFiles(const config::FileProviderSpec &spec);

/// Appends `from` to `into`; objects already defined in `into` are dropped with an error
/// "router \"x\" already defined in a.yaml:3:5".
void mergeDynamicConfig(config::DynamicConfig &into, config::DynamicConfig &&from);

} // namespace portico::provider
