#pragma once

#include "core/common/header_list.h"

#include <QByteArrayView>
#include <QHostAddress>

#include <vector>

namespace portico::rules {

/// What rule matchers look at, prepared once per request by the entry point (after its
/// forwarded-headers processing). Views point into the exchange and live as long as the match.
struct RequestFacts
{
    /// canonical host: lower-case, port and IPv6 brackets stripped, no trailing dot
    QByteArrayView host;
    QByteArrayView method; ///< request method exactly as received
    QByteArrayView path; ///< routing path (see http::routingPath), never empty
    QByteArrayView rawQuery; ///< query without `?`, still percent-encoded; empty when none
    const HeaderList *headers = nullptr; ///< request header fields as received
    QHostAddress clientIp; ///< TCP peer address (never X-Forwarded-For)
    /// TCP rules: the protocols the TLS ClientHello offers (RFC 7301), null when none
    const std::vector<QByteArray> *alpn = nullptr;
};

} // namespace portico::rules
