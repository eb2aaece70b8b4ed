#include "core/common/reopen_signal.h"

// Windows has no SIGUSR1 and log rotation there renames nothing under an open handle: nothing to
// install, reopenRequested() never fires.

namespace portico {

void ReopenSignal::install() { }

void ReopenSignal::uninstall() { }

} // namespace portico
