#pragma once

#include <QStringList>

namespace portico::app {

/// `portico serve [options]`: runs the routing core headless until SIGTERM/SIGINT. Exit code.
int runServe(const QStringList &arguments);

/// `portico check [options]`: loads the static and dynamic configuration, prints every error and
/// the resulting routing; exit code 1 when anything is in error.
int runCheck(const QStringList &arguments);

/// `portico [gui [options]]`: the desktop app (window and tray) over the same core as serve.
/// Creates its own QApplication, so it runs before any other application object exists.
int runGui(int &argc, char **argv);

} // namespace portico::app
