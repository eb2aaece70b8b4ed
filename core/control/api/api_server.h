#pragma once

#include "core/common/expected.h"
#include "core/control/api/api_types.h"

#include <QHostAddress>
#include <QObject>
#include <QUrl>

class QTcpServer;

namespace portico::control::api {

/// The control API's HTTP/1.1 listener: loopback only, small and strict. Every request passes the
/// checks of check() before its handler runs: the peer is loopback, the Host (and Origin, when
/// sent) names loopback (DNS rebinding), no CORS preflight, and the bearer token from
/// paths::apiTokenPath() on mutating routes. Lives on the control thread once started; its
/// handlers run there.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    explicit ApiServer(QObject *parent = nullptr);
    /// Stops listening and removes the instance file if it is still this instance's.
    ~ApiServer() override;

    /// The endpoint table; register before the first request arrives.
    ApiRouter &router() { return m_router; }

    /// Loads (or creates) the token and binds `controlAddress` (`127.0.0.1:0`); a non-loopback
    /// address or a busy port is an error and nothing is bound. An unwritable token file only
    /// disables the mutating routes (logged), so the proxy still starts.
    Expected<void> listen(const QString &controlAddress);
    /// Writes paths::instancePath() so CLI verbs find this instance; removed at destruction.
    Expected<void> publishInstance();
    /// Stops accepting and removes the instance file (idempotent).
    void close();

    bool isListening() const;
    /// `http://127.0.0.1:PORT` (`http://[::1]:PORT`), empty before listen().
    QUrl url() const { return m_url; }
    QByteArray token() const { return m_token; }

    /// Runs the security checks, the router and the handler for one parsed request. Public for
    /// the connection class; `peer` is the client's address.
    ApiResponse handle(ApiRequest request, const QHostAddress &peer) const;

private:
    void onNewConnection();

    QTcpServer *m_server = nullptr;
    ApiRouter m_router;
    QByteArray m_token;
    QUrl m_url;
    bool m_published = false;
    int m_connections = 0;
};

} // namespace portico::control::api
