// `portico explain URL`: which router of the running instance serves a request and why every
// other router did not (a client of GET /api/portico/explain).
#include "app/api_client.h"
#include "app/commands.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTextStream>
#include <QUrlQuery>

namespace portico::app {

namespace {

struct ExplainOptions
{
    QString url;
    QString method = QStringLiteral("GET");
    QStringList headers; ///< `Name: value`
    QString entryPoint;
    bool json = false;
};

const QString kUsage = QStringLiteral(
    "usage: portico explain URL [-H 'Name: value']... [--method M] [--entrypoint NAME] [--json]");

Expected<ExplainOptions> parse(const QStringList &arguments)
{
    ExplainOptions options;
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        const bool takesValue = arg == u"-H" || arg == u"--header" || arg == u"-X"
            || arg == u"--method" || arg == u"--entrypoint" || arg == u"--entryPoint";
        if (takesValue && i + 1 >= arguments.size())
            return Error { QStringLiteral("%1 needs a value").arg(arg), {}, kUsage };
        if (arg == u"-H" || arg == u"--header") {
            const QString header = arguments.at(++i);
            if (header.indexOf(u':') <= 0)
                return Error { QStringLiteral("invalid header \"%1\"").arg(header), {},
                    QStringLiteral("expected -H 'Name: value'") };
            options.headers << header;
        } else if (arg == u"-X" || arg == u"--method") {
            options.method = arguments.at(++i).toUpper();
        } else if (arg == u"--entrypoint" || arg == u"--entryPoint") {
            options.entryPoint = arguments.at(++i);
        } else if (arg == u"--json") {
            options.json = true;
        } else if (arg.startsWith(u'-') || !options.url.isEmpty()) {
            return Error { QStringLiteral("unexpected argument \"%1\"").arg(arg), {}, kUsage };
        } else {
            options.url = arg;
        }
    }
    if (options.url.isEmpty())
        return Error { QStringLiteral("missing URL"), {}, kUsage };
    if (!options.url.contains(QLatin1String("://"))) // `shop.localhost/x` means http
        options.url.prepend(QLatin1String("http://"));
    return options;
}

QString pathOf(const ExplainOptions &options)
{
    QUrlQuery query;
    query.addQueryItem(
        QStringLiteral("url"), QString::fromUtf8(QUrl::toPercentEncoding(options.url)));
    query.addQueryItem(QStringLiteral("method"), options.method);
    for (const QString &header : options.headers)
        query.addQueryItem(
            QStringLiteral("header"), QString::fromUtf8(QUrl::toPercentEncoding(header)));
    if (!options.entryPoint.isEmpty())
        query.addQueryItem(QStringLiteral("entryPoint"), options.entryPoint);
    return QStringLiteral("/api/portico/explain?") + query.toString(QUrl::FullyEncoded);
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1String(key)).toString();
}

/// The winner's service, middlewares and server choice.
void printPipeline(QTextStream &out, const QJsonObject &ep)
{
    const QJsonValue winner = ep.value(QLatin1String("winner"));
    if (winner.isNull()) {
        out << "  no router matches: the request gets 404 page not found\n";
        return;
    }
    out << "  -> " << winner.toString() << " serves it\n";
    QStringList middlewares;
    for (const QJsonValue &m : ep.value(QLatin1String("middlewares")).toArray())
        middlewares << m.toString();
    out << "     middlewares: "
        << (middlewares.isEmpty() ? QStringLiteral("none")
                                  : middlewares.join(QStringLiteral(" -> ")))
        << '\n';
    out << "     service:     " << str(ep, "service") << '\n';
    if (ep.value(QLatin1String("paused")).toBool())
        out << "     paused: the paused page answers (portico resume "
            << winner.toString().section(u'@', 0, 0) << ")\n";
    const QString server = str(ep, "server");
    out << "     server:      " << (server.isEmpty() ? QStringLiteral("-") : server) << " ("
        << str(ep, "serverNote") << ")\n";
    for (const QJsonValue &value : ep.value(QLatin1String("servers")).toArray()) {
        const QJsonObject s = value.toObject();
        out << "       " << str(s, "url") << "  weight " << s.value(QLatin1String("weight")).toInt()
            << (s.value(QLatin1String("healthy")).toBool() ? "" : "  DOWN") << '\n';
    }
}

void printEntryPoint(QTextStream &out, const QJsonObject &ep)
{
    out << "\nentry point " << str(ep, "entryPoint") << " (" << str(ep, "why") << "), "
        << (ep.value(QLatin1String("tls")).toBool() ? "TLS" : "plain HTTP") << ":\n";
    printPipeline(out, ep);
    out << "\n  routers in the order they are tried:\n";
    for (const QJsonValue &value : ep.value(QLatin1String("routers")).toArray()) {
        const QJsonObject r = value.toObject();
        out << "    " << QStringLiteral("[%1]").arg(str(r, "verdict")).leftJustified(15) << ' '
            << str(r, "name") << "  priority " << str(r, "priority")
            << (r.value(QLatin1String("tls")).toBool() ? "  tls" : "") << '\n';
        out << "    " << QString(16, u' ') << str(r, "rule") << '\n';
        out << "    " << QString(16, u' ') << str(r, "reason") << '\n';
    }
}

} // namespace

int runExplain(const QStringList &arguments)
{
    QTextStream err(stderr);
    auto options = parse(arguments);
    if (!options) {
        err << "portico: " << options.error().toString() << '\n';
        return 2;
    }
    auto api = ApiClient::connectToInstance();
    if (!api) {
        err << "portico: " << api.error().toString() << '\n';
        return 1;
    }
    auto answer = api->get(pathOf(*options));
    if (!answer) {
        err << "portico: " << answer.error().toString() << '\n';
        return 1;
    }
    QTextStream out(stdout);
    if (options->json) {
        out << answer->toJson(QJsonDocument::Indented);
        return 0;
    }
    const QJsonObject root = answer->object();
    const QJsonObject request = root.value(QLatin1String("request")).toObject();
    out << str(request, "method") << ' ' << options->url << "\n  host \"" << str(request, "host")
        << "\", path \"" << str(request, "path") << '"';
    if (!str(request, "query").isEmpty())
        out << ", query \"" << str(request, "query") << '"';
    out << '\n';
    for (const QJsonValue &ep : root.value(QLatin1String("entryPoints")).toArray())
        printEntryPoint(out, ep.toObject());
    return 0;
}

} // namespace portico::app
