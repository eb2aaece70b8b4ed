#include "tests/testkit/http_server.h"

#include "core/http/h1_parser.h"
#include "core/http/h1_writer.h"

#include <QPointer>
#include <QTcpSocket>

namespace portico::testkit {

/// One accepted connection: parses requests in order and hands complete ones to the handler.
struct HttpServer::Connection : QObject
{
    Connection(HttpServer *server, QTcpSocket *socket, int number)
        : m_server(server)
        , m_socket(socket)
        , m_number(number)
    {
        QObject::connect(socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        setParent(socket);
    }

    void onReadyRead()
    {
        m_pending += m_socket->readAll();
        while (!m_pending.isEmpty()) {
            const auto r = m_parser.parse(m_pending.constData(), size_t(m_pending.size()));
            const QByteArrayView body = m_parser.body();
            handle(r.event, body);
            m_pending.remove(0, qsizetype(r.consumed));
            if (r.event == http::H1Parser::Event::NeedMore
                || r.event == http::H1Parser::Event::Error)
                break;
        }
    }

    void handle(http::H1Parser::Event event, QByteArrayView body)
    {
        using Event = http::H1Parser::Event;
        if (event == Event::Head) {
            m_current = ReceivedRequest();
            m_current.method = m_parser.request().method;
            m_current.target = m_parser.request().target;
            m_current.headers = m_parser.request().headers;
            m_current.connection = m_number;
            if (m_server->m_headHandler)
                m_server->m_headHandler(m_current, m_socket);
        } else if (event == Event::Body) {
            m_current.bodySize += body.size();
            if (m_server->m_keepBodies)
                m_current.body += body;
        } else if (event == Event::MessageComplete) {
            m_current.trailers = m_parser.trailers();
            m_server->m_requests.push_back(m_current);
            QPointer<QTcpSocket> guard(m_socket);
            if (m_server->m_handler)
                m_server->m_handler(m_current, m_socket);
            Q_EMIT m_server->requestReceived();
        } else if (event == Event::Error) {
            m_socket->write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            m_socket->disconnectFromHost();
        }
    }

    HttpServer *m_server;
    QTcpSocket *m_socket;
    int m_number;
    http::H1Parser m_parser { http::H1Parser::Mode::Request };
    QByteArray m_pending;
    ReceivedRequest m_current;
};

HttpServer::HttpServer(Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::onNewConnection);
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server.listen(address, port);
}

QString HttpServer::url() const
{
    const QHostAddress a = m_server.serverAddress();
    if (a.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("http://[%1]:%2").arg(a.toString()).arg(port());
    return QStringLiteral("http://%1:%2").arg(a.toString()).arg(port());
}

void HttpServer::close()
{
    m_server.close();
}

void HttpServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection())
        new Connection(this, socket, ++m_accepts);
}

void HttpServer::respond(
    QTcpSocket *socket, int status, const QByteArray &body, const HeaderList &headers)
{
    http::ResponseHead head;
    head.status = status;
    head.headers = headers;
    socket->write(http::h1::serializeResponse(head, body));
}

void HttpServer::streamBody(QTcpSocket *socket, qint64 size, bool chunked)
{
    QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n";
    head += chunked ? QByteArray("Transfer-Encoding: chunked\r\n")
                    : "Content-Length: " + QByteArray::number(size) + "\r\n";
    socket->write(head + "\r\n");
    auto sent = std::make_shared<qint64>(0);
    auto pump = [socket, size, chunked, sent] {
        constexpr qint64 kPiece = 64 * 1024;
        static const QByteArray pattern = [] {
            QByteArray p(kPiece + 23, Qt::Uninitialized);
            for (qint64 i = 0; i < p.size(); ++i)
                p[i] = patternByte(i);
            return p;
        }();
        while (*sent < size && socket->bytesToWrite() < 4 * kPiece) {
            const qint64 n = std::min(kPiece, size - *sent);
            const QByteArrayView piece(pattern.constData() + *sent % 23, n);
            *sent += n;
            if (chunked) {
                QByteArray framed;
                http::h1::writeChunk(framed, piece);
                socket->write(framed);
            } else {
                socket->write(piece.data(), piece.size());
            }
        }
        if (*sent >= size && chunked) {
            socket->write("0\r\n\r\n");
            *sent = size + 1; // done, no second last-chunk
        }
    };
    QObject::connect(socket, &QTcpSocket::bytesWritten, socket, pump);
    pump();
}

HttpServer::Handler echoHandler()
{
    return [](const ReceivedRequest &request, QTcpSocket *socket) {
        QByteArray text = request.method + ' ' + request.target + '\n';
        for (const HeaderField &f : request.headers)
            text += f.name + ": " + f.value + '\n';
        text += '\n' + request.body;
        HeaderList headers;
        headers.add("Content-Type", "text/plain");
        HttpServer::respond(socket, 200, text, headers);
    };
}

} // namespace portico::testkit
