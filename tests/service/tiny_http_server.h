#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QMap>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

/// A minimal HTTP/1.1 origin for health-check tests: answers every request with a configurable
/// status (per path if wanted) and `Connection: close`, or never answers at all.
class TinyHttpServer : public QTcpServer
{
    Q_OBJECT
public:
    struct Reply
    {
        int status = 200;
        QByteArray location; ///< sent as Location when set
    };

    /// Listens on `address`, port 0 (or `port` to come back on a known one).
    bool start(const QHostAddress &address, quint16 port = 0);
    /// Closes the listener and every open connection, like a dev server being stopped.
    void shutdown();

    Reply reply; ///< for every path not in `byPath`
    QMap<QByteArray, Reply> byPath;
    bool silent = false; ///< accept and read, never answer
    int requests = 0;
    int closedConnections = 0;
    QByteArray lastRequest; ///< request line and header fields of the last request

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);

    QList<QPointer<QTcpSocket>> m_sockets;
};
