#pragma once

#include "core/control/api/api_types.h"

#include <QObject>

#include <functional>
#include <vector>

namespace portico::control::api {

/// What a connection does with a deferred reply; implemented by ApiConnection.
class ApiReplySink
{
public:
    virtual ~ApiReplySink() = default;
    virtual void replyComplete(const ApiResponse &response) = 0;
    virtual void replyStreamHead(int status, const QByteArray &contentType,
        const QList<QPair<QByteArray, QByteArray>> &headers)
        = 0;
    /// False when the client fell too far behind (the connection is being dropped).
    virtual bool replyStreamData(const QByteArray &data) = 0;
    virtual void replyStreamEnd() = 0;
};

/// The answer to a request that its handler gives later (an asynchronous call such as a replay)
/// or piece by piece (a stream such as server-sent events). A handler makes one, returns
/// ApiResponse::later(reply) and keeps the shared pointer; the connection holds back later
/// requests on the same connection until the reply is done. Control thread only (the thread of
/// the API server); calls after the client went away are ignored.
class ApiReply final : public QObject
{
    Q_OBJECT
public:
    ApiReply();
    ~ApiReply() override;

    /// Answers with a complete response; only the first answer counts.
    void respond(const ApiResponse &response);
    /// Sends the head of a streamed response (chunked transfer coding, RFC 9112 §7.1).
    void startStream(int status, const QByteArray &contentType,
        const QList<QPair<QByteArray, QByteArray>> &headers = {});
    /// Sends a piece of the streamed body; false once the client has gone or fell behind.
    bool write(const QByteArray &data);
    /// Ends the streamed body (the last chunk); the connection goes on with the next request.
    void end();

    /// True until the reply completed or the client went away.
    bool isOpen() const { return !m_done && !m_clientGone; }
    bool clientGone() const { return m_clientGone; }

    /// For the connection: attaches its sink and sends what the handler already produced.
    void attach(ApiReplySink *sink);
    /// For the connection: the client closed the connection (emits disconnected()).
    void detach();

Q_SIGNALS:
    /// The client went away before the reply was done: stop producing.
    void disconnected();

private:
    ApiReplySink *m_sink = nullptr;
    std::vector<std::function<void(ApiReplySink &)>> m_pending; ///< before attach()
    bool m_streaming = false;
    bool m_done = false;
    bool m_clientGone = false;
};

} // namespace portico::control::api
