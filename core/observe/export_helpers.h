#pragma once

#include "core/observe/exchange_record.h"
#include "core/observe/exports.h"

#include <QString>

#include <utility>

namespace portico::observe {

/// True for the headers ExportOptions::redact hides: credentials and cookies.
bool isSecretHeader(QByteArrayView name);
/// The header's value as exported: `[redacted]` for a secret header when redacting.
QString exportedHeaderValue(const HeaderField &field, const ExportOptions &options);
/// `2024-01-02T03:04:05.678Z` for UTC microseconds since the epoch (HAR's startedDateTime).
QString isoTime(qint64 utcMicros);
/// The URL the client asked for: scheme, the authority it sent (Host or :authority, with its
/// port) and the request-target.
QString recordUrl(const ExchangeRecord &record);
/// The authority the client sent (`shop.localhost:8443`), or the record's host without a port.
QByteArray recordAuthority(const ExchangeRecord &record);
/// True when `data` is UTF-8 text without control characters other than tab, CR and LF.
bool isPrintableText(const QByteArray &data);
/// `{text, "text"}` for printable UTF-8, `{base64, "base64"}` otherwise.
std::pair<QString, QString> textOrBase64(const QByteArray &data);

} // namespace portico::observe
