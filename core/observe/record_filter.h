#pragma once

#include "core/common/expected.h"
#include "core/observe/exchange_record.h"

#include <QString>

class QUrlQuery;

namespace portico::observe {

/// Which records a listing shows. The same filters everywhere: the API's query parameters, the
/// `portico requests` flags, the GUI's filter bar and the history's search.
struct RecordFilter
{
    QString host; ///< case-insensitive substring of the host
    QString path; ///< substring of the request target
    QString method; ///< exact, case-insensitive
    int statusMin = 0; ///< inclusive; `5xx` → 500..599, `404` → 404..404, `400-499`
    int statusMax = 999;
    QString router; ///< substring of the router's qualified name
    QString protocol; ///< `h1`, `h2`, `ws`, `sse`, `grpc`
    QString text; ///< case-insensitive substring of the URL, header values or captured bodies
    qint64 sinceUs = 0; ///< started at or after (UTC µs); 0 = no bound
    qint64 untilUs = 0; ///< started before; 0 = no bound

    bool isEmpty() const;
};

/// Reads `host`, `path`, `method`, `status`, `router`, `protocol`, `q`, `since`, `until` (ISO 8601
/// or UTC µs) from a query string; an invalid value is an error naming the parameter.
Expected<RecordFilter> parseRecordFilter(const QUrlQuery &query);
/// `5xx`, `404`, `400-499` → the inclusive range; an error for anything else.
Expected<std::pair<int, int>> parseStatusRange(const QString &text);
bool matches(const ExchangeRecord &record, const RecordFilter &filter);

} // namespace portico::observe
