#include "core/provider/docker/engine_request.h"

#include "core/http/h1_parser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

namespace portico::provider::docker {

EngineRequest::EngineRequest(const EngineEndpoint &endpoint, QByteArray target, QObject *parent)
    : QObject(parent)
    , m_endpoint(endpoint)
    , m_target(std::move(target))
    , m_parser(std::make_unique<http::H1Parser>(http::H1Parser::Mode::Response))
{ }

EngineRequest::~EngineRequest() = default;

void EngineRequest::setTimeout(std::chrono::milliseconds timeout)
{
    if (timeout.count() <= 0)
        return;
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    m_timer->setInterval(timeout);
    connect(m_timer, &QTimer::timeout, this, [this] {
        finish(failure(QStringLiteral("no answer within %1 ms").arg(m_timer->interval())));
    });
}

void EngineRequest::start(Done done)
{
    m_done = std::move(done);
    m_parser->setRequestMethod("GET");
    if (m_timer)
        m_timer->start();
    if (m_endpoint.kind == EngineEndpoint::Kind::Local) {
        auto *socket = new QLocalSocket(this);
        m_socket = socket;
        connect(socket, &QLocalSocket::connected, this, &EngineRequest::onConnected);
        connect(socket, &QLocalSocket::readyRead, this, &EngineRequest::onReadyRead);
        connect(socket, &QLocalSocket::disconnected, this, &EngineRequest::onClosed);
        connect(socket, &QLocalSocket::errorOccurred, this, &EngineRequest::onClosed);
        socket->connectToServer(m_endpoint.path);
    } else {
        auto *socket = new QTcpSocket(this);
        m_socket = socket;
        connect(socket, &QTcpSocket::connected, this, &EngineRequest::onConnected);
        connect(socket, &QTcpSocket::readyRead, this, &EngineRequest::onReadyRead);
        connect(socket, &QTcpSocket::disconnected, this, &EngineRequest::onClosed);
        connect(socket, &QTcpSocket::errorOccurred, this, &EngineRequest::onClosed);
        socket->connectToHost(m_endpoint.host, m_endpoint.port);
    }
}

void EngineRequest::abort()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_socket)
        m_socket->disconnect(this);
    deleteLater();
}

void EngineRequest::onConnected()
{
    // The Docker CLI sends Host "api.moby.localhost"; engines ignore it, HTTP/1.1 requires one.
    m_socket->write("GET " + m_target
        + " HTTP/1.1\r\nHost: docker\r\nUser-Agent: portico\r\nAccept: application/json\r\n"
          "Connection: close\r\n\r\n");
}

void EngineRequest::onReadyRead()
{
    QByteArray buffer = m_socket->readAll();
    qsizetype offset = 0;
    while (offset < buffer.size() && !m_finished) {
        const auto r = m_parser->parse(buffer.constData() + offset, size_t(buffer.size() - offset));
        const bool ok = m_response.status >= 200 && m_response.status < 300;
        switch (r.event) {
        case http::H1Parser::Event::Head:
            m_response.status = m_parser->response().status;
            break;
        case http::H1Parser::Event::Body:
            if (m_data && ok)
                m_data(m_parser->body());
            else
                m_response.body += m_parser->body();
            break;
        case http::H1Parser::Event::MessageComplete:
            finish(m_response);
            return;
        case http::H1Parser::Event::Error:
            finish(failure(QStringLiteral("malformed response: %1")
                               .arg(QString::fromUtf8(m_parser->errorMessage()))));
            return;
        case http::H1Parser::Event::NeedMore:
            break;
        }
        offset += qsizetype(r.consumed);
    }
}

void EngineRequest::onClosed()
{
    if (m_finished)
        return;
    if (m_parser->inMessage() && m_parser->finish().event == http::H1Parser::Event::MessageComplete)
        return finish(m_response);
    QString why = m_socket->errorString();
    // QLocalSocket words a missing socket file as "Invalid name": say what it means.
    if (auto *local = qobject_cast<QLocalSocket *>(m_socket)) {
        if (local->error() == QLocalSocket::ServerNotFoundError)
            why = QStringLiteral("no socket at \"%1\" (is the engine running?)")
                      .arg(m_endpoint.path);
        else if (local->error() == QLocalSocket::ConnectionRefusedError)
            why = QStringLiteral("connection refused (is the engine running?)");
        else if (local->error() == QLocalSocket::SocketAccessError)
            why = QStringLiteral("permission denied on \"%1\"").arg(m_endpoint.path);
    }
    finish(failure(m_parser->inMessage() ? QStringLiteral("connection closed mid-response") : why));
}

Error EngineRequest::failure(const QString &why) const
{
    return Error { QStringLiteral("docker engine at \"%1\": %2").arg(m_endpoint.text, why), {},
        {} };
}

void EngineRequest::finish(Expected<EngineResponse> result)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_timer)
        m_timer->stop();
    m_socket->disconnect(this);
    m_socket->close();
    deleteLater();
    if (m_done)
        m_done(std::move(result));
}

void engineGet(const EngineEndpoint &endpoint, const QByteArray &target, QObject *context,
    std::chrono::milliseconds timeout, std::function<void(Expected<QByteArray>)> done)
{
    auto *request = new EngineRequest(endpoint, target, context);
    request->setTimeout(timeout);
    request->start([done = std::move(done), target](Expected<EngineResponse> r) {
        if (!r)
            return done(r.error());
        if (r->status >= 200 && r->status < 300)
            return done(std::move(r->body));
        const QString message
            = QJsonDocument::fromJson(r->body).object().value(QLatin1String("message")).toString();
        done(Error { QStringLiteral("docker engine answered %1 to \"%2\": %3")
                         .arg(r->status)
                         .arg(QString::fromUtf8(target), message),
            {}, {} });
    });
}

} // namespace portico::provider::docker
