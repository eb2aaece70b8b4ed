#pragma once

#include "core/common/expected.h"
#include "core/control/api/api_types.h"
#include "core/observe/exchange_record.h"
#include "core/observe/record_filter.h"
#include "core/proxy/proxy_server.h"

#include <QHostAddress>

#include <functional>
#include <map>

namespace portico::observe {
class CaptureHub;
class HistoryStore;
} // namespace portico::observe

namespace portico::control::api {

/// Where the inspector's endpoints find records and send replays.
struct RequestsContext
{
    /// The live ring (CoreRuntime::captureHub()); null when capture is disabled. Must outlive
    /// the API server.
    observe::CaptureHub *hub = nullptr;
    /// The history (HistoryStore::search / record / clear), consulted for what the ring no
    /// longer holds; empty functions when there is no history.
    std::function<Expected<observe::RecordBatch>(const observe::RecordFilter &, quint64, int)>
        searchHistory;
    std::function<Expected<observe::RecordPtr>(quint64)> historyRecord;
    std::function<void()> clearHistory;
    /// The history, for its writer's counts in GET /api/portico/capture; null without history.
    observe::HistoryStore *history = nullptr;
    /// A loopback address and port of each bound entry point, by name: replays go there.
    std::map<QString, std::pair<QHostAddress, quint16>> entryPoints;
};

/// Registers the inspector's endpoints (Traefik-style JSON; errors `{"message"}`):
///   GET    /api/portico/requests              summaries, newest first; record_filter.h query
///                                             parameters, `before` (id) and `limit` (≤ 1000);
///                                             `X-Next-Page` is the `before` of the next page,
///                                             0 when this was the last
///   GET    /api/portico/requests/stream       server-sent events (`event: request`) of new and
///                                             updated records matching the filters
///   GET    /api/portico/requests/{id}         one record with bodies (`decoded=1` undoes
///                                             Content-Encoding)
///   GET    /api/portico/requests/{id}/curl    a curl command line (text/plain)
///   POST   /api/portico/requests/{id}/replay  sends it again through its entry point (edits in
///                                             the JSON body, replay.h); Mutating
///   DELETE /api/portico/requests              forgets every record; Mutating
///   GET    /api/portico/har                   HAR 1.2 of the filtered records
///   GET    /api/portico/capture               the capture settings (with history: the
///                                             writer's written, dropped and backlog counts)
///   PUT    /api/portico/capture               {paused, bodyCap, routers}; Mutating
/// Secrets (Authorization, Cookie, Set-Cookie) are redacted unless `redact=0`, which needs the
/// API token like a mutating call (401 with a JSON message saying how to send it otherwise).
void registerRequestsEndpoints(ApiRouter &router, RequestsContext context);

/// The context of a running core: its hub, its history (either may be null) and the addresses
/// its entry points are bound to (an unspecified address is reached on loopback).
RequestsContext requestsContext(observe::CaptureHub *hub, observe::HistoryStore *history,
    const std::vector<proxy::ProxyServer::BoundAddress> &bound);

} // namespace portico::control::api
