#pragma once

#include <QObject>

class QLocalServer;

namespace portico::ui {

/// One GUI per user: the first instance listens on a per-user local socket; a later launch
/// connects, asks it to show its window and exits.
class SingleInstance : public QObject
{
    Q_OBJECT
public:
    /// `name` defaults to defaultName(); tests pass their own.
    explicit SingleInstance(QString name = defaultName(), QObject *parent = nullptr);

    /// `portico-gui-<hash of the user's home>`: per user, stable, valid on Linux and Windows.
    static QString defaultName();

    /// True when a running instance answered and was asked to raise its window.
    bool activateRunning(int timeoutMs = 1000);
    /// Becomes the running instance; false (with the reason in errorString()) when it cannot.
    bool listen();
    QString errorString() const { return m_error; }

Q_SIGNALS:
    /// Another launch asked this instance to show its window.
    void activationRequested();

private:
    QString m_name;
    QString m_error;
    QLocalServer *m_server = nullptr;
};

} // namespace portico::ui
