#pragma once

#include "core/config/static_spec.h"
#include "core/observe/exchange_record.h"

#include <QByteArray>

#include <map>

// Traefik's access-log data model: one map of named fields per exchange (core fields such as
// `DownstreamStatus` plus `request_`/`origin_`/`downstream_` headers), which the `common` and
// `json` formatters render. Internal to access_log*.cpp.
namespace portico::observe::accesslog {

/// A field's value and its JSON type (Traefik writes counts and durations as numbers).
struct Value
{
    enum class Kind { Text, Integer, Real };
    Kind kind = Kind::Text;
    QByteArray text;
    qint64 integer = 0;
    double real = 0;
};

/// Field name → value, sorted byte-wise as Go's map encoding sorts JSON keys.
using Fields = std::map<QByteArray, Value>;

/// The fields Traefik would log for `record`, after `fields.names` / `fields.headers` modes.
Fields collectFields(
    const ExchangeRecord &record, const config::AccessLogSpec &spec, quint64 requestCount);

/// Go's strconv.Quote: `"` and `\` escaped, control bytes as `\n`, `\x01`, …
QByteArray goQuote(const QByteArray &text);
/// A JSON string as Go's encoding/json writes it (HTML-safe: `<`, `>`, `&` as \u003c…).
QByteArray jsonString(const QByteArray &text);
/// RFC 3339 with nanoseconds, trailing zeros trimmed (Go's RFC3339Nano), UTC (`Z`) or local.
QByteArray rfc3339Nano(qint64 utcMicros, bool utc);
/// RFC 3339 in whole seconds, local zone (logrus' `time`).
QByteArray rfc3339Local(qint64 utcMicros);
/// `30/Jul/2026:10:11:12 +0000` (CLF), UTC or local.
QByteArray clfTime(qint64 utcMicros, bool utc);
/// Go's textproto.CanonicalMIMEHeaderKey: `x-real-ip` → `X-Real-Ip`.
QByteArray canonicalHeaderName(const QByteArray &name);

} // namespace portico::observe::accesslog
