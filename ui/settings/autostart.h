#pragma once

#include "core/common/expected.h"

#include <QString>

namespace portico::ui {

/// Whether Portico starts when the user logs in: on Linux an XDG autostart entry
/// (`$XDG_CONFIG_HOME/autostart/portico.desktop`), on Windows the current user's `Run` key.
/// `program` is the executable to start (QCoreApplication::applicationFilePath()).
Expected<void> setStartAtLogin(bool enabled, const QString &program);
/// Whether the entry exists.
bool startsAtLogin();
/// Where the entry lives (a file path on Linux, the registry key and value on Windows).
QString autostartLocation();

} // namespace portico::ui
