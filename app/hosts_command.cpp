// `portico hosts sync|clean`: a managed block in the hosts file for names outside `.localhost`,
// for clients that do not resolve names themselves (glibc, wrk, Python; see RFC 6761 §6.3).
#include "app/api_client.h"
#include "app/commands.h"
#include "core/common/paths.h"
#include "core/provider/state/host_route.h"
#include "core/provider/state/state_store.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

namespace portico::app {

namespace {

const QByteArray kBegin = QByteArrayLiteral("# BEGIN portico");
const QByteArray kEnd = QByteArrayLiteral("# END portico");

/// `$PORTICO_HOSTS_FILE` (tests), else the system's hosts file.
QString hostsPath()
{
    const QString overridden = qEnvironmentVariable("PORTICO_HOSTS_FILE");
    if (!overridden.isEmpty())
        return overridden;
#ifdef Q_OS_WIN
    return qEnvironmentVariable("SystemRoot", QStringLiteral("C:\\Windows"))
        + QStringLiteral("\\System32\\drivers\\etc\\hosts");
#else
    return QStringLiteral("/etc/hosts");
#endif
}

bool needsEntry(const QString &host)
{
    return host != u"localhost" && !host.endsWith(QLatin1String(".localhost"))
        && !host.contains(QLatin1Char('*'));
}

/// Host names to resolve: every router's from the running instance, else the saved aliases'.
Expected<QStringList> wantedHosts()
{
    QStringList hosts;
    if (auto api = ApiClient::connectToInstance()) {
        auto answer = api->get(QStringLiteral("/api/portico/hosts"));
        if (!answer)
            return answer.error();
        for (const QJsonValue &entry : answer->array())
            hosts << entry[QLatin1String("host")].toString();
    } else {
        provider::StateStore store(paths::statePath());
        if (auto loaded = store.load(); !loaded)
            return loaded.error();
        for (const auto &[name, target] : store.state().aliases)
            hosts << provider::aliasHost(name);
    }
    QStringList out;
    for (const QString &host : std::as_const(hosts)) {
        if (needsEntry(host))
            out << host;
    }
    out.removeDuplicates();
    out.sort();
    return out;
}

/// `content` without the managed block (and the one newline it added before it).
QByteArray withoutBlock(const QByteArray &content)
{
    const qsizetype begin = content.indexOf(kBegin);
    if (begin < 0)
        return content;
    qsizetype end = content.indexOf(kEnd, begin);
    end = end < 0 ? content.size() : end + kEnd.size();
    if (end < content.size() && content[end] == '\n')
        ++end;
    return content.left(begin) + content.mid(end);
}

QByteArray block(const QStringList &hosts)
{
    QByteArray out
        = kBegin + " (written by `portico hosts sync`; `portico hosts clean` removes it)\n";
    for (const QString &host : hosts)
        out += "127.0.0.1 " + host.toUtf8() + "\n::1 " + host.toUtf8() + '\n';
    return out + kEnd + '\n';
}

int failWrite(const QString &path, const QString &why, const QString &verb)
{
    QTextStream(stderr)
        << "portico hosts: cannot write \"" << path << "\": " << why << '\n'
        << "the hosts file belongs to the administrator; run:\n    sudo env PORTICO_HOME='"
        << paths::homeDir() << "' '" << QCoreApplication::applicationFilePath() << "' hosts "
        << verb << '\n';
    return 1;
}

/// Rewrites the file in place (not by rename: /etc/hosts is often a bind mount in containers).
int writeHosts(const QString &path, const QByteArray &content, const QString &verb)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return failWrite(path, file.errorString(), verb);
    if (file.write(content) != content.size())
        return failWrite(path, file.errorString(), verb);
    return 0;
}

} // namespace

int runHosts(const QStringList &arguments)
{
    const QString verb = arguments.value(0);
    if (arguments.size() != 1 || (verb != u"sync" && verb != u"clean")) {
        QTextStream(stderr) << "usage: portico hosts sync | clean\n";
        return 2;
    }
    const QString path = hostsPath();
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        QTextStream(stderr) << "portico hosts: cannot read \"" << path
                            << "\": " << file.errorString() << '\n';
        return 1;
    }
    const QByteArray before = file.readAll();
    file.close();
    QByteArray after = withoutBlock(before);
    QStringList hosts;
    if (verb == u"sync") {
        auto wanted = wantedHosts();
        if (!wanted) {
            QTextStream(stderr) << "portico hosts: " << wanted.error().toString() << '\n';
            return 1;
        }
        hosts = *wanted;
        if (!hosts.isEmpty()) {
            if (!after.isEmpty() && !after.endsWith('\n'))
                after += '\n';
            after += block(hosts);
        }
    }
    QTextStream out(stdout);
    if (after == before) {
        out << path << " is up to date\n";
        return 0;
    }
    if (const int failed = writeHosts(path, after, verb))
        return failed;
    if (verb == u"clean" || hosts.isEmpty())
        out << "removed Portico's block from " << path << '\n';
    else
        out << "wrote " << hosts.size() << " name(s) to " << path << ": "
            << hosts.join(QLatin1Char(' ')) << '\n';
    return 0;
}

} // namespace portico::app
