#include "app/command_line.h"
#include "app/commands.h"
#include "core/control/table_builder.h"
#include "core/provider/file/file_provider.h"

#include <QEventLoop>
#include <QTextStream>

namespace portico::app {

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

/// Reads the file provider once (no watching) and returns its snapshot, or its errors.
control::Snapshots readProviders(const config::StaticConfig &config, std::vector<Error> &errors)
{
    control::Snapshots snapshots;
    if (!config.fileProvider)
        return snapshots;
    config::FileProviderSpec spec = *config.fileProvider;
    spec.watch = false;
    provider::FileProvider file(spec);
    QEventLoop loop;
    QObject::connect(&file, &provider::Provider::snapshotReady, &loop,
        [&](const config::DynamicConfig &snapshot) {
            snapshots[file.name()] = snapshot;
            loop.quit();
        });
    QObject::connect(
        &file, &provider::Provider::snapshotFailed, &loop, [&](const std::vector<Error> &failure) {
            errors.insert(errors.end(), failure.begin(), failure.end());
            loop.quit();
        });
    file.start();
    if (snapshots.empty() && errors.empty())
        loop.exec();
    return snapshots;
}

void printRouting(const control::RuntimeState &state)
{
    for (const auto &[name, router] : state.routers) {
        out() << QStringLiteral("  %1 [%2] %3 priority=%4 entryPoints=%5 service=%6\n")
                     .arg(name, control::statusName(router.status), router.spec.rule)
                     .arg(router.priority)
                     .arg(router.using_.join(u','), router.service);
    }
    for (const auto &[name, service] : state.services) {
        QStringList urls;
        if (service.spec.loadBalancer) {
            for (const auto &server : service.spec.loadBalancer->servers)
                urls << server.url;
        }
        out() << QStringLiteral("  %1 [%2] %3\n")
                     .arg(name, control::statusName(service.status),
                         urls.join(QStringLiteral(", ")));
    }
}

} // namespace

int runCheck(const QStringList &arguments)
{
    const auto options = parseRunOptions(arguments);
    if (!options) {
        out() << "error: " << options.error().toString() << Qt::endl;
        return 2;
    }
    const config::StaticConfigResult loaded = resolveStaticConfig(*options);
    std::vector<Error> errors = loaded.errors;
    control::RuntimeState state;
    if (loaded.ok()) {
        const control::Snapshots snapshots = readProviders(loaded.config, errors);
        state = control::TableBuilder(loaded.config.entryPoints).build(snapshots, 1).state;
        const auto dynamicErrors = state.allErrors();
        errors.insert(errors.end(), dynamicErrors.begin(), dynamicErrors.end());
    }
    for (const Error &e : errors)
        out() << "error: " << e.toString() << '\n';
    if (loaded.ok()) {
        out() << QStringLiteral("%1 entry points, %2 routers, %3 services, %4 middlewares\n")
                     .arg(loaded.config.entryPoints.size())
                     .arg(state.routers.size())
                     .arg(state.services.size())
                     .arg(state.middlewares.size());
        printRouting(state);
    }
    out() << (errors.empty() ? QStringLiteral("configuration OK\n")
                             : QStringLiteral("%1 error(s)\n").arg(errors.size()));
    out().flush();
    return errors.empty() ? 0 : 1;
}

} // namespace portico::app
