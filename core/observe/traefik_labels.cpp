#include "core/observe/traefik_labels.h"

#include <QStringDecoder>

namespace portico::observe {

namespace {

bool containsIgnoreCase(const QByteArray &value, const char *needle)
{
    return value.toLower().contains(needle);
}

bool isGrpc(const QByteArray &protocol)
{
    return protocol == "grpc" || protocol == "grpc-web";
}

/// gRPC's status: the `Grpc-Status` of the response head (trailers-only responses carry it
/// there). Trailers are not part of the record, so a completed 200 without it counts as 0 (OK)
/// and anything else as 2 (Unknown), Traefik's value when the header is missing.
QByteArray grpcCode(const ExchangeRecord &record)
{
    const QByteArray status = record.responseHeaders.value("Grpc-Status");
    if (!status.isNull())
        return status.trimmed();
    const bool ok
        = record.status == 200 && record.state == RecordState::Complete && record.error.isEmpty();
    return ok ? QByteArrayLiteral("0") : QByteArrayLiteral("2");
}

} // namespace

QByteArray methodLabel(const QByteArray &method)
{
    static const QByteArray known[]
        = { "HEAD", "GET", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "PRI" };
    for (const QByteArray &k : known) {
        if (method == k)
            return method;
    }
    QStringDecoder utf8(QStringDecoder::Utf8);
    (void)QString(utf8(method));
    return utf8.hasError() ? QByteArrayLiteral("NON_UTF8_HTTP_METHOD")
                           : QByteArrayLiteral("EXTENSION_METHOD");
}

QByteArray protocolLabel(const ExchangeRecord &record)
{
    const HeaderList &h = record.requestHeaders;
    if (h.hasToken("Connection", "upgrade")
        && containsIgnoreCase(h.combined("Upgrade"), "websocket"))
        return QByteArrayLiteral("websocket");
    if (containsIgnoreCase(h.combined("Accept"), "text/event-stream"))
        return QByteArrayLiteral("sse");
    const QByteArray contentType = h.value("Content-Type").toLower();
    if (contentType.startsWith("application/grpc-web"))
        return QByteArrayLiteral("grpc-web");
    if (contentType.startsWith("application/grpc"))
        return QByteArrayLiteral("grpc");
    switch (record.protocol) {
    case Protocol::WebSocket:
        return QByteArrayLiteral("websocket");
    case Protocol::Sse:
        return QByteArrayLiteral("sse");
    case Protocol::Grpc:
        return QByteArrayLiteral("grpc");
    case Protocol::Http1:
    case Protocol::Http2:
        break;
    }
    return QByteArrayLiteral("http");
}

RequestLabels requestLabels(const ExchangeRecord &record)
{
    RequestLabels labels;
    labels.method = methodLabel(record.method);
    labels.protocol = protocolLabel(record);
    if (isGrpc(labels.protocol))
        labels.code = grpcCode(record);
    else if (record.status > 0)
        labels.code = QByteArray::number(record.status);
    else // the client went away before any answer: Traefik logs and counts 499
        labels.code = record.state == RecordState::Aborted ? QByteArrayLiteral("499")
                                                           : QByteArrayLiteral("0");
    return labels;
}

} // namespace portico::observe
