#pragma once

#include <QByteArray>

typedef struct ssl_st SSL;

namespace portico::proxy {

/// A new OpenSSL client session for an https upstream: SNI `host` when `sni`, and with `verify`
/// the chain is checked against the system roots and the name against `host` (RFC 6125).
/// nullptr (with `error` set) when OpenSSL cannot create it.
SSL *newTlsClientSession(const QByteArray &host, bool sni, bool verify, QByteArray *error);

/// The last OpenSSL error of this thread as text (and clears the queue).
QByteArray takeTlsErrors();

} // namespace portico::proxy
