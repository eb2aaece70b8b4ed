#include "core/observe/exchange_record.h"

namespace portico::observe {

namespace {

qint64 headerCost(const HeaderList &headers)
{
    qint64 bytes = 0;
    for (const auto &field : headers)
        bytes += field.name.size() + field.value.size() + 2 * qint64(sizeof(QByteArray));
    return bytes;
}

} // namespace

QString protocolName(Protocol protocol)
{
    switch (protocol) {
    case Protocol::Http1:
        return QStringLiteral("h1");
    case Protocol::Http2:
        return QStringLiteral("h2");
    case Protocol::WebSocket:
        return QStringLiteral("ws");
    case Protocol::Sse:
        return QStringLiteral("sse");
    case Protocol::Grpc:
        return QStringLiteral("grpc");
    }
    return {};
}

qint64 ExchangeRecord::byteCost() const
{
    qint64 bytes = qint64(sizeof(ExchangeRecord)) + target.size() + forwardedTarget.size()
        + headerCost(requestHeaders) + headerCost(forwardedRequestHeaders)
        + headerCost(originResponseHeaders) + headerCost(responseHeaders) + requestBody.data.size()
        + responseBody.data.size();
    for (const auto &message : messages)
        bytes += qint64(sizeof(MessageRecord)) + message.data.size();
    return bytes;
}

} // namespace portico::observe
