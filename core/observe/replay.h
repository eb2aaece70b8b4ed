#pragma once

#include "core/common/expected.h"
#include "core/observe/exchange_record.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

class QTcpSocket;

namespace portico::observe {

/// A request to send again: built from a record as received, with the user's edits applied.
struct ReplayRequest
{
    QByteArray method;
    QByteArray scheme; ///< `http` or `https` (TLS to the entry point, SNI = the host)
    QByteArray authority; ///< `shop.localhost:8443`: the Host header and the TLS name
    QByteArray target; ///< origin-form request-target
    HeaderList headers; ///< without Host, Content-Length and hop-by-hop fields
    QByteArray body;
};

/// The answer to a replayed request, as Portico's entry point sent it.
struct ReplayResponse
{
    int status = 0;
    QByteArray httpVersion;
    HeaderList headers;
    QByteArray body; ///< at most Replay::kMaxBodyBytes
    bool truncated = false; ///< the body was longer than that
    quint16 localPort = 0; ///< the client port the request went out from (finds its record)
    qint64 startedUs = 0; ///< UTC µs when the connection was opened
};

/// The record's request with `edits` applied: `method`, `url` (absolute, or a path), `headers`
/// (an object: a string sets the header, null removes it; or an array of {name, value} that
/// replaces them all), `body` (text, or base64 with `"bodyEncoding": "base64"`). A request whose
/// captured body was cut at the capture cap cannot be sent as it was: that is an error unless
/// `body` replaces it.
Expected<ReplayRequest> replayRequest(const ExchangeRecord &record, const QJsonObject &edits);

/// The HTTP/1.1 bytes of `request` (Host first, Content-Length when there is a body or the
/// method expects one, `Connection: close`).
QByteArray serializeReplay(const ReplayRequest &request);

/// Sends one replay request to an entry point's address (so Portico routes and captures it like
/// any other request) and reads the whole response. One-shot; the owner deletes it (deleteLater,
/// never inside `done`). Lives on the thread that calls start().
class Replay final : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Expected<ReplayResponse>)>;
    static constexpr qint64 kMaxBodyBytes = 16 << 20;
    static constexpr int kTimeoutMs = 30000;

    Replay(ReplayRequest request, QHostAddress address, quint16 port, QObject *parent = nullptr);
    ~Replay() override;

    /// Connects (TLS for https, certificate not verified: the peer is Portico itself on
    /// loopback), sends, and calls `done` exactly once with the response or the failure.
    void start(Done done);

private:
    class Exchange;
    /// Parses what arrived; `closed`: the entry point closed the connection.
    void consume(bool closed);
    void finish(Expected<ReplayResponse> result);

    ReplayRequest m_request;
    QHostAddress m_address;
    quint16 m_port;
    std::unique_ptr<Exchange> m_exchange;
    Done m_done;
};

} // namespace portico::observe
