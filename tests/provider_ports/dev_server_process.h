#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

namespace portico::testkit {

/// A real server process started by a test: `python3 -u -m http.server --bind ADDRESS 0` in a
/// directory (or any python script printing `port N`); the port is read from its output.
class DevServerProcess
{
public:
    /// Starts `python3 -u ARGUMENTS…` in `directory`; true once it printed its port.
    bool start(const QString &directory, const QStringList &arguments);
    /// `python3 -u -m http.server --bind ADDRESS 0` in `directory`.
    bool startHttpServer(
        const QString &directory, const QString &address = QStringLiteral("127.0.0.1"));
    /// Kills the process and waits for it.
    void stop();
    ~DevServerProcess() { stop(); }

    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
    quint16 m_port = 0;
};

} // namespace portico::testkit
