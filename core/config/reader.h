#pragma once

#include "core/common/error.h"
#include "core/config/dynamic_spec.h"
#include "core/config/node.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>
#include <vector>

namespace portico::config {

using Errors = std::vector<Error>;

/// Reads one YAML mapping against a fixed schema. Keys are matched case-insensitively (as Traefik
/// matches file keys); after every known key was taken, finish() reports the rest as unknown with
/// a did-you-mean hint, and keys marked unsupported() as "not supported yet". A null or absent
/// node reads as an empty mapping; anything else that is not a mapping is an error.
class MapReader
{
public:
    /// Errors go to `errors`; with an `origin`, every key taken is recorded in origin->fields
    /// under `fieldPrefix + key` (schema spelling) at the key's position.
    MapReader(const Node &map, Errors &errors, Origin *origin = nullptr, QString fieldPrefix = {});
    MapReader(const MapReader &) = delete;
    MapReader &operator=(const MapReader &) = delete;
    ~MapReader();

    /// The value under `key` (undefined when absent); `key` becomes a known key.
    Node take(const QString &key);
    /// True when `key` is present (without taking it).
    bool has(const QString &key) const;
    /// Marks Traefik keys Portico does not implement; present ones give "not supported yet".
    void unsupported(const QStringList &keys);
    /// Marks keys that are valid elsewhere but not here; present ones give `message` (with %1
    /// replaced by the key) and `hint`.
    void refuse(const QStringList &keys, const QString &message, const QString &hint = {});
    /// Marks keys that are accepted and deliberately ignored (they change nothing here).
    void ignore(const QStringList &keys);
    /// Reports keys that were never taken; must be called once.
    void finish();

    const Node &node() const { return m_map; }
    /// Where `key` is written (path in schema spelling), or the mapping's own location.
    SourceLocation keyLocation(const QString &key) const;
    /// The keys present in the mapping, as written.
    QStringList presentKeys() const;

private:
    const Node::Entry *entry(const QString &key) const;

    Node m_map;
    Errors &m_errors;
    Origin *m_origin;
    QString m_fieldPrefix;
    std::vector<Node::Entry> m_entries;
    std::vector<bool> m_used;
    QStringList m_known;
    bool m_finished = false;
};

/// The `name: {...}` entries of a mapping of named objects (routers, entry points, …). Reports a
/// value that is not a mapping, empty names and repeated names; repeated ones are dropped.
std::vector<Node::Entry> namedEntries(const Node &map, Errors &errors);

// Typed readers: an absent or null node leaves `out` unchanged and returns false without error;
// a wrong value reports an error located at the value and returns false.

bool readString(const Node &node, QString &out, Errors &errors);
bool readBool(const Node &node, bool &out, Errors &errors);
bool readInt(const Node &node, qint64 &out, qint64 min, qint64 max, Errors &errors);
bool readInt(const Node &node, int &out, int min, int max, Errors &errors);
/// A list of strings; a single scalar is read as a comma-separated list, as Traefik's flag and
/// label syntax allows.
bool readStringList(const Node &node, QStringList &out, Errors &errors);
/// A duration (see parseDuration); negative values are refused unless `allowNegative`.
bool readDuration(
    const Node &node, std::chrono::milliseconds &out, Errors &errors, bool allowNegative = false);
/// A string that must be one of `choices` (compared case-insensitively); stored as the choice's
/// spelling.
bool readChoice(const Node &node, QString &out, const QStringList &choices, Errors &errors);

/// Error at `node`, for messages about a value that is present but not usable here.
void addError(Errors &errors, const Node &node, QString message, QString hint = {});

/// Orders errors by position (stable), so a report reads top to bottom like the file.
void sortByPosition(Errors &errors);

} // namespace portico::config
