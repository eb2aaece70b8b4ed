#include "core/common/termination_signal.h"

// install() and uninstall() live in termination_signal_linux.cpp / termination_signal_win.cpp.

namespace portico {

TerminationSignal::TerminationSignal(QObject *parent)
    : QObject(parent)
{
    install();
}

TerminationSignal::~TerminationSignal()
{
    uninstall();
}

} // namespace portico
