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
        Q_EMIT closed();
        deleteLater();
    });
    m_timer.start();
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &ApiConnection::onReadyRead, Qt::QueuedConnection);
}

void ApiConnection::onReadyRead()
{
    if (m_closing) {
        m_socket->readAll(); // after a final answer: drain, never parse
        return;
    }
    m_buffer += m_socket->readAll();
    process();
}

bool ApiConnection::process()
{
    while (!m_buffer.isEmpty() && !m_closing) {
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

} // namespace portico::control::api
