#pragma once

#include "core/common/header_list.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace portico::observe {

/// What an exchange turned out to carry, as the inspector and the metrics label it.
enum class Protocol { Http1, Http2, WebSocket, Sse, Grpc };

/// `h1`, `h2`, `ws`, `sse`, `grpc` — the spelling of the API, the CLI and the GUI.
QString protocolName(Protocol protocol);

/// Where an exchange stands; a record is published again (same id) when it moves on.
enum class RecordState {
    InProgress, ///< head forwarded, response (or tunnel) still running
    Complete, ///< response sent completely (a tunnel: both sides closed)
    Aborted, ///< the client went away or the upstream failed mid-response
};

/// A message body as captured: the first `cap` bytes as they crossed the wire (still encoded,
/// see body_decoding.h), and how many bytes there were in all.
struct CapturedBody
{
    QByteArray data;
    qint64 size = 0; ///< total bytes seen, captured or not
    bool truncated = false; ///< data holds fewer than size bytes (cap reached)
    bool evicted = false; ///< data dropped later to keep the capture budget
};

/// One WebSocket message or SSE event, in the order they crossed the proxy.
struct MessageRecord
{
    bool toClient = true; ///< false: client → server
    qint64 atUs = 0; ///< microseconds since the exchange started
    int opcode = 0; ///< WebSocket opcode (1 text, 2 binary, 8 close, 9 ping, 10 pong); 0 for SSE
    QByteArray data; ///< payload (unmasked) or the SSE event's text, up to the message cap
    bool truncated = false;
};

/// Durations in microseconds; -1 when a phase did not happen (a local answer has no upstream).
struct Timing
{
    qint64 clientTls = -1; ///< the client connection's TLS handshake (its first exchange only)
    qint64 routing = -1; ///< request head parsed → server chosen (rules and middlewares)
    qint64 upstreamConnect = -1; ///< TCP (and TLS) connect to the server; 0 on a reused connection
    qint64 timeToFirstByte = -1; ///< request head parsed → the final response head arrived
    qint64 total = -1; ///< request head parsed → response complete (or aborted)
};

/// One request/response exchange through the proxy: what came in, what the middlewares made of
/// it, where it went and what came back. Immutable once published (records are shared between
/// threads as RecordPtr); an update is a new record with the same id.
struct ExchangeRecord
{
    quint64 id = 0; ///< increasing over the process (and across restarts, via the history)
    qint64 startedUs = 0; ///< UTC microseconds since the epoch when the request head was parsed
    RecordState state = RecordState::InProgress;
    Protocol protocol = Protocol::Http1;
    Timing timing;

    // Where it came from and how it was routed.
    QString entryPoint;
    QString clientAddress; ///< peer address as text (`127.0.0.1`, `::1`)
    quint16 clientPort = 0;
    bool tls = false;
    QByteArray tlsVersion; ///< `1.3` (Traefik's TLSVersion), empty without TLS
    QByteArray tlsCipher; ///< OpenSSL cipher name, empty without TLS
    QString router; ///< qualified name; empty when no router matched (404)
    QString service;
    QStringList middlewares; ///< qualified names, in the order they ran
    QString serverUrl; ///< the load balancer's choice; empty for a local answer
    int retryAttempts = 0;
    QString clientUsername; ///< the user an auth middleware accepted (access log); empty = none

    // The request as received and as forwarded.
    QByteArray method;
    QByteArray scheme; ///< `http` / `https`
    QByteArray host; ///< canonical host (lower case, no port)
    QByteArray target; ///< request-target as received
    QByteArray httpVersion; ///< `HTTP/1.1`, `HTTP/2.0`
    HeaderList requestHeaders; ///< as received
    QByteArray forwardedTarget; ///< as sent to the server; empty when nothing was forwarded
    HeaderList forwardedRequestHeaders; ///< as sent to the server (after middlewares)
    CapturedBody requestBody;

    // The response as received from the server and as sent to the client.
    int originStatus = 0; ///< the server's status; 0 when it gave none
    HeaderList originResponseHeaders;
    int status = 0; ///< what the client got (a local answer: 404, 502, a middleware's redirect)
    HeaderList responseHeaders; ///< as sent to the client (after middlewares)
    CapturedBody responseBody;
    qint64 originDurationUs = -1; ///< request sent to the server → its response complete
    /// Body bytes the server sent (before middlewares such as compress); -1 = not known apart
    /// from responseBody.size (the access log then uses that).
    qint64 originContentSize = -1;

    std::vector<MessageRecord> messages; ///< WebSocket messages / SSE events, bounded
    bool messagesTruncated = false; ///< older messages beyond the bound were not kept
    QString error; ///< why it failed, lower case (`upstream connect refused`), empty if it did not

    /// Heap bytes this record holds (what the capture budget counts), as the allocator takes
    /// them: every block by capacity, with the allocator's own overhead (heap_cost.h); the
    /// forwarded request headers and the response as sent count only what they do not share
    /// with the lists they were copied from. Names shared with the routing table and the
    /// connection (entry point, client address, router, service, middlewares, server URL) are
    /// not counted.
    qint64 byteCost() const;
    /// The part of byteCost() that dropping the bodies and messages frees.
    qint64 bodyCost() const;
};

using RecordPtr = std::shared_ptr<const ExchangeRecord>;
using RecordBatch = std::vector<RecordPtr>;

} // namespace portico::observe
