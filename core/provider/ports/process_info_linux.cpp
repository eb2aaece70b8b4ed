#include "core/provider/ports/listener_table.h"
#include "core/provider/ports/process_info.h"

#include <QByteArray>
#include <QFile>
#include <QFileInfo>

namespace portico::provider::ports {
namespace {

QByteArray readProc(qint64 pid, const char *entry)
{
    QFile file(QStringLiteral("/proc/%1/%2").arg(pid).arg(QLatin1String(entry)));
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return {};
    return file.readAll(); // /proc files report size 0, so read to the end
}

/// `/proc/<pid>/stat`: `pid (comm) state ppid pgrp session tty_nr ...`; comm may hold spaces and
/// parentheses, so the fields are counted from the last `)`.
void readStat(qint64 pid, ProcessInfo &info)
{
    const QByteArray stat = readProc(pid, "stat");
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() > 4) {
        info.parentPid = fields.at(1).toLongLong();
        info.hasTerminal = fields.at(4).toLongLong() != 0;
    }
}

void readUid(qint64 pid, ProcessInfo &info)
{
    const QByteArray status = readProc(pid, "status");
    const qsizetype at = status.indexOf("\nUid:");
    if (at >= 0)
        info.uid = status.mid(at + 5, status.indexOf('\n', at + 1) - at - 5)
                       .simplified()
                       .split(' ')
                       .value(1) // real, effective, saved, fs: the effective one owns the socket
                       .toLongLong();
}

} // namespace

std::optional<ProcessInfo> readProcessInfo(qint64 pid)
{
    if (!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)))
        return std::nullopt;
    ProcessInfo info;
    info.pid = pid;
    info.executable = QString::fromStdString(executablePath(pid));
    QByteArray cmdline = readProc(pid, "cmdline");
    if (cmdline.endsWith('\0'))
        cmdline.chop(1);
    // Processes that rewrite their title (next-server, nginx workers) leave one
    // space-separated string instead of NUL-separated arguments.
    const char separator = cmdline.contains('\0') ? '\0' : ' ';
    for (const QByteArray &argument : cmdline.split(separator)) {
        if (!argument.isEmpty())
            info.arguments.append(QString::fromUtf8(argument));
    }
    info.workingDirectory = QFileInfo(QStringLiteral("/proc/%1/cwd").arg(pid)).symLinkTarget();
    readStat(pid, info);
    readUid(pid, info);
    info.systemService = readProc(pid, "cgroup").contains("/system.slice/");
    return info;
}

} // namespace portico::provider::ports
