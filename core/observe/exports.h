#pragma once

#include "core/observe/exchange_record.h"

#include <QJsonObject>
#include <QString>

namespace portico::observe {

/// How records leave Portico.
struct ExportOptions
{
    /// `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie` values become
    /// `[redacted]` unless the user asked for them.
    bool redact = true;
    bool bodies = true; ///< include captured bodies (the API's list view leaves them out)
};

/// The control API's JSON for one record (`/api/portico/requests/{id}`); bodies as base64 when
/// they are not UTF-8 text.
QJsonObject toJson(const ExchangeRecord &record, const ExportOptions &options);
/// A HAR 1.2 document (`{"log": {...}}`) of the records, oldest first.
QJsonObject toHar(const RecordBatch &records, const ExportOptions &options);
/// A shell command line that sends the request again with curl (as received by Portico).
QString toCurl(const ExchangeRecord &record, const ExportOptions &options);

} // namespace portico::observe
