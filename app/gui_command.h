#pragma once

namespace portico::app {

/// `portico-gui [gui] [options]` (also reached as `portico` / `portico gui`): the desktop app
/// (window and tray) over the same core as serve, with serve's options. Creates its own
/// QApplication, so it runs before any other application object exists. Exit code.
int runGui(int &argc, char **argv);

} // namespace portico::app
