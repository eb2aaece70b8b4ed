#include "tiny_http_server.h"

bool TinyHttpServer::start(const QHostAddress &address, quint16 port)
{
    connect(this, &QTcpServer::newConnection, this, &TinyHttpServer::onNewConnection,
        Qt::UniqueConnection);
    return listen(address, port);
}

void TinyHttpServer::shutdown()
{
    close();
    for (const QPointer<QTcpSocket> &socket : std::as_const(m_sockets)) {
        if (socket)
            socket->abort();
    }
    m_sockets.clear();
}

void TinyHttpServer::onNewConnection()
{
    while (QTcpSocket *socket = nextPendingConnection()) {
        m_sockets.append(socket);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            ++closedConnections;
            socket->deleteLater();
        });
    }
}

void TinyHttpServer::onReadyRead(QTcpSocket *socket)
{
    QByteArray buffer = socket->property("buffer").toByteArray() + socket->readAll();
    socket->setProperty("buffer", buffer);
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0)
        return;
    socket->setProperty("buffer", buffer.mid(end + 4));
    ++requests;
    lastRequest = buffer.left(end);
    if (silent)
        return;
    const QByteArray path = lastRequest.split(' ').value(1);
    const Reply r = byPath.value(path, reply);
    QByteArray response = "HTTP/1.1 " + QByteArray::number(r.status) + " Test\r\n";
    if (!r.location.isEmpty())
        response += "Location: " + r.location + "\r\n";
    response += "Content-Length: 2\r\nConnection: close\r\n\r\nok";
    socket->write(response);
    socket->disconnectFromHost();
}
