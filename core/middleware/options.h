#pragma once

#include "core/common/expected.h"
#include "core/config/node.h"

#include <QStringList>

#include <utility>
#include <vector>

namespace portico::middleware {

/// A middleware's option map read the way Traefik reads it: keys match case-insensitively
/// (`Prefixes` = `prefixes`), and a key the middleware does not know is an error that names the
/// closest known key. Values are read through typed getters that report `file:line:col: path`.
class Options
{
public:
    using StringPairs = std::vector<std::pair<QString, QString>>;

    /// Checks that `node` is a map (null counts as empty) whose keys are all in `known`, spelled
    /// as the middleware documents them; `kind` names the middleware in errors.
    static Expected<Options> read(
        const config::Node &node, const QString &kind, const QStringList &known);

    /// Rejects options Traefik has but Portico does not implement yet, with a clear message.
    Expected<void> rejectUnsupported(const QStringList &unsupported) const;

    bool has(const QString &key) const;
    /// The value node of `key` (path extended with the key as written), or the map itself.
    config::Node node(const QString &key) const;

    /// A scalar; `fallback` when absent or null.
    Expected<QString> string(const QString &key, const QString &fallback = {}) const;
    /// `true`/`false` (also Go's `1`, `t`, `TRUE`, …); `fallback` when absent.
    Expected<bool> boolean(const QString &key, bool fallback) const;
    /// A sequence of scalars; a scalar is split on commas (the Docker-label form `/a,/b`).
    Expected<QStringList> stringList(const QString &key) const;
    /// A map of scalars in file order; a null value reads as an empty string.
    Expected<StringPairs> stringMap(const QString &key) const;

private:
    config::Node m_node;
    QString m_kind;
    std::vector<std::pair<QString, config::Node>> m_entries; ///< known key → its value
};

} // namespace portico::middleware
