#pragma once

#include "core/common/expected.h"
#include "core/observe/record_filter.h"

#include <QString>

namespace portico::ui {

/// Reads the filter bar's text — `host:shop status:5xx method:POST some text` — into a
/// RecordFilter. Keys are the control API's query parameters (`host`, `path`, `method`,
/// `status`, `router`, `protocol`, `since`, `until`; `q` and bare words are the free text), so
/// the bar, the API and `portico requests` accept the same filters; observe::parseRecordFilter
/// does the checking. An unknown key is an error naming it.
Expected<observe::RecordFilter> parseFilterText(const QString &text);

/// The keys parseFilterText() accepts, for the filter bar's tooltip and completer.
QStringList filterKeys();

} // namespace portico::ui
