#pragma once

#include "core/common/expected.h"

#include <QObject>

namespace portico::provider {

/// Tells when a process (not necessarily our child) ends, without polling: a pidfd on Linux, a
/// process handle on Windows, both driven by the event loop (process_watch_{linux,win}.cpp).
class ProcessWatch : public QObject
{
    Q_OBJECT
public:
    explicit ProcessWatch(qint64 pid, QObject *parent = nullptr)
        : QObject(parent)
        , m_pid(pid)
    { }
    ~ProcessWatch() override;

    /// Starts watching; an error when there is no such process or it cannot be watched.
    Expected<void> start();
    qint64 pid() const { return m_pid; }

Q_SIGNALS:
    /// The process ended (emitted once).
    void exited(qint64 pid);

private:
    qint64 m_pid;
    qintptr m_handle = -1; ///< pidfd (Linux) or HANDLE (Windows)
    QObject *m_notifier = nullptr; ///< QSocketNotifier / QWinEventNotifier, a child
};

} // namespace portico::provider
