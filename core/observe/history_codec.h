#pragma once

#include "core/observe/exchange_record.h"

#include <QByteArray>
#include <QString>

namespace portico::observe::history {

/// The record without its body data and messages (those have their own columns), as a compact
/// versioned QDataStream blob.
QByteArray encodeRecordMeta(const ExchangeRecord &record);
/// Fills `record` from encodeRecordMeta()'s output; false when the blob is damaged or newer.
bool decodeRecordMeta(const QByteArray &blob, ExchangeRecord &record);
/// WebSocket messages / SSE events as a blob (empty for none).
QByteArray encodeMessages(const std::vector<MessageRecord> &messages);
bool decodeMessages(const QByteArray &blob, std::vector<MessageRecord> &messages);
/// The request and response header values, one a line: what the free-text search looks into.
QString searchableHeaders(const ExchangeRecord &record);

} // namespace portico::observe::history
