#include "core/observe/exchange_record.h"

#include "core/observe/heap_cost.h"

namespace portico::observe {

namespace {

/// make_shared's block holds the reference counts (and a vtable pointer) before the record.
constexpr qint64 kSharedControl = 2 * qint64(sizeof(void *));

/// The list's vector and the blocks of its names and values; a field that still shares its
/// block with the same place of `copiedFrom` (the list this one was copied from) is counted
/// there. Matching by place, not by a set of blocks: no allocation, no sort per exchange.
qint64 headerBytes(const HeaderList &headers, const HeaderList *copiedFrom = nullptr)
{
    // HeaderList gives no const access to its vector's capacity; reading it changes nothing.
    qint64 bytes = heap::vectorBytes(const_cast<HeaderList &>(headers).fields());
    for (size_t i = 0; i < headers.size(); ++i) {
        const HeaderField &field = headers.at(i);
        const HeaderField *from
            = copiedFrom && i < copiedFrom->size() ? &copiedFrom->at(i) : nullptr;
        if (!from || !heap::sameBlock(field.name, from->name))
            bytes += heap::blockBytes(field.name);
        if (!from || !heap::sameBlock(field.value, from->value))
            bytes += heap::blockBytes(field.value);
    }
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
    qint64 bytes = heap::chunk(qint64(sizeof(ExchangeRecord)) + kSharedControl);
    for (const QByteArray *field : { &method, &scheme, &host, &target, &httpVersion, &tlsVersion,
             &tlsCipher, &forwardedTarget, &requestBody.data, &responseBody.data })
        bytes += heap::blockBytes(*field);
    bytes += headerBytes(requestHeaders) + headerBytes(forwardedRequestHeaders, &requestHeaders)
        + headerBytes(originResponseHeaders) + headerBytes(responseHeaders, &originResponseHeaders);
    bytes += heap::vectorBytes(messages);
    for (const MessageRecord &message : messages)
        bytes += heap::blockBytes(message.data);
    return bytes + heap::blockBytes(error) + heap::blockBytes(clientUsername);
}

qint64 ExchangeRecord::bodyCost() const
{
    qint64 bytes = heap::blockBytes(requestBody.data) + heap::blockBytes(responseBody.data)
        + heap::vectorBytes(messages);
    for (const MessageRecord &message : messages)
        bytes += heap::blockBytes(message.data);
    return bytes;
}

} // namespace portico::observe
