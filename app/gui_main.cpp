// portico-gui: the desktop app's own executable, so that `portico serve` and the CLI never map a
// GUI library. `portico` with no verb (or `gui`) replaces itself with this program.
#include "app/gui_command.h"

int main(int argc, char **argv)
{
    return portico::app::runGui(argc, argv);
}
