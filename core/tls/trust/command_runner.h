#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace portico::tls::trust {

/// What an external tool printed and returned.
struct CommandResult
{
    int exitCode = 0;
    QByteArray output; ///< stdout and stderr merged
};

/// One external command, as shown to the user and as run.
struct Command
{
    QString program;
    QStringList arguments;

    /// Shell-like text, arguments with spaces quoted: `certutil -d 'sql:/a b' -L`.
    QString display() const;
};

/// Runs trust-store tools (certutil, keytool, update-ca-certificates) with a deadline, optionally
/// behind an elevation prefix such as `sudo` or `pkexec`.
class CommandRunner
{
public:
    /// Commands run as `prefix... program arguments...` from now on (empty = directly).
    void setElevation(const QStringList &prefix) { m_elevation = prefix; }
    const QStringList &elevation() const { return m_elevation; }

    /// Runs `command` to completion (stdin closed; an elevation prefix may still ask on the
    /// terminal). A tool that cannot start or times out is an Error; a non-zero exit is not.
    Expected<CommandResult> run(const Command &command, int timeoutMs = 120000) const;
    /// run() where a non-zero exit is also an Error quoting the tool's output.
    Expected<QByteArray> runChecked(const Command &command, int timeoutMs = 120000) const;

private:
    QStringList m_elevation;
};

/// The absolute path of `program` on PATH, or empty.
QString findProgram(const QString &program);

} // namespace portico::tls::trust
