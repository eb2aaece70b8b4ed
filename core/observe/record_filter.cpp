#include "core/observe/record_filter.h"

#include <QDateTime>
#include <QUrlQuery>

namespace portico::observe {

namespace {

Error parameterError(const QString &name, const QString &value, const QString &problem)
{
    Error error;
    error.message = QStringLiteral("query parameter \"%1\": %2 \"%3\"").arg(name, problem, value);
    return error;
}

/// `since`/`until`: UTC microseconds since the epoch, or an ISO 8601 date-time (UTC if no zone).
Expected<qint64> parseInstant(const QString &name, const QString &text)
{
    bool isNumber = false;
    const qint64 micros = text.toLongLong(&isNumber);
    if (isNumber && micros >= 0)
        return micros;
    QDateTime when = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!when.isValid())
        when = QDateTime::fromString(text, Qt::ISODate);
    if (!when.isValid())
        return parameterError(name, text, QStringLiteral("not a time (ISO 8601 or UTC µs)"));
    if (when.timeSpec() == Qt::LocalTime)
        when.setTimeSpec(Qt::UTC);
    return when.toMSecsSinceEpoch() * 1000;
}

bool containsText(const QByteArray &haystack, const QByteArray &needleLower)
{
    return haystack.toLower().contains(needleLower);
}

bool headersContain(const HeaderList &headers, const QByteArray &needleLower)
{
    for (const auto &field : headers) {
        if (containsText(field.value, needleLower))
            return true;
    }
    return false;
}

/// The free-text search: URL, header values and captured bodies, case-insensitive.
bool matchesText(const ExchangeRecord &record, const QString &text)
{
    const QByteArray needle = text.toUtf8().toLower();
    return containsText(record.host, needle) || containsText(record.target, needle)
        || headersContain(record.requestHeaders, needle)
        || headersContain(record.responseHeaders, needle)
        || containsText(record.requestBody.data, needle)
        || containsText(record.responseBody.data, needle);
}

bool isKnownProtocol(const QString &name)
{
    static const QStringList known { QStringLiteral("h1"), QStringLiteral("h2"),
        QStringLiteral("ws"), QStringLiteral("sse"), QStringLiteral("grpc") };
    return known.contains(name);
}

} // namespace

bool RecordFilter::isEmpty() const
{
    return host.isEmpty() && path.isEmpty() && method.isEmpty() && statusMin <= 0
        && statusMax >= 999 && router.isEmpty() && protocol.isEmpty() && text.isEmpty()
        && sinceUs == 0 && untilUs == 0;
}

Expected<std::pair<int, int>> parseStatusRange(const QString &text)
{
    const QString trimmed = text.trimmed().toLower();
    bool ok = false;
    // `5xx`: a whole class (RFC 9110 §15: the first digit defines the class).
    if (trimmed.size() == 3 && trimmed.endsWith(QLatin1String("xx"))) {
        const int digit = trimmed.left(1).toInt(&ok);
        if (ok && digit >= 1 && digit <= 9)
            return std::pair { digit * 100, digit * 100 + 99 };
    }
    const int dash = trimmed.indexOf(QLatin1Char('-'));
    if (dash > 0) {
        bool okHigh = false;
        const int low = trimmed.left(dash).toInt(&ok);
        const int high = trimmed.mid(dash + 1).toInt(&okHigh);
        if (ok && okHigh && low >= 0 && high <= 999 && low <= high)
            return std::pair { low, high };
    } else {
        const int code = trimmed.toInt(&ok);
        if (ok && code >= 0 && code <= 999)
            return std::pair { code, code };
    }
    Error error;
    error.message = QStringLiteral("invalid status filter \"%1\"").arg(text);
    error.hint = QStringLiteral("use a code (404), a class (5xx) or a range (400-499)");
    return error;
}

Expected<RecordFilter> parseRecordFilter(const QUrlQuery &query)
{
    RecordFilter filter;
    const auto item = [&](const char *name) {
        return query.queryItemValue(QLatin1String(name), QUrl::FullyDecoded);
    };
    filter.host = item("host");
    filter.path = item("path");
    filter.method = item("method");
    filter.router = item("router");
    filter.protocol = item("protocol").toLower();
    filter.text = item("q");
    if (!filter.protocol.isEmpty() && !isKnownProtocol(filter.protocol))
        return parameterError(QStringLiteral("protocol"), filter.protocol,
            QStringLiteral("unknown protocol (h1, h2, ws, sse, grpc)"));
    if (const QString status = item("status"); !status.isEmpty()) {
        auto range = parseStatusRange(status);
        if (!range)
            return parameterError(
                QStringLiteral("status"), status, QStringLiteral("not a code, class or range"));
        filter.statusMin = range->first;
        filter.statusMax = range->second;
    }
    if (const QString since = item("since"); !since.isEmpty()) {
        auto instant = parseInstant(QStringLiteral("since"), since);
        if (!instant)
            return instant.error();
        filter.sinceUs = *instant;
    }
    if (const QString until = item("until"); !until.isEmpty()) {
        auto instant = parseInstant(QStringLiteral("until"), until);
        if (!instant)
            return instant.error();
        filter.untilUs = *instant;
    }
    return filter;
}

bool matches(const ExchangeRecord &record, const RecordFilter &filter)
{
    if (!filter.host.isEmpty()
        && !QString::fromUtf8(record.host).contains(filter.host, Qt::CaseInsensitive))
        return false;
    if (!filter.path.isEmpty() && !QString::fromUtf8(record.target).contains(filter.path))
        return false;
    if (!filter.method.isEmpty()
        && QString::fromLatin1(record.method).compare(filter.method, Qt::CaseInsensitive) != 0)
        return false;
    // An exchange still waiting for its response has no status yet: a status filter skips it.
    if ((filter.statusMin > 0 || filter.statusMax < 999)
        && (record.status < filter.statusMin || record.status > filter.statusMax))
        return false;
    if (!filter.router.isEmpty() && !record.router.contains(filter.router, Qt::CaseInsensitive))
        return false;
    if (!filter.protocol.isEmpty() && protocolName(record.protocol) != filter.protocol)
        return false;
    if (filter.sinceUs > 0 && record.startedUs < filter.sinceUs)
        return false;
    if (filter.untilUs > 0 && record.startedUs >= filter.untilUs)
        return false;
    return filter.text.isEmpty() || matchesText(record, filter.text);
}

} // namespace portico::observe
