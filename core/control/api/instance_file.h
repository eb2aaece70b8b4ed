#pragma once

#include "core/common/expected.h"

#include <QUrl>

namespace portico::control::api {

/// Publishes `{"api": url, "pid": N, "version": ...}` at paths::instancePath() atomically, so
/// a CLI verb never reads half a file; owner-only permissions.
Expected<void> writeInstanceFile(const QUrl &api);

/// Removes the instance file when it still describes this process and `api` (a newer instance may
/// have replaced it); returns whether it was removed.
bool removeInstanceFileIfOurs(const QUrl &api);

} // namespace portico::control::api
