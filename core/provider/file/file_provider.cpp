#include "core/provider/file/file_provider.h"

#include "core/provider/file/config_files.h"

#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QSet>
#include <QTimer>

namespace portico::provider {

FileProvider::FileProvider(config::FileProviderSpec spec, QObject *parent)
    : Provider(parent)
    , m_spec(std::move(spec))
    , m_coalesce(new QTimer(this))
{
    m_coalesce->setSingleShot(true);
    m_coalesce->setInterval(std::chrono::milliseconds(50));
    connect(m_coalesce, &QTimer::timeout, this, &FileProvider::reload);
}

FileProvider::~FileProvider() = default;

void FileProvider::setCoalesceInterval(std::chrono::milliseconds interval)
{
    m_coalesce->setInterval(interval);
}

void FileProvider::start()
{
    if (m_spec.watch && !m_watcher) {
        m_watcher = new QFileSystemWatcher(this);
        connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &FileProvider::scheduleReload);
        connect(
            m_watcher, &QFileSystemWatcher::directoryChanged, this, &FileProvider::scheduleReload);
    }
    reload();
}

void FileProvider::scheduleReload()
{
    m_coalesce->start();
}

void FileProvider::reload()
{
    FileSetRead read = readConfigFiles(m_spec);
    // Files replaced by rename drop out of the watcher; watch again whatever exists now.
    if (m_watcher)
        watch(read.files, read.directories);
    if (m_lastFingerprint && read.fingerprint == *m_lastFingerprint)
        return;
    m_lastFingerprint = read.fingerprint;
    if (read.config)
        Q_EMIT snapshotReady(*read.config);
    else
        Q_EMIT snapshotFailed(read.failures);
}

void FileProvider::watch(const QStringList &files, const QStringList &directories)
{
    QSet<QString> wanted;
    for (const QString &path : files + directories) {
        if (QFileInfo::exists(path))
            wanted.insert(path);
    }
    const QStringList current = m_watcher->files() + m_watcher->directories();
    QStringList stale;
    for (const QString &path : current) {
        if (!wanted.remove(path))
            stale.append(path);
    }
    if (!stale.isEmpty())
        m_watcher->removePaths(stale);
    if (!wanted.isEmpty())
        m_watcher->addPaths(wanted.values());
}

} // namespace portico::provider
