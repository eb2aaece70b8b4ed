#pragma once

#include "core/provider/provider.h"
#include "core/provider/state/state_store.h"

#include <QStringList>

#include <functional>
#include <optional>

class QFileSystemWatcher;

namespace portico::provider {

/// Routes and toggles people made (CLI, GUI), persisted in state.json: each alias `shop` becomes
/// router and service `shop@state` routing Host(`shop.localhost`) to its target; the paused set is
/// published through pausedChanged() for the control plane. Edits of the file by hand are picked
/// up; an unreadable file is reported and the last good state keeps serving.
class StateProvider : public Provider
{
    Q_OBJECT
public:
    /// `path` is usually paths::statePath().
    explicit StateProvider(QString path, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("state"); }
    void start() override;

    /// The last good state.
    const PersistentState &state() const { return m_store.state(); }
    const QString &path() const { return m_store.path(); }

    /// Adds or replaces alias `name` (validated, lower-cased) to `target` (a port or a URL);
    /// returns the stored name and URL.
    Expected<std::pair<QString, QString>> setAlias(const QString &name, const QString &target);
    /// Removes alias `name`; false when there was none.
    Expected<bool> removeAlias(const QString &name);
    /// Pauses or resumes the router with qualified name `router`.
    Expected<void> setPaused(const QString &router, bool paused);

Q_SIGNALS:
    /// The paused routers (qualified, sorted) after start() and whenever the set changes.
    void pausedChanged(const QStringList &routers);

private:
    /// Re-reads the file, applies `change` and saves; refused while the file is unreadable.
    Expected<void> update(const std::function<void(PersistentState &)> &change);
    void reload();
    void publish();
    void watch();

    StateStore m_store;
    QFileSystemWatcher *m_watcher = nullptr;
    std::optional<PersistentState> m_published;
};

} // namespace portico::provider
