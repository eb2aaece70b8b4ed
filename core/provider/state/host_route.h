#pragma once

#include "core/common/expected.h"
#include "core/config/dynamic_spec.h"

#include <QString>

namespace portico::provider {

/// Checks a route name people typed (`shop`, `fix-ui.shop`, `shop.test`): dot-separated DNS
/// labels (RFC 1123 §2.1) of letters, digits and inner hyphens, each at most 63 characters, at
/// most 253 in all. Returns it lower-cased; the error quotes the offending value.
Expected<QString> validateRouteName(const QString &name);

/// The host an alias answers on: `shop` → `shop.localhost`; a name with a dot (`shop.test`,
/// `api.shop.localhost`) is taken as the full host name.
QString aliasHost(const QString &name);

/// The host a run answers on: always under `.localhost` (`fix-ui.shop` → `fix-ui.shop.localhost`,
/// the name of a linked worktree), unless the name already ends with it.
QString runHost(const QString &name);

/// An alias target as typed: a port (`3000` → `http://localhost:3000`) or an http(s) URL.
Expected<QString> aliasTarget(const QString &target);

/// Appends router and service `name` (unqualified) routing Host(`host`) to the one server `url`.
void addHostRoute(config::DynamicConfig &config, const QString &name, const QString &host,
    const QString &url, const SourceLocation &where);

} // namespace portico::provider
