#include "core/provider/state/state_provider.h"

#include "core/provider/state/host_route.h"

#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>

namespace portico::provider {

StateProvider::StateProvider(QString path, QObject *parent)
    : Provider(parent)
    , m_store(std::move(path))
{ }

void StateProvider::start()
{
    watch();
    reload();
    if (!m_published) // an unreadable file at start: serve nothing from it, but say so
        publish();
}

void StateProvider::watch()
{
    // The directory too: QSaveFile replaces the file by a rename, which ends a watch on the file.
    const QString dir = QFileInfo(m_store.path()).absolutePath();
    QDir().mkpath(dir);
    m_watcher = new QFileSystemWatcher(this);
    m_watcher->addPath(dir);
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, this, &StateProvider::reload);
    connect(m_watcher, &QFileSystemWatcher::fileChanged, this, &StateProvider::reload);
}

void StateProvider::reload()
{
    // The file itself for edits in place (no directory change); re-added after each replacement.
    if (m_watcher && !m_watcher->files().contains(m_store.path())
        && QFileInfo::exists(m_store.path()))
        m_watcher->addPath(m_store.path());
    auto loaded = m_store.load();
    if (!loaded) {
        Q_EMIT snapshotFailed({ loaded.error() });
        return;
    }
    if (m_published != m_store.state())
        publish();
}

void StateProvider::publish()
{
    const bool pausedChangedNow = !m_published || m_published->paused != m_store.state().paused;
    m_published = m_store.state();
    config::DynamicConfig snapshot;
    for (const auto &[name, target] : m_published->aliases) {
        const SourceLocation where { m_store.path(), 0, 0, QStringLiteral("aliases.") + name };
        auto valid = validateRouteName(name);
        auto url = aliasTarget(target);
        if (!valid || !url) {
            Error error = valid ? url.error() : valid.error();
            error.where = where;
            snapshot.errors.push_back(std::move(error));
            continue;
        }
        addHostRoute(snapshot, *valid, aliasHost(*valid), *url, where);
    }
    Q_EMIT snapshotReady(snapshot);
    if (pausedChangedNow)
        Q_EMIT pausedChanged(m_published->paused);
}

Expected<void> StateProvider::update(const std::function<void(PersistentState &)> &change)
{
    // Re-read first so hand edits made since the last reload are kept, not overwritten.
    auto loaded = m_store.load();
    if (!loaded)
        return Error {
            QStringLiteral("the state file cannot be read: %1").arg(loaded.error().toString()), {},
            loaded.error().hint
        };
    PersistentState next = m_store.state();
    change(next);
    auto saved = m_store.save(next);
    if (!saved)
        return saved;
    if (m_published != m_store.state())
        publish();
    return {};
}

Expected<std::pair<QString, QString>> StateProvider::setAlias(
    const QString &name, const QString &target)
{
    auto valid = validateRouteName(name);
    if (!valid)
        return valid.error();
    auto url = aliasTarget(target);
    if (!url)
        return url.error();
    auto updated = update([&](PersistentState &s) { s.aliases[*valid] = *url; });
    if (!updated)
        return updated.error();
    return std::pair { *valid, *url };
}

Expected<bool> StateProvider::removeAlias(const QString &name)
{
    const QString key = name.trimmed().toLower();
    bool existed = false;
    auto updated = update([&](PersistentState &s) {
        existed = s.aliases.erase(key) > 0;
        // A removed alias takes its toggle with it: a new alias of that name starts resumed.
        if (existed)
            s.paused.removeAll(key + QStringLiteral("@state"));
    });
    if (!updated)
        return updated.error();
    return existed;
}

Expected<void> StateProvider::setPaused(const QString &router, bool paused)
{
    return update([&](PersistentState &s) {
        s.paused.removeAll(router);
        if (paused) {
            s.paused << router;
            s.paused.sort();
        }
    });
}

} // namespace portico::provider
