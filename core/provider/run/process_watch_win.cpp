#include "core/provider/run/process_watch.h"

#include <QWinEventNotifier>

#include <windows.h>

namespace portico::provider {

ProcessWatch::~ProcessWatch()
{
    delete m_notifier;
    if (m_handle != -1)
        CloseHandle(HANDLE(m_handle));
}

Expected<void> ProcessWatch::start()
{
    // SYNCHRONIZE is all WaitForSingleObject needs: the handle is signalled when the process ends.
    HANDLE process = OpenProcess(SYNCHRONIZE, FALSE, DWORD(m_pid));
    if (!process)
        return Error { GetLastError() == ERROR_INVALID_PARAMETER
                ? QStringLiteral("no process with pid %1").arg(m_pid)
                : QStringLiteral("cannot watch pid %1 (error %2)").arg(m_pid).arg(GetLastError()),
            {}, {} };
    m_handle = qintptr(process);
    auto *notifier = new QWinEventNotifier(process, this);
    m_notifier = notifier;
    connect(notifier, &QWinEventNotifier::activated, this, [this, notifier] {
        notifier->setEnabled(false);
        Q_EMIT exited(m_pid);
    });
    return {};
}

} // namespace portico::provider
