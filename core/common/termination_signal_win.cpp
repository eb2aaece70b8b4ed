#include "core/common/termination_signal.h"

#include <QMetaObject>

#include <windows.h>

namespace portico {

namespace {

TerminationSignal *g_instance = nullptr;

BOOL WINAPI onConsoleEvent(DWORD type)
{
    if (!g_instance)
        return FALSE;
    const QString name = type == CTRL_C_EVENT ? QStringLiteral("CTRL_C")
        : type == CTRL_BREAK_EVENT            ? QStringLiteral("CTRL_BREAK")
                                              : QStringLiteral("CTRL_CLOSE");
    // Runs on a system thread: hand over to the owner's event loop.
    QMetaObject::invokeMethod(
        g_instance, [name] { Q_EMIT g_instance->received(name); }, Qt::QueuedConnection);
    return TRUE;
}

} // namespace

void TerminationSignal::install()
{
    g_instance = this;
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
}

void TerminationSignal::uninstall()
{
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
    g_instance = nullptr;
}

} // namespace portico
