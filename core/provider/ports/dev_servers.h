#pragma once

#include "core/provider/ports/process_info.h"

#include <QString>

namespace portico::provider::ports {

/// The kind of dev server `process` runs, from its executable and arguments: `vite`, `next`,
/// `django`, `http.server`, … or a generic runtime (`node`, `bun`, `deno`, `python`, `ruby`);
/// empty when not recognised. The only list of known kinds is the table in dev_servers.cpp.
QString devServerKind(const ProcessInfo &process);

/// Who is asking: the discovering process and its user, to tell own listeners from others.
struct Observer
{
    qint64 pid = -1;
    qint64 uid = -1; ///< 0 = root: every user's listeners are visible, system daemons excluded
};

/// Why a listener of `process` on `port` is not worth proposing (`"system daemon \"sshd\""`,
/// `"privileged port 80"`, `"portico itself"`), empty when it may be a dev server.
QString exclusionReason(const ProcessInfo &process, quint16 port, const Observer &observer);

} // namespace portico::provider::ports
