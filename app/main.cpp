// Composition root: picks the verb and hands over. Everything else lives in core/ and ui/.
#include "app/commands.h"
#include "app/gui_launcher.h"

#include <QCoreApplication>
#include <QTextStream>

namespace {

const char *const kUsage = R"(Portico — the front door to everything you run on this machine.

Usage:
  portico [gui] [serve options]
      The desktop app (portico-gui): tray icon and services window, running the same core as
      "serve".
  portico serve [--config FILE] [--port N] [--https-port N] [--threads N] [--log-level LEVEL]
                [--entryPoints.NAME.address=ADDR --providers.file.filename=FILE ...]
      Run the routing core headless until SIGTERM/SIGINT. Without a configuration it serves the
      built-in default: "web" on http://localhost:80 and "websecure" on https://localhost:443
      (127.0.0.1 and ::1, certificates from the local CA), discovery of local dev servers, Docker
      containers when an engine is installed, and the API at https://portico.localhost.
  portico check [--config FILE | static flags]
      Validate the static and dynamic configuration, print every error and the resulting routes.
      Exit code 1 when anything is in error.
  portico trust [--check] [--store system,nss,firefox,java] [--no-elevate] | portico untrust
      Install the local CA in this machine's and this user's trust stores (system, NSS for
      Chromium and Firefox, Java), show where it is trusted, or remove it.
  portico ca [show | rotate | env]
      Show the local CA, replace it with a new one, or print the variables that make Node,
      Python, Ruby and curl trust it.
  portico alias NAME PORT|URL | portico unalias NAME | portico list [--json]
      Routes of your own: NAME.localhost to a local port or URL; they survive restarts.
  portico pause ROUTER | portico resume ROUTER
      Switch a route off (its name answers "paused" with 503) and on again.
  portico discover [--json] | portico publish ID|PORT [NAME] | portico unpublish ID|PORT
      Dev servers found listening on this machine, and routing one as NAME.localhost (its
      project's name by default); the choice is remembered.
  portico run [--name NAME] -- COMMAND...
      Run a dev server on a free port (PORT is set) and route NAME.localhost to it while it runs.
  portico explain URL [-H 'Name: value']... [--method M] [--entrypoint NAME] [--json]
      Which router would serve a request, and why each other router would not.
  portico requests [--follow] [--host H] [--status 5xx] [--method M] [--router R] [--json]
                   [--limit N]
      The requests Portico saw, newest last; --follow prints new ones as they finish.
  portico hosts sync | clean
      Write (or remove) a managed block in the hosts file for names outside .localhost.
  portico version
  portico help

The configuration is Traefik v3's: a static file (entryPoints, providers.file, ...) and dynamic
file-provider YAML (http.routers, http.services, http.middlewares).
)";

/// `portico`, `portico gui ...` and `portico --port 8080 ...` (options without a verb) are the
/// desktop app; --help and --version stay here.
bool isDesktopApp(int argc, char **argv)
{
    if (argc < 2 || qstrcmp(argv[1], "gui") == 0)
        return true;
    const char *first = argv[1];
    return first[0] == '-' && qstrcmp(first, "--help") != 0 && qstrcmp(first, "-h") != 0
        && qstrcmp(first, "--version") != 0;
}

} // namespace

int main(int argc, char **argv)
{
    if (isDesktopApp(argc, argv))
        return portico::app::launchGui(argv);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("portico"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PORTICO_VERSION));
    QStringList args = QCoreApplication::arguments().mid(1);
    const QString verb = args.takeFirst();
    QTextStream out(stdout);
    if (verb == u"serve")
        return portico::app::runServe(args);
    if (verb == u"check")
        return portico::app::runCheck(args);
    if (verb == u"trust" || verb == u"untrust")
        return portico::app::runTrust(verb, args);
    if (verb == u"ca")
        return portico::app::runCa(args);
    if (verb == u"alias" || verb == u"unalias" || verb == u"list" || verb == u"pause"
        || verb == u"resume")
        return portico::app::runAlias(verb, args);
    if (verb == u"discover" || verb == u"publish" || verb == u"unpublish")
        return portico::app::runDiscover(verb, args);
    if (verb == u"run")
        return portico::app::runRun(args);
    if (verb == u"hosts")
        return portico::app::runHosts(args);
    if (verb == u"explain")
        return portico::app::runExplain(args);
    if (verb == u"requests")
        return portico::app::runRequests(args);
    if (verb == u"version" || verb == u"--version") {
        out << "portico " << PORTICO_VERSION << Qt::endl;
        return 0;
    }
    if (verb == u"help" || verb == u"--help" || verb == u"-h") {
        out << kUsage;
        return 0;
    }
    QTextStream(stderr) << "portico: unknown command \"" << verb << "\"\n\n" << kUsage;
    return 2;
}
