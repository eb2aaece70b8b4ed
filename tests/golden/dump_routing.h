#pragma once

#include "core/control/runtime_state.h"

#include <QString>

namespace portico::golden {

/// Normalised text of what the control plane made of a configuration: each router, service and
/// middleware with its status, effective priority, entry points, references and errors.
QString dumpRouting(const control::RuntimeState &state);

} // namespace portico::golden
