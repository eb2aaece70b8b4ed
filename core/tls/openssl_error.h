#pragma once

#include "core/common/error.h"

namespace portico::tls {

/// An Error `<what>: <OpenSSL's queued error strings>`; drains this thread's OpenSSL error queue.
Error opensslError(const QString &what);

/// Empties this thread's OpenSSL error queue so a later failure reports only its own reasons.
void clearOpensslErrors();

} // namespace portico::tls
