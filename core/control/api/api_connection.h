#pragma once

#include "core/control/api/api_reply.h"
#include "core/http/h1_parser.h"

#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace portico::control::api {

class ApiServer;

/// One keep-alive HTTP/1.1 connection to the control API: parses requests with bounded head
/// (16 KiB) and body (1 MiB) sizes, answers them in order, and closes a connection whose request
/// takes longer than 15 s to arrive or that stays idle for 15 s. Deletes itself when closed.
/// A deferred answer (ApiResponse::later) holds back the next requests until it is done; a
/// streamed one (server-sent events) has no idle timeout while it runs.
class ApiConnection : public QObject, private ApiReplySink
{
    Q_OBJECT
public:
    ApiConnection(QTcpSocket *socket, const ApiServer &server, QObject *parent);
    ~ApiConnection() override;

    static constexpr qint64 kMaxBodyBytes = 1 << 20;
    static constexpr int kTimeoutMs = 15000;
    /// A streaming client this far behind is dropped rather than buffered without bound.
    static constexpr qint64 kMaxStreamBacklog = 8 << 20;

Q_SIGNALS:
    void closed();

private:
    void onReadyRead();
    /// Feeds the buffer to the parser; false when the connection must stop reading.
    bool process();
    void dispatch();
    void writeResponse(int status, const QByteArray &contentType, const QByteArray &body,
        const QList<QPair<QByteArray, QByteArray>> &headers);
    void fail(int status, const QByteArray &message);

    void beginDeferred(std::shared_ptr<ApiReply> reply);
    void finishDeferred();
    void releaseReply();
    void replyComplete(const ApiResponse &response) override;
    void replyStreamHead(int status, const QByteArray &contentType,
        const QList<QPair<QByteArray, QByteArray>> &headers) override;
    bool replyStreamData(const QByteArray &data) override;
    void replyStreamEnd() override;

    QTcpSocket *m_socket;
    const ApiServer &m_server;
    http::H1Parser m_parser;
    QByteArray m_buffer;
    QByteArray m_body;
    QTimer m_timer;
    bool m_closing = false;
    bool m_keepAlive = true;
    std::shared_ptr<ApiReply> m_reply; ///< the deferred answer in progress, if any
};

} // namespace portico::control::api
