#include "app/command_line.h"
#include "app/commands.h"
#include "app/core_runtime.h"
#include "app/logging.h"
#include "core/common/termination_signal.h"

#include <QCoreApplication>
#include <QTextStream>

namespace portico::app {

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

void printListening(const CoreRuntime &core)
{
    for (const auto &ep : core.config().entryPoints) {
        err() << QStringLiteral("portico: entry point \"%1\" listening on %2\n")
                     .arg(ep.name, core.urls(ep.name).join(QStringLiteral(", ")));
    }
    err().flush();
}

} // namespace

int runServe(const QStringList &arguments)
{
    const std::optional<config::StaticConfig> config = staticConfigOrReport(arguments);
    if (!config)
        return 2;
    configureLogging(config->log);

    CoreRuntime core(*config);
    // Installed and connected before the banner: a SIGTERM sent as soon as it appears must neither
    // kill us outright nor be lost; quit is queued so a stop before exec() still ends it.
    TerminationSignal termination;
    QObject::connect(&termination, &TerminationSignal::received, &core, [&](const QString &name) {
        err() << "portico: " << name << " received, finishing in-flight requests (grace "
              << core.config().graceTimeout.count() << " ms)" << Qt::endl;
        core.shutdown();
    });
    QObject::connect(
        &core, &CoreRuntime::finished, qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    const auto listening = core.listen();
    if (!listening) {
        err() << "portico: " << listening.error().toString() << Qt::endl;
        return 1;
    }
    printListening(core);
    err() << "portico: control API listening on " << core.apiUrl().toString() << '\n';
    for (const QString &note : notYetEffective(*config))
        err() << "portico: note: " << note << '\n';
    err().flush();
    core.startControl();

    return QCoreApplication::exec();
}

} // namespace portico::app
