#pragma once

#include "core/config/static_spec.h"
#include "core/provider/provider.h"

#include <QByteArray>

#include <chrono>
#include <optional>

class QFileSystemWatcher;
class QTimer;

namespace portico::provider {

/// Traefik's file provider (`providers.file`): reads one YAML file or a directory tree of them and
/// emits the whole configuration; with `watch` it re-reads after changes and emits again only
/// when the bytes changed. A read that fails (unreadable file, YAML syntax error) emits
/// snapshotFailed and leaves the last good snapshot in force. All reading happens on the thread
/// the provider lives on (the control thread).
class FileProvider : public Provider
{
    Q_OBJECT
public:
    explicit FileProvider(config::FileProviderSpec spec, QObject *parent = nullptr);
    ~FileProvider() override;

    QString name() const override { return QStringLiteral("file"); }
    /// Reads once and emits synchronously (snapshotReady or snapshotFailed), then starts watching.
    void start() override;
    /// Re-reads now; emits only when the files' content changed since the last read.
    void reload();

    /// How long a burst of file-system events is collected before one re-read (default 50 ms;
    /// editors save in several steps: write temp, rename over, touch).
    void setCoalesceInterval(std::chrono::milliseconds interval);

private:
    void scheduleReload();
    void watch(const QStringList &files, const QStringList &directories);

    config::FileProviderSpec m_spec;
    QFileSystemWatcher *m_watcher = nullptr;
    QTimer *m_coalesce = nullptr;
    std::optional<QByteArray> m_lastFingerprint; ///< of the last read; none before the first
};

} // namespace portico::provider
