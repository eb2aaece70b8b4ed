#pragma once

// Shared between the inspector's endpoint files (requests_endpoints.cpp, requests_stream.cpp).

#include "core/control/api/requests_endpoints.h"
#include "core/observe/exports.h"

namespace portico::control::api {

/// A record named by the route's `{id}`, or the answer saying why there is none (400, 404).
struct RecordLookup
{
    observe::RecordPtr record;
    ApiResponse failure;
};
RecordLookup recordFromPath(const RequestsContext &context, const ApiRequest &request);

/// Records matching `filter`, newest first: the ring, then the history below the ring's oldest.
observe::RecordBatch findRecords(
    const RequestsContext &context, const observe::RecordFilter &filter, quint64 before, int limit);

/// `redact=0` (or `false`) keeps secrets; bodies included.
observe::ExportOptions exportOptions(const ApiRequest &request);

/// GET /api/portico/requests/stream: server-sent events of matching records.
ApiResponse streamRequests(const RequestsContext &context, const ApiRequest &request);
/// POST /api/portico/requests/{id}/replay.
ApiResponse replayHandler(const RequestsContext &context, const ApiRequest &request);

} // namespace portico::control::api
