#include "app/commands.h"

#include <QTextStream>

namespace portico::app {

int runRun(const QStringList &)
{
    QTextStream(stderr) << "portico: this command is not available yet\n";
    return 2;
}

} // namespace portico::app
