#pragma once

#include "core/common/expected.h"

#include <QString>

#include <map>

namespace portico::provider::docker {

/// The data a `defaultRule` template sees, as in Traefik's Docker provider.
struct RuleTemplateData
{
    QString name; ///< `.Name`: the normalised base name (compose `service-project`)
    QString containerName; ///< `.ContainerName`: the Docker name without `/`, not normalised
    std::map<QString, QString> labels; ///< `.Labels`
};

/// Traefik's `normalize`: split at every character that is not a letter or digit, drop the empty
/// pieces, join with `-` (case kept): `/my_app.v2` → `my-app-v2`.
QString normalizeName(const QString &name);

/// Renders the subset of Go's text/template that Traefik's docs use for `defaultRule`: actions
/// `{{ pipeline }}` (with `{{-`/`-}}` trimming) made of `.Name`, `.ContainerName`, `.Labels.key`,
/// string literals and the functions normalize, lower, upper, trim, trimPrefix, trimSuffix,
/// replace, default and index (`index .Labels "key"`), chained with `|`. Anything else is an
/// error naming the unsupported part.
Expected<QString> renderDefaultRule(const QString &templateText, const RuleTemplateData &data);

} // namespace portico::provider::docker
