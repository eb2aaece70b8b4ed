#pragma once

#include <QProcess>
#include <QStringList>

namespace portico::testkit {

/// A `portico` child process for tests: runs a verb, waits for the listening banner, reports
/// the bound port of an entry point, and stops with SIGTERM.
class PorticoProcess
{
public:
    PorticoProcess() = default;
    ~PorticoProcess();

    /// Starts `portico <arguments>`; the process's stderr and stdout are merged.
    void start(const QStringList &arguments);
    /// Waits (with a deadline) until entry point `name` reports it is listening; returns its
    /// port, or 0 when the process exited or the deadline passed.
    quint16 waitListening(const QString &entryPoint, int timeoutMs = 10000);
    /// Waits for exit; returns the exit code, or -1 on timeout.
    int waitExit(int timeoutMs = 15000);
    /// Sends SIGTERM.
    void terminate();
    /// Everything the process printed so far.
    QString output();
    /// The child's process id (0 when not running).
    qint64 processId() const { return m_process.processId(); }

    /// Runs `portico <arguments>` to completion; returns (exit code, output).
    static QPair<int, QString> run(const QStringList &arguments, int timeoutMs = 15000);

private:
    QProcess m_process;
    QString m_output;
};

} // namespace portico::testkit
