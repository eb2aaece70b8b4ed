#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <map>
#include <optional>

namespace portico::provider {

/// What people changed by hand (CLI, GUI): aliases and paused routers.
struct PersistentState
{
    std::map<QString, QString> aliases; ///< name (`shop`, `shop.test`) → upstream URL
    QStringList paused; ///< qualified router names, sorted, no duplicates

    friend bool operator==(const PersistentState &, const PersistentState &) = default;
};

/// `{"version": 1, "aliases": {...}, "paused": [...]}` as written to state.json.
QByteArray serializeState(const PersistentState &state);
/// Parses state.json's content; errors carry `path`, line and column.
Expected<PersistentState> parseState(const QByteArray &content, const QString &path);

/// The state file (paths::statePath()). A missing file is an empty state. A file that cannot be
/// parsed is reported with its position and never overwritten: the last good state stays in
/// force and saves are refused until the file is fixed or removed.
class StateStore
{
public:
    explicit StateStore(QString path);

    const QString &path() const { return m_path; }
    /// The last good state.
    const PersistentState &state() const { return m_state; }

    /// Re-reads the file; on failure keeps the last good state and returns the error.
    Expected<void> load();
    /// Writes `state` atomically (QSaveFile) with owner-only permissions (0600) and makes it
    /// current. Refused while the file on disk is unreadable.
    Expected<void> save(const PersistentState &state);

private:
    QString m_path;
    PersistentState m_state;
    std::optional<Error> m_loadError; ///< set while the file on disk could not be parsed
};

} // namespace portico::provider
