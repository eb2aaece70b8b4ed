#pragma once

#include <QObject>

namespace portico {

/// Turns the OS's "please stop" requests — SIGTERM/SIGINT on Linux, Ctrl-C / console close on
/// Windows — into a Qt signal delivered on the thread that created this object. One per process.
class TerminationSignal : public QObject
{
    Q_OBJECT
public:
    explicit TerminationSignal(QObject *parent = nullptr);
    ~TerminationSignal() override;

Q_SIGNALS:
    /// `name` is `SIGTERM`, `SIGINT`, `CTRL_C`, … for the log.
    void received(const QString &name);

private:
    void install();
    void uninstall();
};

} // namespace portico
