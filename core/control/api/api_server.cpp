#include "core/control/api/api_server.h"

#include "core/common/log.h"
#include "core/control/api/api_connection.h"
#include "core/control/api/api_security.h"
#include "core/control/api/instance_file.h"

#include <QTcpServer>
#include <QTcpSocket>

namespace portico::control::api {

namespace {

constexpr int kMaxConnections = 64;

QByteArray headerValue(const ApiRequest &request, QByteArrayView name)
{
    for (const auto &[key, value] : request.headers) {
        if (key == name)
            return value;
    }
    return {};
}

bool hasHeader(const ApiRequest &request, QByteArrayView name)
{
    return std::any_of(request.headers.begin(), request.headers.end(),
        [&](const auto &header) { return header.first == name; });
}

} // namespace

ApiServer::ApiServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &ApiServer::onNewConnection);
}

ApiServer::~ApiServer()
{
    close();
}

Expected<void> ApiServer::listen(const QString &controlAddress)
{
    const Expected<ControlAddress> address = parseControlAddress(controlAddress);
    if (!address)
        return address.error();
    // Without a token the API still serves the read-only endpoints; mutating calls get 401.
    if (Expected<QByteArray> token = loadOrCreateToken(); token)
        m_token = std::move(token.value());
    else
        qCWarning(lcControl).noquote()
            << "control API: write calls are disabled:" << token.error().toString();
    if (!m_server->listen(address->address, address->port))
        return Error { QStringLiteral("the control API cannot listen on \"%1\": %2")
                           .arg(controlAddress, m_server->errorString()),
            { {}, 0, 0, QStringLiteral("portico.controlAddress") },
            QStringLiteral("another program uses that port; use port 0 for a free one") };
    const QHostAddress bound = m_server->serverAddress();
    const QString host = bound.protocol() == QAbstractSocket::IPv6Protocol
        ? QLatin1Char('[') + bound.toString() + QLatin1Char(']')
        : bound.toString();
    m_url = QUrl(QStringLiteral("http://%1:%2").arg(host).arg(m_server->serverPort()));
    return {};
}

Expected<void> ApiServer::publishInstance()
{
    if (!isListening())
        return Error { QStringLiteral("the control API is not listening"), {}, {} };
    if (auto written = writeInstanceFile(m_url); !written)
        return written;
    m_published = true;
    return {};
}

void ApiServer::close()
{
    if (m_published)
        removeInstanceFileIfOurs(m_url);
    m_published = false;
    m_server->close();
}

bool ApiServer::isListening() const
{
    return m_server->isListening();
}

void ApiServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        // Bound to loopback, so this is belt and braces (and a bounded connection count).
        if (!socket->peerAddress().isLoopback() || m_connections >= kMaxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        ++m_connections;
        auto *connection = new ApiConnection(socket, *this, this);
        connect(connection, &ApiConnection::closed, this, [this] { --m_connections; });
    }
}

ApiResponse ApiServer::handle(ApiRequest request, const QHostAddress &peer) const
{
    if (!peer.isLoopback())
        return ApiResponse::error(403, QStringLiteral("the control API only answers this machine"));
    const QByteArray host = headerValue(request, "host");
    if (!isLoopbackHost(host))
        return ApiResponse::error(403,
            QStringLiteral("host \"%1\" is not a loopback name; the control API answers "
                           "localhost, *.localhost, 127.0.0.1 and [::1] only")
                .arg(QString::fromLatin1(host)));
    // No CORS, ever: a foreign page must not drive the API (preflights and foreign origins).
    if (hasHeader(request, "origin") && !isLoopbackOrigin(headerValue(request, "origin")))
        return ApiResponse::error(403, QStringLiteral("cross-origin requests are refused"));
    if (request.method == "OPTIONS")
        return ApiResponse::error(403, QStringLiteral("cross-origin requests are refused"));

    const ApiRouter::Match match = m_router.match(request.method, request.path);
    if (!match.handler && match.methodNotAllowed)
        return ApiResponse::error(405,
            QStringLiteral("method \"%1\" is not allowed on \"%2\"")
                .arg(QString::fromLatin1(request.method), request.path));
    if (!match.handler) {
        // Traefik's router answers unknown API paths in plain text.
        return ApiResponse { 404, QByteArrayLiteral("text/plain; charset=utf-8"),
            QByteArrayLiteral("404 page not found\n") };
    }
    request.authorized = bearerMatches(headerValue(request, "authorization"), m_token);
    if (match.access == Access::Mutating && !request.authorized) {
        ApiResponse denied = ApiResponse::error(401,
            QStringLiteral("this call needs the API token (Authorization: Bearer, from the "
                           "api-token file in Portico's directory)"));
        denied.headers.append({ QByteArrayLiteral("WWW-Authenticate"),
            QByteArrayLiteral("Bearer realm=\"portico\"") });
        return denied;
    }
    request.captures = match.captures;
    qCDebug(lcControl).noquote() << "api" << request.method << request.path;
    return (*match.handler)(request);
}

} // namespace portico::control::api
