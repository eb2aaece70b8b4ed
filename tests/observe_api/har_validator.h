#pragma once

#include <QJsonObject>
#include <QStringList>

namespace portico::testkit {

/// Checks a document against the HAR 1.2 spec (http://www.softwareishard.com/blog/har-12-spec/)
/// and what Chromium DevTools' importer reads: every required field present with its type,
/// timings -1 or non-negative, `time` the sum of the timings. Returns the problems found, each
/// naming the JSON path (`log.entries[0].request.cookies`); empty when the document is valid.
QStringList validateHar(const QJsonObject &document);

} // namespace portico::testkit
