#pragma once

#include "core/common/expected.h"

#include <QString>

namespace portico::paths {

/// Portico's per-user directory: `$PORTICO_HOME` when set (tests, portable installs), else the
/// platform's configuration location (`~/.config/portico`, `%APPDATA%/portico`).
QString homeDir();
/// Creates homeDir() with owner-only permissions (0700) when it is missing.
Expected<void> ensureHomeDir();

/// `<home>/ca`: the local CA (`ca.pem`, `ca-key.pem`, `leaves/`).
QString caDir();
/// `<home>/api-token`: the control API's bearer token, readable by the owner only.
QString apiTokenPath();
/// `<home>/instance.json`: `{"api": "http://127.0.0.1:PORT", "pid": N}` of the running instance,
/// written by the instance once its control API listens and removed when it stops.
QString instancePath();
/// `<home>/state.json`: routes and toggles made in the GUI or CLI (provider/state).
QString statePath();

} // namespace portico::paths
