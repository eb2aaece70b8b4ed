#include "core/common/reopen_signal.h"

// install() and uninstall() live in reopen_signal_linux.cpp / reopen_signal_win.cpp.

namespace portico {

ReopenSignal::ReopenSignal(QObject *parent)
    : QObject(parent)
{
    install();
}

ReopenSignal::~ReopenSignal()
{
    uninstall();
}

} // namespace portico
