#include "core/provider/ports/dev_servers.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <array>
#include <initializer_list>

namespace portico::provider::ports {
namespace {

/// One recognisable command: consecutive arguments, each equal to an argument, its file name,
/// or its file name without a script extension (`node_modules/.bin/vite`, `vite.js` → `vite`).
struct Pattern
{
    const char *kind;
    std::initializer_list<const char *> tokens;
    const char *executable = nullptr; ///< optional: the executable's name must start with this
};

// Most specific first: a `node …/vite.js` process is `vite`, not `node`.
const Pattern patterns[] = {
    { "vite", { "vite" } },
    { "next", { "next-server" } }, // next dev renames its server process `next-server (vX)`
    { "next", { "next", "dev" } },
    { "next", { "next", "start" } },
    { "nuxt", { "nuxi" } },
    { "nuxt", { "nuxt" } },
    { "webpack-dev-server", { "webpack-dev-server" } },
    { "webpack-dev-server", { "webpack", "serve" } },
    { "astro", { "astro" } },
    { "storybook", { "storybook" } },
    { "storybook", { "start-storybook" } },
    { "angular", { "ng", "serve" } },
    { "gatsby", { "gatsby", "develop" } },
    { "parcel", { "parcel" } },
    { "remix", { "remix-serve" } },
    { "rails", { "rails", "server" } },
    { "rails", { "rails", "s" } },
    { "rails", { "puma" } },
    { "django", { "manage.py", "runserver" } },
    { "django", { "django-admin", "runserver" } },
    { "flask", { "flask", "run" } },
    { "uvicorn", { "uvicorn" } },
    { "gunicorn", { "gunicorn" } },
    { "hypercorn", { "hypercorn" } },
    { "http.server", { "-m", "http.server" } },
    { "php", { "-S" }, "php" },
    { "hugo", { "hugo", "server" } },
    { "hugo", { "hugo", "serve" } },
    { "jekyll", { "jekyll", "serve" } },
    { "jekyll", { "jekyll", "s" } },
};

/// Runtimes whose scripts are dev servers often enough to propose (`node server.js`).
const std::array<std::pair<const char *, const char *>, 5> runtimes { {
    { "node", "^(node|nodejs)$" },
    { "bun", "^bun$" },
    { "deno", "^deno$" },
    { "python", "^python[0-9.]*$" },
    { "ruby", "^ruby[0-9.]*$" },
} };

/// Listeners that are never dev servers: remote access, init, databases, brokers, container
/// plumbing (containers come through the docker provider).
const char *const daemons[] = { "sshd", "systemd", "init", "dbus-daemon", "cupsd", "cups-browsed",
    "avahi-daemon", "chronyd", "ntpd", "dnsmasq", "named", "unbound", "postgres", "postmaster",
    "mysqld", "mariadbd", "mongod", "redis-server", "valkey-server", "memcached", "beam.smp",
    "epmd", "dockerd", "containerd", "docker-proxy", "podman", "conmon", "rootlessport",
    "slirp4netns", "pasta", "exim4", "master", "smbd", "nmbd", "rpcbind", "Xorg", "Xwayland",
    "kdeconnectd", "portico", "process_api" };

bool tokenMatches(const QString &argument, const char *token)
{
    const QLatin1String wanted(token);
    if (argument == wanted)
        return true;
    const QString name = QFileInfo(argument).fileName();
    if (name == wanted)
        return true;
    static const QRegularExpression script(QStringLiteral("\\.(c|m)?(js|ts)$|\\.py$|\\.rb$"));
    return QString(name).remove(script) == wanted;
}

bool matches(const Pattern &pattern, const QStringList &arguments, const QString &executable)
{
    if (pattern.executable && !executable.startsWith(QLatin1String(pattern.executable)))
        return false;
    const qsizetype length = qsizetype(pattern.tokens.size());
    for (qsizetype start = 0; start + length <= arguments.size(); ++start) {
        qsizetype i = 0;
        for (const char *token : pattern.tokens) {
            if (!tokenMatches(arguments.at(start + i), token))
                break;
            ++i;
        }
        if (i == length)
            return true;
    }
    return false;
}

QString executableName(const ProcessInfo &process)
{
    const QString path
        = process.executable.isEmpty() ? process.arguments.value(0) : process.executable;
    QString name = QFileInfo(path).fileName();
    if (name.endsWith(QLatin1String(".exe"), Qt::CaseInsensitive))
        name.chop(4);
    return name;
}

} // namespace

QString devServerKind(const ProcessInfo &process)
{
    const QString executable = executableName(process);
    for (const Pattern &pattern : patterns) {
        if (matches(pattern, process.arguments, executable))
            return QLatin1String(pattern.kind);
    }
    for (const auto &[kind, expression] : runtimes) {
        if (QRegularExpression(QLatin1String(expression)).match(executable).hasMatch())
            return QLatin1String(kind);
    }
    return {};
}

QString exclusionReason(const ProcessInfo &process, quint16 port, const Observer &observer)
{
    if (process.pid == observer.pid)
        return QStringLiteral("portico itself");
    const QString executable = executableName(process);
    const bool knownDaemon = std::any_of(std::begin(daemons), std::end(daemons),
        [&](const char *daemon) { return executable == QLatin1String(daemon); });
    if (knownDaemon || executable.startsWith(QLatin1String("systemd-")))
        return QStringLiteral("system daemon \"%1\"").arg(executable);
    // Binding below 1024 needs privileges, so such a listener is a system service unless an
    // ordinary user was given the capability on purpose.
    if (port < 1024 && (observer.uid == 0 || process.uid != observer.uid))
        return QStringLiteral("privileged port %1").arg(port);
    if (observer.uid == 0 && process.uid != observer.uid && process.uid >= 0 && process.uid < 1000)
        return QStringLiteral("system user %1").arg(process.uid);
    if (observer.uid == 0
        && (process.pid == 1 || process.systemService
            || (process.parentPid == 1 && !process.hasTerminal)))
        return QStringLiteral("system daemon \"%1\"").arg(executable);
    return {};
}

} // namespace portico::provider::ports
