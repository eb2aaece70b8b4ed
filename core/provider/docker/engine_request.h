#pragma once

#include "core/common/expected.h"
#include "core/provider/docker/engine_endpoint.h"

#include <QByteArray>
#include <QObject>

#include <chrono>
#include <functional>
#include <memory>

class QIODevice;
class QTimer;

namespace portico::http {
class H1Parser;
}

namespace portico::provider::docker {

/// A complete answer of the Engine API.
struct EngineResponse
{
    int status = 0;
    QByteArray body;
};

/// One `GET` to the Docker Engine API on its own connection (`Connection: close`), over a
/// Unix socket / named pipe or TCP; the response (chunked or not) is read with core/http's
/// parser. Streaming requests (`/events`) hand each body piece to `onData` as it arrives. The
/// object calls `done` exactly once (success, HTTP error, connection failure or timeout) and
/// then deletes itself later.
class EngineRequest : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(Expected<EngineResponse>)>;
    using Data = std::function<void(QByteArrayView)>;

    EngineRequest(const EngineEndpoint &endpoint, QByteArray target, QObject *parent = nullptr);
    ~EngineRequest() override;

    /// Streams the body to `data` instead of collecting it (the response's body stays empty).
    void setDataHandler(Data data) { m_data = std::move(data); }
    /// Fails the request when it has not completed within `timeout` (0 = never).
    void setTimeout(std::chrono::milliseconds timeout);
    /// Connects and sends the request.
    void start(Done done);
    /// Stops without calling `done` (the owner lost interest).
    void abort();

private:
    void onConnected();
    void onReadyRead();
    void onClosed();
    void finish(Expected<EngineResponse> result);
    Error failure(const QString &why) const;

    EngineEndpoint m_endpoint;
    QByteArray m_target;
    QIODevice *m_socket = nullptr;
    std::unique_ptr<http::H1Parser> m_parser;
    QTimer *m_timer = nullptr;
    Done m_done;
    Data m_data;
    EngineResponse m_response;
    bool m_finished = false;
};

/// One `GET` whose 2xx JSON body is returned; other statuses become errors quoting the engine's
/// `message`.
void engineGet(const EngineEndpoint &endpoint, const QByteArray &target, QObject *context,
    std::chrono::milliseconds timeout, std::function<void(Expected<QByteArray>)> done);

} // namespace portico::provider::docker
