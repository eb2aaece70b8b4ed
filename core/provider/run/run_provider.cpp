#include "core/provider/run/run_provider.h"

#include "core/provider/run/process_watch.h"
#include "core/provider/state/host_route.h"

#include <algorithm>

namespace portico::provider {

RunProvider::RunProvider(QObject *parent)
    : Provider(parent)
{ }

RunProvider::~RunProvider() = default;

void RunProvider::start()
{
    publish();
}

Expected<RunProvider::Run> RunProvider::add(const QString &name, int port, qint64 pid)
{
    auto valid = validateRouteName(name);
    if (!valid)
        return valid.error();
    if (port < 1 || port > 65535)
        return Error { QStringLiteral("invalid port \"%1\": expected 1-65535").arg(port), {}, {} };
    for (const auto &[id, entry] : m_runs) {
        if (entry.run.name == *valid)
            return Error { QStringLiteral("\"%1\" is already routed to a running command (pid %2)")
                               .arg(*valid)
                               .arg(entry.run.pid),
                {}, QStringLiteral("stop it or choose another name with --name") };
    }
    auto watch = std::make_unique<ProcessWatch>(pid);
    auto watching = watch->start();
    if (!watching)
        return watching.error();
    const QString id = QString::number(++m_nextId);
    connect(watch.get(), &ProcessWatch::exited, this, [this, id] { onExited(id); });
    Run run { id, *valid, runHost(*valid), quint16(port), pid };
    m_runs[id] = Entry { run, std::move(watch) };
    publish();
    return run;
}

bool RunProvider::remove(const QString &id)
{
    if (m_runs.erase(id) == 0)
        return false;
    publish();
    return true;
}

std::vector<RunProvider::Run> RunProvider::runs() const
{
    std::vector<Run> out;
    for (const auto &[id, entry] : m_runs)
        out.push_back(entry.run);
    std::sort(out.begin(), out.end(), [](const Run &a, const Run &b) { return a.name < b.name; });
    return out;
}

void RunProvider::onExited(const QString &id)
{
    const auto it = m_runs.find(id);
    if (it == m_runs.end())
        return;
    // Deleting the watch from inside its own signal is unsafe; let the event loop do it.
    it->second.watch.release()->deleteLater();
    m_runs.erase(it);
    publish();
    Q_EMIT runExited(id);
}

void RunProvider::publish()
{
    config::DynamicConfig snapshot;
    for (const Run &run : runs()) {
        const SourceLocation where { {}, 0, 0,
            QStringLiteral("run %1 (pid %2)").arg(run.name).arg(run.pid) };
        addHostRoute(snapshot, run.name, run.host,
            QStringLiteral("http://localhost:%1").arg(run.port), where);
    }
    Q_EMIT snapshotReady(snapshot);
}

} // namespace portico::provider
