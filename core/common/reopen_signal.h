#pragma once

#include <QObject>

namespace portico {

/// Turns the OS's "reopen your log files" request — SIGUSR1 on Linux, as logrotate sends it and
/// as Traefik honours it — into a Qt signal delivered on the thread that created this object.
/// Windows has no such signal: there the object exists but never fires. One per process.
class ReopenSignal : public QObject
{
    Q_OBJECT
public:
    explicit ReopenSignal(QObject *parent = nullptr);
    ~ReopenSignal() override;

Q_SIGNALS:
    /// Log files should be closed and opened again (they were moved aside).
    void reopenRequested();

private:
    void install();
    void uninstall();
};

} // namespace portico
