#pragma once

#include "core/observe/exchange_record.h"

#include <QByteArray>

namespace portico::observe {

/// The `code`, `method` and `protocol` label values Traefik gives a request
/// (docs/traefik-interfaces.md §3.3).
struct RequestLabels
{
    QByteArray code; ///< HTTP status; for gRPC the `Grpc-Status` number
    QByteArray method; ///< a known method, else `EXTENSION_METHOD` / `NON_UTF8_HTTP_METHOD`
    QByteArray protocol; ///< `websocket`, `sse`, `grpc-web`, `grpc` or `http`
};

/// The labels of one finished exchange.
RequestLabels requestLabels(const ExchangeRecord &record);

/// Traefik's method label: the nine standard methods and PRI as sent, anything else
/// `EXTENSION_METHOD` (`NON_UTF8_HTTP_METHOD` when it is not valid UTF-8).
QByteArray methodLabel(const QByteArray &method);

/// Traefik's protocol label from the request headers, checked in Traefik's order; the
/// record's own protocol breaks ties the headers cannot (HTTP/2 WebSockets have no Upgrade).
QByteArray protocolLabel(const ExchangeRecord &record);

} // namespace portico::observe
