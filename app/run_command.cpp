// `portico run [--name NAME] -- COMMAND...`: a dev server on a free port, routed while it runs.
#include "app/api_client.h"
#include "app/commands.h"
#include "core/common/paths.h"
#include "core/common/termination_signal.h"
#include "core/provider/project/project_name.h"
#include "core/tls/ca_environment.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTextStream>

#ifndef Q_OS_WIN
#include <signal.h>
#endif

namespace portico::app {

namespace {

int fail(const QString &message, int code = 1)
{
    QTextStream(stderr) << "portico run: " << message << '\n';
    return code;
}

struct RunOptions
{
    QString name;
    QStringList command;
};

/// `[--name NAME | --name=NAME] [--] COMMAND...`; an error text when malformed.
Expected<RunOptions> parseOptions(QStringList arguments)
{
    RunOptions options;
    while (!arguments.isEmpty()) {
        const QString arg = arguments.takeFirst();
        if (arg == u"--") {
            break;
        } else if (arg == u"--name" && !arguments.isEmpty()) {
            options.name = arguments.takeFirst();
        } else if (arg.startsWith(QLatin1String("--name="))) {
            options.name = arg.mid(7);
        } else if (arg.startsWith(QLatin1Char('-'))) {
            return Error { QStringLiteral("unknown option \"%1\"").arg(arg), {},
                QStringLiteral("usage: portico run [--name NAME] -- COMMAND...") };
        } else {
            arguments.prepend(arg);
            break;
        }
    }
    options.command = arguments;
    if (options.command.isEmpty())
        return Error { QStringLiteral("no command given"), {},
            QStringLiteral("usage: portico run [--name NAME] -- COMMAND...") };
    return options;
}

/// A port nobody listens on now (bound on 127.0.0.1 port 0, then released for the child).
quint16 freePort()
{
    QTcpServer probe;
    return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
}

/// Dev servers that ignore $PORT and need `--port N`: vite, astro (`astro dev`) and the Angular
/// CLI (`ng serve`), run directly or through npx / pnpm exec / bunx / yarn.
bool ignoresPortVariable(const QStringList &command)
{
    static const QStringList runners { QStringLiteral("npx"), QStringLiteral("pnpx"),
        QStringLiteral("bunx"), QStringLiteral("pnpm"), QStringLiteral("yarn") };
    static const QStringList tools { QStringLiteral("vite"), QStringLiteral("astro"),
        QStringLiteral("ng") };
    for (const QString &word : command) {
        const QString base = QFileInfo(word).completeBaseName();
        if (tools.contains(base))
            return true;
        if (!runners.contains(base) && word != u"exec")
            return false;
    }
    return false;
}

QProcessEnvironment childEnvironment(quint16 port, const QString &name, const QString &url)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PORT"), QString::number(port));
    env.insert(QStringLiteral("HOST"), QStringLiteral("127.0.0.1"));
    env.insert(QStringLiteral("PORTICO_NAME"), name);
    env.insert(QStringLiteral("PORTICO_URL"), url);
    const QString ca = paths::caDir() + QStringLiteral("/ca.pem");
    if (QFileInfo::exists(ca)) {
        for (const auto &[variable, value] : tls::caEnvironment(ca))
            env.insert(variable, value);
    }
    return env;
}

/// Registers the run with the instance under this process's pid (the route then also goes if
/// `portico run` itself is killed); returns `{id, url}`.
Expected<QJsonObject> registerRun(const ApiClient &api, const QString &name, quint16 port)
{
    const QJsonObject body { { QStringLiteral("name"), name }, { QStringLiteral("port"), port },
        { QStringLiteral("pid"), QCoreApplication::applicationPid() } };
    auto answer = api.post(QStringLiteral("/api/portico/runs"), QJsonDocument(body));
    if (!answer)
        return answer.error();
    return answer->object();
}

/// Forwards a termination request to the child (SIGINT stays SIGINT, so dev servers shut down
/// the way they do on Ctrl-C).
void forward(QProcess &child, const QString &signalName)
{
#ifdef Q_OS_WIN
    Q_UNUSED(signalName);
    child.terminate();
#else
    if (child.processId() > 0)
        ::kill(pid_t(child.processId()), signalName == u"SIGINT" ? SIGINT : SIGTERM);
#endif
}

} // namespace

int runRun(const QStringList &arguments)
{
    auto options = parseOptions(arguments);
    if (!options)
        return fail(options.error().toString(), 2);
    QString name = options->name;
    if (name.isEmpty())
        name = provider::identifyProject(QDir::currentPath()).name;
    if (name.isEmpty())
        return fail(QStringLiteral("cannot name this project; pass --name NAME"), 2);
    auto api = ApiClient::connectToInstance();
    if (!api)
        return fail(api.error().toString());
    const quint16 port = freePort();
    if (port == 0)
        return fail(QStringLiteral("no free port on 127.0.0.1"));
    auto run = registerRun(*api, name, port);
    if (!run)
        return fail(run.error().toString());
    const QString id = run->value(QLatin1String("id")).toString();
    const QString url = run->value(QLatin1String("url")).toString();

    QStringList command = options->command;
    if (ignoresPortVariable(command))
        command << QStringLiteral("--port") << QString::number(port);
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedChannels);
    child.setInputChannelMode(QProcess::ForwardedInputChannel);
    child.setProcessEnvironment(childEnvironment(port, name, url));
    child.setProgram(command.takeFirst());
    child.setArguments(command);
    QTextStream(stderr) << "portico run: " << url << " -> http://127.0.0.1:" << port << '\n';

    TerminationSignal termination;
    QString forwarded;
    QObject::connect(
        &termination, &TerminationSignal::received, &child, [&](const QString &signalName) {
            forwarded = signalName;
            forward(child, signalName);
        });
    int exitCode = 0;
    QObject::connect(
        &child, &QProcess::finished, &child, [&](int code, QProcess::ExitStatus status) {
            exitCode = status == QProcess::NormalExit ? code
                : forwarded == u"SIGINT"              ? 130
                                                      : 143; // 128 + signal, as shells report
            QCoreApplication::exit(0);
        });
    QObject::connect(&child, &QProcess::errorOccurred, &child, [&](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        QTextStream(stderr) << "portico run: cannot start \"" << child.program()
                            << "\": " << child.errorString() << '\n';
        exitCode = 127; // as shells report a command that cannot run
        QCoreApplication::exit(0);
    });
    child.start();
    QCoreApplication::exec();
    if (auto removed = api->remove(QStringLiteral("/api/portico/runs/") + id); !removed)
        QTextStream(stderr) << "portico run: " << removed.error().toString() << '\n';
    return exitCode;
}

} // namespace portico::app
