// `portico requests`: the requests the running instance captured, as a table or JSON, and with
// --follow the new ones as they finish (the control API's server-sent events stream).
#include "app/api_client.h"
#include "app/commands.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTextStream>
#include <QUrlQuery>

#include <cstdio>
#ifdef Q_OS_WIN
#include <io.h>
#define PORTICO_ISATTY _isatty
#define PORTICO_FILENO _fileno
#else
#include <unistd.h>
#define PORTICO_ISATTY isatty
#define PORTICO_FILENO fileno
#endif

namespace portico::app {

namespace {

const char *const kUsage = "usage: portico requests [--follow] [--host H] [--path P] "
                           "[--status 5xx|404|400-499] [--method M] [--router R] [--json] "
                           "[--limit N] [--no-redact]\n"
                           "  --no-redact  show Authorization, Cookie and Set-Cookie values "
                           "(uses the API token)\n";

struct RequestsOptions
{
    QUrlQuery filters; ///< record_filter.h query parameters
    bool follow = false;
    bool json = false;
    int limit = 50;
};

int fail(const QString &message)
{
    QTextStream(stderr) << "portico: " << message << '\n';
    return 1;
}

Expected<RequestsOptions> parseOptions(const QStringList &arguments)
{
    RequestsOptions options;
    static const QStringList valued { QStringLiteral("host"), QStringLiteral("path"),
        QStringLiteral("status"), QStringLiteral("method"), QStringLiteral("router"),
        QStringLiteral("protocol"), QStringLiteral("limit") };
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1String("--follow") || argument == QLatin1String("-f")) {
            options.follow = true;
            continue;
        }
        if (argument == QLatin1String("--json")) {
            options.json = true;
            continue;
        }
        if (argument == QLatin1String("--no-redact")) {
            // The API answers redact=0 only with the token, which ApiClient sends.
            options.filters.addQueryItem(QStringLiteral("redact"), QStringLiteral("0"));
            continue;
        }
        QString name = argument.mid(2);
        QString value;
        if (const qsizetype eq = name.indexOf(QLatin1Char('=')); eq > 0) {
            value = name.mid(eq + 1);
            name.truncate(eq);
        } else if (argument.startsWith(QLatin1String("--")) && valued.contains(name)
            && i + 1 < arguments.size()) {
            value = arguments.at(++i);
        }
        if (!argument.startsWith(QLatin1String("--")) || !valued.contains(name) || value.isEmpty())
            return Error { QStringLiteral("unexpected argument \"%1\"").arg(argument), {},
                QString::fromLatin1(kUsage).trimmed() };
        if (name == QLatin1String("limit")) {
            bool ok = false;
            options.limit = value.toInt(&ok);
            if (!ok || options.limit < 1 || options.limit > 1000)
                return Error {
                    QStringLiteral("--limit \"%1\" is not a number from 1 to 1000").arg(value), {},
                    {}
                };
            continue;
        }
        options.filters.addQueryItem(name, value);
    }
    return options;
}

bool colours()
{
    return PORTICO_ISATTY(PORTICO_FILENO(stdout)) != 0;
}

/// ANSI colour by status class: 2xx green, 3xx cyan, 4xx yellow, 5xx red, none grey.
QString colouredStatus(int status, const QString &text)
{
    if (!colours())
        return text;
    const char *code = status >= 500 ? "31"
        : status >= 400              ? "33"
        : status >= 300              ? "36"
        : status >= 200              ? "32"
                                     : "90";
    return QStringLiteral("\x1b[%1m%2\x1b[0m").arg(QLatin1String(code), text);
}

QString humanSize(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024 * 1024), 0, 'f', 1);
}

QString cell(QString text, int width)
{
    if (text.size() > width)
        text = text.left(width - 1) + QChar(0x2026);
    return text.leftJustified(width + 1);
}

QString header()
{
    return cell(QStringLiteral("TIME"), 12) + cell(QStringLiteral("METHOD"), 7)
        + cell(QStringLiteral("URL"), 48) + cell(QStringLiteral("STATUS"), 6)
        + cell(QStringLiteral("DURATION"), 9) + cell(QStringLiteral("SIZE"), 9)
        + QStringLiteral("PROTO\n");
}

QString row(const QJsonObject &record)
{
    const QJsonObject request = record.value(QLatin1String("request")).toObject();
    const QJsonObject response = record.value(QLatin1String("response")).toObject();
    const QDateTime started = QDateTime::fromMSecsSinceEpoch(
        record.value(QLatin1String("startedUs")).toInteger() / 1000);
    const int status = response.value(QLatin1String("status")).toInt();
    const QString state = record.value(QLatin1String("state")).toString();
    QString statusText = status > 0 ? QString::number(status) : QStringLiteral("-");
    if (state == QLatin1String("aborted"))
        statusText += QLatin1Char('!');
    const QJsonValue total = record.value(QLatin1String("timing"))[QLatin1String("totalUs")];
    const QString duration = total.isDouble()
        ? QStringLiteral("%1 ms").arg(total.toDouble() / 1000, 0, 'f', 1)
        : QStringLiteral("-");
    const qint64 size = response.value(QLatin1String("body"))[QLatin1String("size")].toInteger();
    return cell(started.toString(QStringLiteral("HH:mm:ss.zzz")), 12)
        + cell(request.value(QLatin1String("method")).toString(), 7)
        + cell(request.value(QLatin1String("host")).toString()
                + request.value(QLatin1String("target")).toString(),
            48)
        + colouredStatus(status, cell(statusText, 6)) + cell(duration, 9) + cell(humanSize(size), 9)
        + record.value(QLatin1String("protocol")).toString() + QLatin1Char('\n');
}

int list(const ApiClient &api, const RequestsOptions &options)
{
    QUrlQuery query = options.filters;
    query.addQueryItem(QStringLiteral("limit"), QString::number(options.limit));
    auto answer
        = api.get(QStringLiteral("/api/portico/requests?") + query.toString(QUrl::FullyEncoded));
    if (!answer)
        return fail(answer.error().toString());
    QTextStream out(stdout);
    if (options.json) {
        out << answer->toJson(QJsonDocument::Indented);
        return 0;
    }
    const QJsonArray records = answer->array();
    if (records.isEmpty()) {
        out << "no requests captured (yet)\n";
        return 0;
    }
    out << header();
    for (qsizetype i = records.size() - 1; i >= 0; --i) // oldest first, like a log
        out << row(records.at(i).toObject());
    return 0;
}

/// Reads `event: request` blocks from the SSE stream and prints each record once it finished.
class Follower
{
public:
    explicit Follower(bool json)
        : m_json(json)
    { }

    void feed(const QByteArray &data)
    {
        m_buffer += data;
        qsizetype end = 0;
        while ((end = m_buffer.indexOf("\n\n")) >= 0) {
            const QByteArray event = m_buffer.left(end);
            m_buffer.remove(0, end + 2);
            handle(event);
        }
    }

private:
    void handle(const QByteArray &event)
    {
        QByteArray data;
        for (const QByteArray &line : event.split('\n')) {
            if (line.startsWith("data:"))
                data += line.mid(5).trimmed();
        }
        const QJsonObject record = QJsonDocument::fromJson(data).object();
        if (record.isEmpty()
            || record.value(QLatin1String("state")).toString() == QLatin1String("inProgress"))
            return;
        QTextStream out(stdout);
        if (m_json) {
            out << QJsonDocument(record).toJson(QJsonDocument::Compact) << '\n';
        } else {
            if (!std::exchange(m_headerShown, true))
                out << header();
            out << row(record);
        }
        out.flush();
    }

    bool m_json;
    bool m_headerShown = false;
    QByteArray m_buffer;
};

int follow(const ApiClient &api, const RequestsOptions &options)
{
    QUrlQuery query = options.filters;
    query.addQueryItem(QStringLiteral("backlog"), QString::number(options.limit));
    QUrl url = api.baseUrl();
    url.setPath(QStringLiteral("/api/portico/requests/stream"));
    url.setQuery(query);
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "text/event-stream");
    if (!api.token().isEmpty())
        request.setRawHeader("Authorization", "Bearer " + api.token());
    request.setTransferTimeout(0); // a stream is idle between requests (heartbeats every 15 s)
    QNetworkReply *reply = network.get(request);
    Follower follower(options.json);
    int exitCode = 0;
    QObject::connect(
        reply, &QNetworkReply::readyRead, reply, [&] { follower.feed(reply->readAll()); });
    QObject::connect(reply, &QNetworkReply::finished, reply, [&] {
        if (reply->error() != QNetworkReply::NoError) {
            exitCode
                = fail(QStringLiteral("the request stream ended: %1").arg(reply->errorString()));
        }
        QCoreApplication::exit(exitCode);
    });
    return QCoreApplication::exec(); // until Ctrl-C or the instance stops
}

} // namespace

int runRequests(const QStringList &arguments)
{
    if (arguments.contains(QLatin1String("--help")) || arguments.contains(QLatin1String("-h"))) {
        QTextStream(stdout) << kUsage;
        return 0;
    }
    const auto options = parseOptions(arguments);
    if (!options) {
        QTextStream(stderr) << "portico: " << options.error().toString() << '\n';
        return 2;
    }
    auto api = ApiClient::connectToInstance();
    if (!api)
        return fail(api.error().toString());
    return options->follow ? follow(*api, *options) : list(*api, *options);
}

} // namespace portico::app
