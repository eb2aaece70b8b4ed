#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace portico::provider::ports {

/// What is known about the process behind a listener. Linux fills every field from /proc;
/// Windows only the executable (command line and directory need another process's PEB).
struct ProcessInfo
{
    qint64 pid = -1;
    qint64 parentPid = -1;
    qint64 uid = -1;
    QString executable; ///< absolute path of the image, may be empty when not readable
    QStringList arguments; ///< argv, argv[0] first; empty when not readable
    QString workingDirectory;
    bool hasTerminal = true; ///< has a controlling terminal (daemons do not)
    bool systemService = false; ///< runs as a service of the init system (systemd system.slice)

    /// The arguments joined with spaces, for display and as part of a persistence key.
    QString commandLine() const { return arguments.join(QLatin1Char(' ')); }
};

/// Reads the process `pid`; nothing when it is gone or not visible.
std::optional<ProcessInfo> readProcessInfo(qint64 pid);

} // namespace portico::provider::ports
