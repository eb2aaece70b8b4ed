#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace portico::config {

/// A static configuration and every problem found in it. Any error makes it unusable.
struct StaticConfigResult
{
    StaticConfig config;
    std::vector<Error> errors;
    bool ok() const { return errors.empty(); }
};

/// Built-in default: entry points `web` on loopback port 80 and `websecure` on loopback port
/// 443 with `http.tls` (both asDefault, so every router answers on both); nothing else. Their
/// host is "localhost", which the proxy binds as both loopback addresses.
StaticConfig builtinStaticConfig();

/// Reads a Traefik v3 static configuration file (YAML). Unknown keys are errors.
StaticConfigResult loadStaticConfig(const QString &path);

/// Parses static configuration text; `file` only names it in errors. A document without
/// entry points gets the built-in `web` entry point.
StaticConfigResult parseStaticConfig(const QByteArray &text, const QString &file);

/// Parses one dynamic configuration document (`http:` section, Traefik v3 file-provider format).
/// Never fails as a whole unless the YAML itself is unreadable; per-object problems are recorded
/// in each object's Origin, the rest in DynamicConfig::errors.
DynamicConfig parseDynamicConfig(const QByteArray &text, const QString &file);

/// Like parseDynamicConfig, but YAML that cannot be read at all (a syntax error) is returned as
/// the Error instead of inside DynamicConfig::errors, so a provider can keep its last good state.
Expected<DynamicConfig> tryParseDynamicConfig(const QByteArray &text, const QString &file);

} // namespace portico::config
