// Stands in for gui_command.cpp in builds without Qt Widgets (a headless server build).
#include "app/commands.h"

#include <QTextStream>

namespace portico::app {

int runGui(int &, char **)
{
    QTextStream(stderr) << "portico: this build has no desktop app; run \"portico serve\" for the "
                           "headless daemon\n";
    return 2;
}

} // namespace portico::app
