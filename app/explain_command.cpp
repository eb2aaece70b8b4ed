// `portico explain URL`: which router of the running instance serves a request and why every
// other router did not (a client of GET /api/portico/explain).
#include "app/api_client.h"
#include "app/commands.h"
#include "core/control/explain_text.h"

#include <QJsonDocument>
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
    out << control::explanationText(answer->object(), options->url);
    return 0;
}

} // namespace portico::app
