#pragma once

#include "core/common/expected.h"
#include "core/provider/provider.h"

#include <QString>

#include <map>
#include <memory>
#include <vector>

namespace portico::provider {

class ProcessWatch;

/// Commands started through `portico run`: each registration {name, port, pid} becomes router and
/// service `<name>@run` routing Host(`<name>.localhost`) to `http://localhost:<port>`. It lives
/// while its process lives (watched without polling) or until it is removed. Not persisted.
class RunProvider : public Provider
{
    Q_OBJECT
public:
    explicit RunProvider(QObject *parent = nullptr);
    ~RunProvider() override;

    /// One registered run.
    struct Run
    {
        QString id; ///< opaque, for removal
        QString name; ///< validated route name
        QString host; ///< `app.localhost`
        quint16 port = 0;
        qint64 pid = 0;
    };

    QString name() const override { return QStringLiteral("run"); }
    void start() override;

    /// Registers a run. Errors: invalid name, port or pid, no such process, or `name` already
    /// held by another live run (the error says which pid).
    Expected<Run> add(const QString &name, int port, qint64 pid);
    /// Removes run `id`; false when there is no such run.
    bool remove(const QString &id);
    /// The live runs, by name.
    std::vector<Run> runs() const;

Q_SIGNALS:
    /// Run `id` went away because its process ended.
    void runExited(const QString &id);

private:
    struct Entry
    {
        Run run;
        std::unique_ptr<ProcessWatch> watch;
    };
    void publish();
    void onExited(const QString &id);

    std::map<QString, Entry> m_runs; ///< by id
    quint64 m_nextId = 0;
};

} // namespace portico::provider
