// `portico.exe` reduced to its hand-over: app/gui_launcher_win.cpp, cross-compiled with
// mingw-w64 and run under wine by run.sh.
#include "app/gui_launcher.h"

int main(int, char **argv)
{
    return portico::app::launchGui(argv);
}
