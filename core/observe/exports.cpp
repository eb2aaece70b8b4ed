#include "core/observe/exports.h"

#include "core/observe/export_helpers.h"

#include <QJsonArray>

namespace portico::observe {

namespace {

QString stateName(RecordState state)
{
    switch (state) {
    case RecordState::InProgress:
        return QStringLiteral("inProgress");
    case RecordState::Complete:
        return QStringLiteral("complete");
    case RecordState::Aborted:
        return QStringLiteral("aborted");
    }
    return {};
}

QJsonArray headersJson(const HeaderList &headers, const ExportOptions &options)
{
    QJsonArray out;
    for (const auto &field : headers) {
        out.append(QJsonObject {
            { QStringLiteral("name"), QString::fromLatin1(field.name) },
            { QStringLiteral("value"), exportedHeaderValue(field, options) },
        });
    }
    return out;
}

/// `{size, truncated, evicted}` plus `data`/`encoding` when bodies are wanted.
QJsonObject bodyJson(const CapturedBody &body, const ExportOptions &options)
{
    QJsonObject out {
        { QStringLiteral("size"), body.size },
        { QStringLiteral("captured"), body.data.size() },
        { QStringLiteral("truncated"), body.truncated },
        { QStringLiteral("evicted"), body.evicted },
    };
    if (options.bodies) {
        const auto [text, encoding] = textOrBase64(body.data);
        out.insert(QStringLiteral("data"), text);
        out.insert(QStringLiteral("encoding"), encoding);
    }
    return out;
}

QJsonValue micros(qint64 value)
{
    return value < 0 ? QJsonValue() : QJsonValue(value);
}

QJsonObject timingJson(const Timing &timing)
{
    return QJsonObject {
        { QStringLiteral("clientTlsUs"), micros(timing.clientTls) },
        { QStringLiteral("routingUs"), micros(timing.routing) },
        { QStringLiteral("upstreamConnectUs"), micros(timing.upstreamConnect) },
        { QStringLiteral("timeToFirstByteUs"), micros(timing.timeToFirstByte) },
        { QStringLiteral("totalUs"), micros(timing.total) },
    };
}

QJsonArray messagesJson(const ExchangeRecord &record, const ExportOptions &options)
{
    QJsonArray out;
    for (const auto &message : record.messages) {
        QJsonObject item {
            { QStringLiteral("toClient"), message.toClient },
            { QStringLiteral("atUs"), message.atUs },
            { QStringLiteral("opcode"), message.opcode },
            { QStringLiteral("size"), message.data.size() },
            { QStringLiteral("truncated"), message.truncated },
        };
        if (options.bodies) {
            const auto [text, encoding] = textOrBase64(message.data);
            item.insert(QStringLiteral("data"), text);
            item.insert(QStringLiteral("encoding"), encoding);
        }
        out.append(item);
    }
    return out;
}

QJsonObject requestJson(const ExchangeRecord &record, const ExportOptions &options)
{
    return QJsonObject {
        { QStringLiteral("method"), QString::fromLatin1(record.method) },
        { QStringLiteral("scheme"), QString::fromLatin1(record.scheme) },
        { QStringLiteral("host"), QString::fromUtf8(record.host) },
        { QStringLiteral("target"), QString::fromUtf8(record.target) },
        { QStringLiteral("url"), recordUrl(record) },
        { QStringLiteral("httpVersion"), QString::fromLatin1(record.httpVersion) },
        { QStringLiteral("headers"), headersJson(record.requestHeaders, options) },
        { QStringLiteral("forwardedTarget"), QString::fromUtf8(record.forwardedTarget) },
        { QStringLiteral("forwardedHeaders"),
            headersJson(record.forwardedRequestHeaders, options) },
        { QStringLiteral("body"), bodyJson(record.requestBody, options) },
    };
}

QJsonObject responseJson(const ExchangeRecord &record, const ExportOptions &options)
{
    return QJsonObject {
        { QStringLiteral("status"), record.status },
        { QStringLiteral("originStatus"), record.originStatus },
        { QStringLiteral("headers"), headersJson(record.responseHeaders, options) },
        { QStringLiteral("originHeaders"), headersJson(record.originResponseHeaders, options) },
        { QStringLiteral("body"), bodyJson(record.responseBody, options) },
    };
}

} // namespace

QJsonObject toJson(const ExchangeRecord &record, const ExportOptions &options)
{
    QJsonObject out {
        { QStringLiteral("id"), qint64(record.id) },
        { QStringLiteral("startedAt"), isoTime(record.startedUs) },
        { QStringLiteral("startedUs"), record.startedUs },
        { QStringLiteral("state"), stateName(record.state) },
        { QStringLiteral("protocol"), protocolName(record.protocol) },
        { QStringLiteral("entryPoint"), record.entryPoint },
        { QStringLiteral("clientAddress"), record.clientAddress },
        { QStringLiteral("clientPort"), record.clientPort },
        { QStringLiteral("tls"), record.tls },
        { QStringLiteral("tlsVersion"), QString::fromLatin1(record.tlsVersion) },
        { QStringLiteral("tlsCipher"), QString::fromLatin1(record.tlsCipher) },
        { QStringLiteral("router"), record.router },
        { QStringLiteral("service"), record.service },
        { QStringLiteral("middlewares"), QJsonArray::fromStringList(record.middlewares) },
        { QStringLiteral("serverUrl"), record.serverUrl },
        { QStringLiteral("retryAttempts"), record.retryAttempts },
        { QStringLiteral("request"), requestJson(record, options) },
        { QStringLiteral("response"), responseJson(record, options) },
        { QStringLiteral("timing"), timingJson(record.timing) },
        { QStringLiteral("originDurationUs"), micros(record.originDurationUs) },
        { QStringLiteral("messagesTruncated"), record.messagesTruncated },
        { QStringLiteral("messageCount"), qint64(record.messages.size()) },
        { QStringLiteral("error"), record.error },
    };
    if (options.bodies)
        out.insert(QStringLiteral("messages"), messagesJson(record, options));
    return out;
}

} // namespace portico::observe
