#include "core/tls/trust/command_runner.h"

#include <QProcess>
#include <QStandardPaths>

namespace portico::tls::trust {

namespace {

QString quoted(const QString &argument)
{
    if (!argument.isEmpty() && !argument.contains(QLatin1Char(' '))
        && !argument.contains(QLatin1Char('\'')) && !argument.contains(QLatin1Char('"')))
        return argument;
    QString escaped = argument;
    escaped.replace(QStringLiteral("'"), QStringLiteral("'\\''"));
    return QLatin1Char('\'') + escaped + QLatin1Char('\'');
}

} // namespace

QString Command::display() const
{
    QStringList parts { quoted(program) };
    for (const QString &argument : arguments)
        parts.append(quoted(argument));
    return parts.join(QLatin1Char(' '));
}

Expected<CommandResult> CommandRunner::run(const Command &command, int timeoutMs) const
{
    QStringList argv = m_elevation;
    argv.append(command.program);
    argv.append(command.arguments);
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    // Elevation helpers talk to the terminal directly; everything else gets no input.
    if (m_elevation.isEmpty())
        process.setStandardInputFile(QProcess::nullDevice());
    else
        process.setInputChannelMode(QProcess::ForwardedInputChannel);
    process.start(argv.takeFirst(), argv);
    if (!process.waitForStarted())
        return Error {
            QStringLiteral("cannot run \"%1\": %2").arg(command.display(), process.errorString()),
            {}, {}
        };
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return Error { QStringLiteral("\"%1\" did not finish within %2 s")
                           .arg(command.display())
                           .arg(timeoutMs / 1000),
            {}, {} };
    }
    const int code = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return CommandResult { code, process.readAll() };
}

Expected<QByteArray> CommandRunner::runChecked(const Command &command, int timeoutMs) const
{
    auto result = run(command, timeoutMs);
    if (!result)
        return result.error();
    if (result->exitCode != 0)
        return Error { QStringLiteral("\"%1\" failed with exit code %2: %3")
                           .arg(command.display())
                           .arg(result->exitCode)
                           .arg(QString::fromLocal8Bit(result->output).trimmed()),
            {}, {} };
    return result->output;
}

QString findProgram(const QString &program)
{
    return QStandardPaths::findExecutable(program);
}

} // namespace portico::tls::trust
