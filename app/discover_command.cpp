// `portico discover|publish|unpublish`: the dev servers the running instance found listening,
// and publishing them under a name (clients of the control API's proposals endpoints).
#include "app/api_client.h"
#include "app/commands.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>

#include <algorithm>

namespace portico::app {

namespace {

const QString kProposals = QStringLiteral("/api/portico/proposals");

int fail(const QString &message)
{
    QTextStream(stderr) << "portico: " << message << '\n';
    return 1;
}

/// The instance's proposals, with a hint when discovery is not configured.
Expected<QJsonArray> proposals(const ApiClient &api)
{
    auto answer = api.get(kProposals);
    if (!answer) {
        Error error = answer.error();
        if (error.message.contains(QLatin1String("404")))
            error.hint = QStringLiteral("discovery is off: add `providers: {ports: {}}` to the "
                                        "static configuration (the built-in default has it)");
        return error;
    }
    return answer->array();
}

/// The proposal whose id or port is `key`.
Expected<QJsonObject> find(const QJsonArray &list, const QString &key)
{
    for (const QJsonValue &value : list) {
        const QJsonObject proposal = value.toObject();
        if (proposal.value(QLatin1String("id")).toString() == key
            || QString::number(proposal.value(QLatin1String("port")).toInt()) == key)
            return proposal;
    }
    return Error { QStringLiteral("no dev server found with id or port \"%1\"").arg(key), {},
        QStringLiteral("\"portico discover\" lists them") };
}

QString cell(QString text, int width)
{
    if (text.size() > width)
        text = text.left(width - 1) + QChar(0x2026);
    return text.leftJustified(width + 2);
}

int discover(const ApiClient &api, bool json)
{
    auto list = proposals(api);
    if (!list)
        return fail(list.error().toString());
    QTextStream out(stdout);
    if (json) {
        out << QJsonDocument(*list).toJson(QJsonDocument::Indented);
        return 0;
    }
    if (list->isEmpty()) {
        out << "no dev servers found listening (yet)\n";
        return 0;
    }
    out << cell(QStringLiteral("PORT"), 6) << cell(QStringLiteral("NAME"), 18)
        << cell(QStringLiteral("STATE"), 9) << cell(QStringLiteral("KIND"), 14)
        << cell(QStringLiteral("TITLE"), 24) << "COMMAND\n";
    for (const QJsonValue &value : *list) {
        const QJsonObject p = value.toObject();
        out << cell(QString::number(p.value(QLatin1String("port")).toInt()), 6)
            << cell(p.value(QLatin1String("proposedName")).toString(), 18)
            << cell(p.value(QLatin1String("published")).toBool() ? QStringLiteral("published")
                                                                 : QStringLiteral("proposed"),
                   9)
            << cell(p.value(QLatin1String("kind")).toString(), 14)
            << cell(p.value(QLatin1String("title")).toString(), 24)
            << p.value(QLatin1String("commandLine")).toString() << '\n';
    }
    return 0;
}

int publish(const ApiClient &api, const QStringList &arguments, bool on)
{
    auto list = proposals(api);
    if (!list)
        return fail(list.error().toString());
    auto proposal = find(*list, arguments.at(0));
    if (!proposal)
        return fail(proposal.error().toString());
    const QString path = kProposals + u'/' + proposal->value(QLatin1String("id")).toString()
        + QStringLiteral("/publish");
    QJsonObject body;
    if (arguments.size() > 1)
        body.insert(QStringLiteral("name"), arguments.at(1));
    auto answer = on ? api.put(path, QJsonDocument(body)) : api.remove(path);
    if (!answer)
        return fail(answer.error().toString());
    const QJsonObject result = answer->object();
    const QString name = result.value(QLatin1String("proposedName")).toString();
    QTextStream out(stdout);
    if (on)
        out << name << ".localhost -> " << result.value(QLatin1String("url")).toString() << '\n';
    else
        out << "no longer routing " << name << ".localhost\n";
    return 0;
}

} // namespace

int runDiscover(const QString &verb, const QStringList &arguments)
{
    const bool json = arguments == QStringList { QStringLiteral("--json") };
    const bool valid = verb == u"discover" ? (arguments.isEmpty() || json)
        : verb == u"publish"               ? (arguments.size() == 1 || arguments.size() == 2)
                                           : arguments.size() == 1;
    if (!valid) {
        QTextStream(stderr) << "usage: portico discover [--json] | portico publish ID|PORT [NAME]"
                               " | portico unpublish ID|PORT\n";
        return 2;
    }
    auto api = ApiClient::connectToInstance();
    if (!api)
        return fail(api.error().toString());
    if (verb == u"discover")
        return discover(*api, json);
    return publish(*api, arguments, verb == u"publish");
}

} // namespace portico::app
