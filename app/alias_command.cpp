// `portico alias|unalias|list|pause|resume`: clients of the running instance's control API.
#include "app/api_client.h"
#include "app/commands.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>
#include <QUrl>

#include <map>

namespace portico::app {

namespace {

int fail(const QString &message)
{
    QTextStream(stderr) << "portico: " << message << '\n';
    return 1;
}

int usage(const QString &verb)
{
    static const std::map<QString, QString> forms {
        { QStringLiteral("alias"), QStringLiteral("portico alias NAME PORT|URL") },
        { QStringLiteral("unalias"), QStringLiteral("portico unalias NAME") },
        { QStringLiteral("list"), QStringLiteral("portico list [--json]") },
        { QStringLiteral("pause"), QStringLiteral("portico pause ROUTER") },
        { QStringLiteral("resume"), QStringLiteral("portico resume ROUTER") },
    };
    const auto it = forms.find(verb);
    QTextStream(stderr) << "usage: " << (it == forms.end() ? verb : it->second) << '\n';
    return 2;
}

QString segment(const QString &name)
{
    return QString::fromUtf8(QUrl::toPercentEncoding(name));
}

int alias(const ApiClient &api, const QStringList &arguments)
{
    const QJsonDocument body(QJsonObject { { QStringLiteral("target"), arguments.at(1) } });
    auto answer = api.put(QStringLiteral("/api/portico/aliases/") + segment(arguments.at(0)), body);
    if (!answer)
        return fail(answer.error().toString());
    const QJsonObject alias = answer->object();
    QTextStream(stdout) << alias.value(QLatin1String("url")).toString() << " -> "
                        << alias.value(QLatin1String("target")).toString() << '\n';
    return 0;
}

int unalias(const ApiClient &api, const QString &name)
{
    auto answer = api.remove(QStringLiteral("/api/portico/aliases/") + segment(name));
    if (!answer)
        return fail(answer.error().toString());
    QTextStream(stdout) << "removed alias \"" << name << "\"\n";
    return 0;
}

int pause(const ApiClient &api, const QString &router, bool paused)
{
    const QString path = QStringLiteral("/api/portico/routers/%1/pause").arg(segment(router));
    auto answer = paused ? api.put(path, QJsonDocument(QJsonObject {})) : api.remove(path);
    if (!answer)
        return fail(answer.error().toString());
    QTextStream(stdout) << answer->object().value(QLatin1String("router")).toString()
                        << (paused ? " is paused\n" : " is serving again\n");
    return 0;
}

/// One row of `portico list`.
struct Row
{
    QString name, url, target, provider, status;
};

/// Joins routers, their services' servers and their hosts' URLs into rows.
std::vector<Row> rows(
    const QJsonArray &routers, const QJsonArray &services, const QJsonArray &hosts)
{
    std::map<QString, QString> targets;
    for (const QJsonValue &service : services) {
        QStringList urls;
        const QJsonArray servers
            = service[QLatin1String("loadBalancer")][QLatin1String("servers")].toArray();
        for (const QJsonValue &server : servers)
            urls << server[QLatin1String("url")].toString();
        targets[service[QLatin1String("name")].toString()] = urls.join(QLatin1Char(' '));
    }
    std::map<QString, QStringList> urls;
    std::map<QString, bool> paused;
    for (const QJsonValue &host : hosts) {
        const QString router = host[QLatin1String("router")].toString();
        urls[router] << host[QLatin1String("url")].toString();
        paused[router] = host[QLatin1String("paused")].toBool();
    }
    std::vector<Row> out;
    for (const QJsonValue &router : routers) {
        const QString name = router[QLatin1String("name")].toString();
        QString service = router[QLatin1String("service")].toString();
        if (!service.contains(QLatin1Char('@')))
            service += QLatin1Char('@') + router[QLatin1String("provider")].toString();
        const QString target = targets.count(service) ? targets[service] : service;
        out.push_back({ name, urls[name].join(QLatin1Char(' ')), target,
            router[QLatin1String("provider")].toString(),
            paused[name] ? QStringLiteral("paused") : router[QLatin1String("status")].toString() });
    }
    return out;
}

void printTable(const std::vector<Row> &table)
{
    const std::vector<Row> all = [&] {
        std::vector<Row> t { { QStringLiteral("NAME"), QStringLiteral("URL"),
            QStringLiteral("TARGET"), QStringLiteral("PROVIDER"), QStringLiteral("STATUS") } };
        t.insert(t.end(), table.begin(), table.end());
        return t;
    }();
    qsizetype w[4] = { 0, 0, 0, 0 };
    for (const Row &r : all) {
        w[0] = std::max(w[0], r.name.size());
        w[1] = std::max(w[1], r.url.size());
        w[2] = std::max(w[2], r.target.size());
        w[3] = std::max(w[3], r.provider.size());
    }
    QTextStream out(stdout);
    for (const Row &r : all)
        out << r.name.leftJustified(w[0] + 2) << r.url.leftJustified(w[1] + 2)
            << r.target.leftJustified(w[2] + 2) << r.provider.leftJustified(w[3] + 2) << r.status
            << '\n';
}

int list(const ApiClient &api, bool json)
{
    auto routers = api.get(QStringLiteral("/api/http/routers"));
    if (!routers)
        return fail(routers.error().toString());
    auto services = api.get(QStringLiteral("/api/http/services"));
    if (!services)
        return fail(services.error().toString());
    auto hosts = api.get(QStringLiteral("/api/portico/hosts"));
    if (!hosts)
        return fail(hosts.error().toString());
    const std::vector<Row> table = rows(routers->array(), services->array(), hosts->array());
    if (!json) {
        printTable(table);
        return 0;
    }
    QJsonArray out;
    for (const Row &r : table)
        out.append(QJsonObject { { QStringLiteral("name"), r.name },
            { QStringLiteral("url"), r.url }, { QStringLiteral("target"), r.target },
            { QStringLiteral("provider"), r.provider }, { QStringLiteral("status"), r.status } });
    QTextStream(stdout) << QJsonDocument(out).toJson(QJsonDocument::Indented);
    return 0;
}

} // namespace

int runAlias(const QString &verb, const QStringList &arguments)
{
    const bool json = arguments == QStringList { QStringLiteral("--json") };
    const qsizetype expected = verb == u"alias" ? 2 : verb == u"list" ? 0 : 1;
    if (arguments.size() != expected && !(verb == u"list" && json))
        return usage(verb);
    auto api = ApiClient::connectToInstance();
    if (!api)
        return fail(api.error().toString());
    if (verb == u"alias")
        return alias(*api, arguments);
    if (verb == u"unalias")
        return unalias(*api, arguments.at(0));
    if (verb == u"pause" || verb == u"resume")
        return pause(*api, arguments.at(0), verb == u"pause");
    return list(*api, json);
}

} // namespace portico::app
