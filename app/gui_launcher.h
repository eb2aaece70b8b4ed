#pragma once

namespace portico::app {

/// `portico` with no verb (or `gui`): replaces this process with the desktop app, the
/// portico-gui executable installed next to this one, passing the arguments on unchanged (the
/// desktop app ignores a leading "gui"). The daemon and the CLI thereby never load a GUI
/// library. Returns only when the desktop app could not be started, with exit code 2 after
/// saying why on stderr. Qt-free: runs before any application object exists.
int launchGui(char **argv);

} // namespace portico::app
