#include "core/control/api/api_connection.h"

#include "core/control/api/api_server.h"

#include <QTcpSocket>
#include <QUrl>
#include <QUrlQuery>

namespace portico::control::api {

namespace {

http::H1Limits apiLimits()
{
    http::H1Limits limits;
    limits.maxHeaderBytes = 16 * 1024;
    limits.maxUriBytes = 8 * 1024;
    return limits;
}

QByteArray jsonMessage(const QByteArray &message)
{
    return ApiResponse::error(400, QString::fromLatin1(message)).body + '\n';
}

} // namespace

ApiConnection::ApiConnection(QTcpSocket *socket, const ApiServer &server, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_server(server)
    , m_parser(http::H1Parser::Mode::Request, apiLimits())
{
    m_socket->setParent(this);
    m_timer.setSingleShot(true);
    m_timer.setInterval(kTimeoutMs);
    connect(&m_timer, &QTimer::timeout, m_socket, &QTcpSocket::abort);
    connect(m_socket, &QTcpSocket::readyRead, this, &ApiConnection::onReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, [this] {
        m_timer.stop();
        releaseReply(); // a stream's producer stops here
        Q_EMIT closed();
        deleteLater();
    });
    m_timer.start();
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ApiConnection::onReadyRead, Qt::QueuedConnection);
}

ApiConnection::~ApiConnection()
{
    if (auto reply = std::exchange(m_reply, {}))
        reply->detach();
}

void ApiConnection::onReadyRead()
{
    if (m_closing) {
        m_socket->readAll(); // after a final answer: drain, never parse
        return;
    }
    m_buffer += m_socket->readAll();
    if (m_reply) { // pipelined behind a deferred answer: parsed when it is done, within bounds
        if (m_buffer.size() > kMaxBodyBytes + 64 * 1024)
            m_socket->abort();
        return;
    }
    process();
}

bool ApiConnection::process()
{
    while (!m_buffer.isEmpty() && !m_closing && !m_reply) {
        const http::H1Parser::Result result
            = m_parser.parse(m_buffer.constData(), size_t(m_buffer.size()));
        switch (result.event) {
        case http::H1Parser::Event::Head:
            m_body.clear();
            m_keepAlive = m_parser.keepAlive();
            if (m_parser.contentLength() > kMaxBodyBytes) {
                fail(413, QByteArrayLiteral("request body too large"));
                return false;
            }
            // RFC 9110 §10.1.1: answer 100 so clients (curl) send the body without waiting.
            if (m_parser.request().headers.hasToken("expect", "100-continue"))
                m_socket->write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
            break;
        case http::H1Parser::Event::Body:
            if (m_body.size() + m_parser.body().size() > kMaxBodyBytes) {
                fail(413, QByteArrayLiteral("request body too large"));
                return false;
            }
            m_body.append(m_parser.body().data(), m_parser.body().size());
            break;
        case http::H1Parser::Event::MessageComplete:
            m_buffer.remove(0, qsizetype(result.consumed));
            dispatch();
            continue;
        case http::H1Parser::Event::Error:
            fail(m_parser.errorStatus(), m_parser.errorMessage());
            return false;
        case http::H1Parser::Event::NeedMore:
            break;
        }
        m_buffer.remove(0, qsizetype(result.consumed));
        if (result.event == http::H1Parser::Event::NeedMore)
            break;
    }
    return !m_closing;
}

void ApiConnection::dispatch()
{
    const http::RequestHead &head = m_parser.request();
    if (!head.target.startsWith('/')) {
        m_keepAlive = false;
        fail(400, QByteArrayLiteral("the request target must be a path"));
        return;
    }
    ApiRequest request;
    request.method = head.method;
    request.path = QUrl::fromPercentEncoding(head.path());
    request.query = QUrlQuery(QString::fromUtf8(head.query()));
    for (const HeaderField &field : head.headers)
        request.headers.append({ field.name.toLower(), field.value });
    request.body = std::exchange(m_body, {});
    const ApiResponse response = m_server.handle(std::move(request), m_socket->peerAddress());
    if (response.reply) {
        beginDeferred(response.reply);
        return;
    }
    writeResponse(response.status, response.contentType, response.body, response.headers);
}

void ApiConnection::writeResponse(int status, const QByteArray &contentType, const QByteArray &body,
    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    // Traefik's encoder ends every JSON body with a newline.
    const QByteArray payload
        = contentType == "application/json" && !body.isEmpty() && !body.endsWith('\n') ? body + '\n'
                                                                                       : body;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + http::reasonPhrase(status)
        + "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n";
    if (status != 204 && status != 304) {
        if (!contentType.isEmpty())
            out += "Content-Type: " + contentType + "\r\n";
        out += "Content-Length: " + QByteArray::number(payload.size()) + "\r\n";
    }
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    if (!m_keepAlive)
        out += "Connection: close\r\n";
    out += "\r\n";
    if (status != 204 && status != 304)
        out += payload;
    m_socket->write(out);
    m_timer.start(); // the next request (or idleness) gets a fresh deadline
    if (!m_keepAlive) {
        m_closing = true;
        m_socket->disconnectFromHost();
    }
}

void ApiConnection::fail(int status, const QByteArray &message)
{
    m_keepAlive = false;
    writeResponse(status == 0 ? 400 : status, QByteArrayLiteral("application/json"),
        jsonMessage(message), {});
}

void ApiConnection::beginDeferred(std::shared_ptr<ApiReply> reply)
{
    m_reply = std::move(reply);
    m_timer.stop(); // the handler answers when it can; a stream runs until the client leaves
    m_reply->attach(this); // may answer right away
}

void ApiConnection::releaseReply()
{
    auto reply = std::exchange(m_reply, {});
    if (!reply)
        return;
    reply->detach();
    // Released from the event loop: this may run inside one of the reply's own calls.
    QMetaObject::invokeMethod(
        this, [keep = std::move(reply)] {}, Qt::QueuedConnection);
}

void ApiConnection::finishDeferred()
{
    if (!m_reply)
        return;
    releaseReply();
    if (m_closing)
        return;
    m_timer.start();
    if (!m_buffer.isEmpty())
        QMetaObject::invokeMethod(
            this, [this] { process(); }, Qt::QueuedConnection);
}

void ApiConnection::replyComplete(const ApiResponse &response)
{
    writeResponse(response.status, response.contentType, response.body, response.headers);
    finishDeferred();
}

void ApiConnection::replyStreamHead(
    int status, const QByteArray &contentType, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + http::reasonPhrase(status)
        + "\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
        + "Transfer-Encoding: chunked\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    if (!m_keepAlive)
        out += "Connection: close\r\n";
    m_socket->write(out + "\r\n");
    m_socket->flush();
}

bool ApiConnection::replyStreamData(const QByteArray &data)
{
    if (m_socket->bytesToWrite() > kMaxStreamBacklog) {
        // Aborted from the event loop: the producer is inside write() right now.
        QMetaObject::invokeMethod(m_socket, &QTcpSocket::abort, Qt::QueuedConnection);
        return false;
    }
    if (data.isEmpty()) // an empty chunk would end the body
        return true;
    m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
    m_socket->flush();
    return true;
}

void ApiConnection::replyStreamEnd()
{
    m_socket->write(QByteArrayLiteral("0\r\n\r\n"));
    if (!m_keepAlive) {
        m_closing = true;
        m_socket->disconnectFromHost();
    }
    finishDeferred();
}

} // namespace portico::control::api
