#pragma once

#include "core/tls/trust/trust_operations.h"

#include <QTextStream>

namespace portico::tls::trust {

/// How `portico trust` may gain rights for stores that need them.
enum class ElevationPolicy {
    Ask, ///< through sudo (on a terminal) or pkexec, after saying exactly what will run
    Never, ///< print the commands for the user to run and skip the store
};

/// The helper that runs one command as root: `$PORTICO_ELEVATE` when set (split on spaces),
/// else sudo when stdin is a terminal, else pkexec; empty when none exists.
QStringList elevationPrefix();

/// An Elevator for the command line: explains on `out` why the store needs rights and which
/// commands will run, then returns the elevation prefix — or prints the commands to run by hand
/// and returns nullopt when `policy` is Never or no helper exists.
Elevator terminalElevator(QTextStream &out, ElevationPolicy policy);

} // namespace portico::tls::trust
