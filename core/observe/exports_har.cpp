// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), as Chromium DevTools imports it:
// every required field present, -1 for timings that do not apply, `_portico` for extensions.
#include "core/http/message.h"
#include "core/observe/body_decoding.h"
#include "core/observe/export_helpers.h"
#include "core/observe/exports.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QUrl>
#include <QUrlQuery>

namespace portico::observe {

namespace {

QJsonArray harHeaders(const HeaderList &headers, const ExportOptions &options)
{
    QJsonArray out;
    for (const auto &field : headers) {
        out.append(QJsonObject { { QStringLiteral("name"), QString::fromLatin1(field.name) },
            { QStringLiteral("value"), exportedHeaderValue(field, options) } });
    }
    return out;
}

QString cookieValue(const QByteArray &value, const ExportOptions &options)
{
    return options.redact ? QStringLiteral("[redacted]") : QString::fromUtf8(value);
}

/// `Cookie: a=1; b=2` (RFC 6265 §4.2) → [{name, value}].
QJsonArray requestCookies(const HeaderList &headers, const ExportOptions &options)
{
    QJsonArray out;
    for (const QByteArray &line : headers.values("cookie")) {
        for (const QByteArray &pair : line.split(';')) {
            const QByteArray trimmed = pair.trimmed();
            const qsizetype eq = trimmed.indexOf('=');
            if (trimmed.isEmpty() || eq <= 0)
                continue;
            out.append(
                QJsonObject { { QStringLiteral("name"), QString::fromUtf8(trimmed.left(eq)) },
                    { QStringLiteral("value"), cookieValue(trimmed.mid(eq + 1), options) } });
        }
    }
    return out;
}

/// `Set-Cookie: a=1; Path=/; HttpOnly` (RFC 6265 §4.1) → {name, value, path, domain, ...}.
QJsonArray responseCookies(const HeaderList &headers, const ExportOptions &options)
{
    QJsonArray out;
    for (const QByteArray &line : headers.values("set-cookie")) {
        const QList<QByteArray> parts = line.split(';');
        const QByteArray first = parts.value(0).trimmed();
        const qsizetype eq = first.indexOf('=');
        if (eq <= 0)
            continue;
        QJsonObject cookie { { QStringLiteral("name"), QString::fromUtf8(first.left(eq)) },
            { QStringLiteral("value"), cookieValue(first.mid(eq + 1), options) } };
        for (qsizetype i = 1; i < parts.size(); ++i) {
            const QByteArray attribute = parts.at(i).trimmed();
            const qsizetype split = attribute.indexOf('=');
            const QByteArray key
                = (split < 0 ? attribute : attribute.left(split)).trimmed().toLower();
            const QString value
                = split < 0 ? QString() : QString::fromUtf8(attribute.mid(split + 1).trimmed());
            if (key == "path" || key == "domain" || key == "expires")
                cookie.insert(QString::fromLatin1(key), value);
            else if (key == "httponly")
                cookie.insert(QStringLiteral("httpOnly"), true);
            else if (key == "secure")
                cookie.insert(QStringLiteral("secure"), true);
        }
        out.append(cookie);
    }
    return out;
}

QJsonArray queryString(const ExchangeRecord &record)
{
    QJsonArray out;
    const QUrl url(recordUrl(record));
    const QUrlQuery query(url);
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        out.append(
            QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("value"), value } });
    }
    return out;
}

QString mimeTypeOf(const HeaderList &headers, const QString &fallback)
{
    const QByteArray type = headers.value("content-type");
    return type.isEmpty() ? fallback : QString::fromLatin1(type);
}

/// HAR's content: the body decoded (content.text is what the page saw), size after decoding,
/// `compression` the bytes saved; base64 when it is not text.
QJsonObject harContent(const ExchangeRecord &record)
{
    const CapturedBody &body = record.responseBody;
    QByteArray data = body.data;
    qint64 size = body.size;
    const QByteArray coding = record.responseHeaders.value("content-encoding").trimmed();
    if (!coding.isEmpty() && coding.toLower() != "identity" && !body.truncated) {
        if (auto decoded = decodeBody(body.data, record.responseHeaders); decoded) {
            data = std::move(decoded.value());
            size = data.size();
        }
    }
    QJsonObject content { { QStringLiteral("size"), size },
        { QStringLiteral("mimeType"),
            mimeTypeOf(record.responseHeaders, QStringLiteral("x-unknown")) } };
    if (size > body.size)
        content.insert(QStringLiteral("compression"), size - body.size);
    if (!data.isEmpty()) {
        const auto [text, encoding] = textOrBase64(data);
        content.insert(QStringLiteral("text"), text);
        if (encoding == QLatin1String("base64"))
            content.insert(QStringLiteral("encoding"), encoding);
    }
    return content;
}

QJsonObject harRequest(const ExchangeRecord &record, const ExportOptions &options)
{
    QJsonObject request {
        { QStringLiteral("method"), QString::fromLatin1(record.method) },
        { QStringLiteral("url"), recordUrl(record) },
        { QStringLiteral("httpVersion"), QString::fromLatin1(record.httpVersion) },
        { QStringLiteral("cookies"), requestCookies(record.requestHeaders, options) },
        { QStringLiteral("headers"), harHeaders(record.requestHeaders, options) },
        { QStringLiteral("queryString"), queryString(record) },
        { QStringLiteral("headersSize"), -1 },
        { QStringLiteral("bodySize"), record.requestBody.size },
    };
    if (record.requestBody.size > 0 || !record.requestBody.data.isEmpty()) {
        QJsonObject postData { { QStringLiteral("mimeType"),
                                   mimeTypeOf(record.requestHeaders, QString()) },
            { QStringLiteral("params"), QJsonArray() } };
        if (options.bodies) {
            const auto [text, encoding] = textOrBase64(record.requestBody.data);
            postData.insert(QStringLiteral("text"), text);
            if (encoding == QLatin1String("base64")) // an extension Chromium and Firefox read
                postData.insert(QStringLiteral("encoding"), encoding);
        } else {
            postData.insert(QStringLiteral("text"), QString());
        }
        request.insert(QStringLiteral("postData"), postData);
    }
    return request;
}

QJsonObject harResponse(const ExchangeRecord &record, const ExportOptions &options)
{
    QJsonObject content = harContent(record);
    if (!options.bodies)
        content.remove(QStringLiteral("text"));
    return QJsonObject {
        { QStringLiteral("status"), record.status },
        { QStringLiteral("statusText"), QString::fromLatin1(http::reasonPhrase(record.status)) },
        { QStringLiteral("httpVersion"), QString::fromLatin1(record.httpVersion) },
        { QStringLiteral("cookies"), responseCookies(record.responseHeaders, options) },
        { QStringLiteral("headers"), harHeaders(record.responseHeaders, options) },
        { QStringLiteral("content"), content },
        { QStringLiteral("redirectURL"),
            QString::fromUtf8(record.responseHeaders.value("location")) },
        { QStringLiteral("headersSize"), -1 },
        { QStringLiteral("bodySize"), record.responseBody.size },
    };
}

double ms(qint64 micros)
{
    return double(micros) / 1000.0;
}

/// HAR timings in ms: blocked = routing (rules, middlewares), connect = the upstream connect,
/// wait = the rest until the first response byte, receive = the response body. `time` is their
/// sum (HAR 1.2: "sum of all timings available in the timings object", -1 ones excluded).
std::pair<QJsonObject, double> harTimings(const Timing &timing)
{
    const double blocked = timing.routing >= 0 ? ms(timing.routing) : -1;
    const double connect = timing.upstreamConnect >= 0 ? ms(timing.upstreamConnect) : -1;
    double wait = 0;
    if (timing.timeToFirstByte >= 0)
        wait = std::max(
            0.0, ms(timing.timeToFirstByte) - std::max(0.0, blocked) - std::max(0.0, connect));
    double receive = 0;
    if (timing.total >= 0 && timing.timeToFirstByte >= 0)
        receive = std::max(0.0, ms(timing.total - timing.timeToFirstByte));
    else if (timing.total >= 0)
        wait = std::max(0.0, ms(timing.total) - std::max(0.0, blocked));
    const QJsonObject timings { { QStringLiteral("blocked"), blocked },
        { QStringLiteral("dns"), -1 }, { QStringLiteral("connect"), connect },
        { QStringLiteral("send"), 0 }, { QStringLiteral("wait"), wait },
        { QStringLiteral("receive"), receive }, { QStringLiteral("ssl"), -1 } };
    return { timings, std::max(0.0, blocked) + std::max(0.0, connect) + wait + receive };
}

QString serverAddress(const QString &serverUrl)
{
    // HAR wants an IP address: a host name (`localhost`) is left out rather than misreported.
    const QString host = QUrl(serverUrl).host();
    const bool numeric = !host.isEmpty()
        && (host.contains(QLatin1Char(':')) || std::all_of(host.begin(), host.end(), [](QChar c) {
               return c.isDigit() || c == QLatin1Char('.');
           }));
    return numeric ? host : QString();
}

QJsonObject harEntry(const ExchangeRecord &record, const ExportOptions &options)
{
    const auto [timings, time] = harTimings(record.timing);
    QJsonObject entry {
        { QStringLiteral("startedDateTime"), isoTime(record.startedUs) },
        { QStringLiteral("time"), time },
        { QStringLiteral("request"), harRequest(record, options) },
        { QStringLiteral("response"), harResponse(record, options) },
        { QStringLiteral("cache"), QJsonObject() },
        { QStringLiteral("timings"), timings },
        { QStringLiteral("_portico"),
            QJsonObject { { QStringLiteral("id"), qint64(record.id) },
                { QStringLiteral("entryPoint"), record.entryPoint },
                { QStringLiteral("router"), record.router },
                { QStringLiteral("service"), record.service },
                { QStringLiteral("middlewares"), QJsonArray::fromStringList(record.middlewares) },
                { QStringLiteral("serverUrl"), record.serverUrl },
                { QStringLiteral("protocol"), protocolName(record.protocol) },
                { QStringLiteral("error"), record.error } } },
    };
    if (const QString server = serverAddress(record.serverUrl); !server.isEmpty())
        entry.insert(QStringLiteral("serverIPAddress"), server);
    if (record.clientPort != 0)
        entry.insert(QStringLiteral("connection"), QString::number(record.clientPort));
    return entry;
}

} // namespace

QJsonObject toHar(const RecordBatch &records, const ExportOptions &options)
{
    RecordBatch sorted = records;
    std::sort(sorted.begin(), sorted.end(),
        [](const RecordPtr &a, const RecordPtr &b) { return a->id < b->id; });
    QJsonArray entries;
    for (const RecordPtr &record : sorted)
        entries.append(harEntry(*record, options));
    const QString version = QCoreApplication::applicationVersion();
    const QJsonObject creator { { QStringLiteral("name"), QStringLiteral("Portico") },
        { QStringLiteral("version"), version.isEmpty() ? QStringLiteral("0") : version } };
    return QJsonObject { { QStringLiteral("log"),
        QJsonObject { { QStringLiteral("version"), QStringLiteral("1.2") },
            { QStringLiteral("creator"), creator }, { QStringLiteral("pages"), QJsonArray() },
            { QStringLiteral("entries"), entries } } } };
}

} // namespace portico::observe
