#include "core/provider/ports/listener_table.h"
#include "core/provider/ports/process_info.h"

namespace portico::provider::ports {

std::optional<ProcessInfo> readProcessInfo(qint64 pid)
{
    ProcessInfo info;
    info.pid = pid;
    info.executable = QString::fromStdString(executablePath(pid));
    if (info.executable.isEmpty())
        return std::nullopt;
    info.arguments = QStringList { info.executable };
    return info;
}

} // namespace portico::provider::ports
