#include "core/observe/replay.h"

#include "core/http/h1_parser.h"

#include <QDateTime>
#include <QJsonArray>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTimer>
#include <QUrl>

namespace portico::observe {

namespace {

Error replayError(const QString &message)
{
    Error error;
    error.message = message;
    return error;
}

/// Fields the replay sets itself, or that belong to the original connection (RFC 9110 §7.6.1).
bool isManagedHeader(QByteArrayView name)
{
    static const char *const managed[] = { "host", "content-length", "connection", "keep-alive",
        "transfer-encoding", "te", "upgrade", "proxy-connection", "http2-settings" };
    if (name.startsWith(':')) // HTTP/2 pseudo-headers (RFC 9113 §8.3)
        return true;
    return std::any_of(std::begin(managed), std::end(managed),
        [&](const char *m) { return HeaderList::nameEquals(name, m); });
}

Expected<void> applyUrl(ReplayRequest &request, const QString &text)
{
    if (text.startsWith(QLatin1Char('/'))) {
        request.target = text.toUtf8();
        return {};
    }
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid()
        || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        || url.host().isEmpty())
        return replayError(
            QStringLiteral("\"url\" must be an http(s) URL or a path, not \"%1\"").arg(text));
    request.scheme = url.scheme().toLatin1();
    request.authority = url.authority(QUrl::FullyEncoded).toUtf8();
    const QByteArray path = url.path(QUrl::FullyEncoded).toUtf8();
    request.target = (path.isEmpty() ? QByteArrayLiteral("/") : path)
        + (url.hasQuery() ? '?' + url.query(QUrl::FullyEncoded).toUtf8() : QByteArray());
    return {};
}

Expected<void> applyHeaders(ReplayRequest &request, const QJsonValue &edits)
{
    if (edits.isArray()) {
        request.headers.clear();
        for (const QJsonValue &item : edits.toArray()) {
            const QString name = item[QLatin1String("name")].toString();
            if (name.isEmpty() || !item[QLatin1String("value")].isString())
                return replayError(
                    QStringLiteral("\"headers\" items need a name and a string value"));
            if (!isManagedHeader(name.toLatin1()))
                request.headers.add(
                    name.toLatin1(), item[QLatin1String("value")].toString().toUtf8());
        }
        return {};
    }
    if (!edits.isObject())
        return replayError(QStringLiteral("\"headers\" must be an object or an array"));
    const QJsonObject object = edits.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QByteArray name = it.key().toLatin1();
        if (HeaderList::nameEquals(name, "host") && it.value().isString()) {
            request.authority = it.value().toString().toUtf8();
            continue;
        }
        if (isManagedHeader(name))
            continue;
        if (it.value().isNull())
            request.headers.remove(name);
        else if (it.value().isString())
            request.headers.set(name, it.value().toString().toUtf8());
        else
            return replayError(
                QStringLiteral("header \"%1\" must be a string or null").arg(it.key()));
    }
    return {};
}

Expected<void> applyBody(ReplayRequest &request, const QJsonObject &edits)
{
    const QString encoding
        = edits.value(QLatin1String("bodyEncoding")).toString(QStringLiteral("text"));
    const QJsonValue body = edits.value(QLatin1String("body"));
    if (!body.isString())
        return replayError(QStringLiteral("\"body\" must be a string"));
    if (encoding == QLatin1String("text")) {
        request.body = body.toString().toUtf8();
        return {};
    }
    if (encoding != QLatin1String("base64"))
        return replayError(
            QStringLiteral("\"bodyEncoding\" must be \"text\" or \"base64\", not \"%1\"")
                .arg(encoding));
    auto decoded = QByteArray::fromBase64Encoding(
        body.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return replayError(QStringLiteral("\"body\" is not valid base64"));
    request.body = *decoded;
    return {};
}

} // namespace

Expected<ReplayRequest> replayRequest(const ExchangeRecord &record, const QJsonObject &edits)
{
    ReplayRequest request;
    request.method = record.method;
    request.scheme = record.scheme.isEmpty() ? QByteArrayLiteral("http") : record.scheme;
    request.authority = record.requestHeaders.value("host");
    if (request.authority.isEmpty())
        request.authority = record.requestHeaders.value(":authority");
    if (request.authority.isEmpty())
        request.authority = record.host;
    request.target = record.target;
    for (const auto &field : record.requestHeaders) {
        if (!isManagedHeader(field.name))
            request.headers.add(field.name, field.value);
    }
    request.body = record.requestBody.data;
    if (const QJsonValue method = edits.value(QLatin1String("method")); !method.isUndefined()) {
        const QByteArray text = method.toString().toUpper().toLatin1();
        const bool token = !text.isEmpty() && std::all_of(text.begin(), text.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        });
        if (!token)
            return replayError(QStringLiteral("\"method\" must be an HTTP method, not \"%1\"")
                                   .arg(method.toString()));
        request.method = text;
    }
    if (const QJsonValue url = edits.value(QLatin1String("url")); !url.isUndefined()) {
        if (auto applied = applyUrl(request, url.toString()); !applied)
            return applied.error();
    }
    if (const QJsonValue headers = edits.value(QLatin1String("headers")); !headers.isUndefined()) {
        if (auto applied = applyHeaders(request, headers); !applied)
            return applied.error();
    }
    if (edits.contains(QLatin1String("body"))) {
        if (auto applied = applyBody(request, edits); !applied)
            return applied.error();
    } else if (record.requestBody.truncated || record.requestBody.evicted) {
        return replayError(QStringLiteral("the captured request body holds %1 of %2 bytes; send "
                                          "\"body\" with the replay")
                               .arg(record.requestBody.data.size())
                               .arg(record.requestBody.size));
    }
    if (request.target.isEmpty() || request.authority.isEmpty())
        return replayError(QStringLiteral("the record has no request target to replay"));
    return request;
}

QByteArray serializeReplay(const ReplayRequest &request)
{
    QByteArray out = request.method + ' ' + request.target
        + " HTTP/1.1\r\nHost: " + request.authority + "\r\n";
    for (const auto &field : request.headers)
        out += field.name + ": " + field.value + "\r\n";
    const bool expectsBody
        = request.method == "POST" || request.method == "PUT" || request.method == "PATCH";
    if (!request.body.isEmpty() || expectsBody)
        out += "Content-Length: " + QByteArray::number(request.body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    return out + request.body;
}

/// The connection, the parser and the response being read.
class Replay::Exchange
{
public:
    QSslSocket socket;
    http::H1Parser parser { http::H1Parser::Mode::Response };
    QByteArray buffer;
    ReplayResponse response;
    QTimer timer;
    bool headSeen = false;
};

Replay::Replay(ReplayRequest request, QHostAddress address, quint16 port, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_address(std::move(address))
    , m_port(port)
    , m_exchange(std::make_unique<Exchange>())
{ }

Replay::~Replay() = default;

void Replay::start(Done done)
{
    m_done = std::move(done);
    Exchange &x = *m_exchange;
    x.parser.setRequestMethod(m_request.method);
    x.timer.setSingleShot(true);
    connect(&x.timer, &QTimer::timeout, this, [this] {
        finish(
            replayError(QStringLiteral("no complete response within %1 s").arg(kTimeoutMs / 1000)));
    });
    x.timer.start(kTimeoutMs);
    const auto send = [this] {
        m_exchange->response.localPort = m_exchange->socket.localPort();
        m_exchange->socket.write(serializeReplay(m_request));
    };
    connect(&x.socket, &QSslSocket::readyRead, this, [this] {
        m_exchange->buffer += m_exchange->socket.readAll();
        consume(false);
    });
    connect(&x.socket, &QSslSocket::disconnected, this, [this] { consume(true); });
    connect(
        &x.socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
            if (error != QAbstractSocket::RemoteHostClosedError)
                finish(replayError(QStringLiteral("replay to the entry point failed: %1")
                                       .arg(m_exchange->socket.errorString().toLower())));
        });
    x.response.startedUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    const QByteArray host = m_request.authority.startsWith('[')
        ? m_request.authority.left(m_request.authority.indexOf(']') + 1)
        : m_request.authority.left(m_request.authority.indexOf(':') < 0
                ? m_request.authority.size()
                : m_request.authority.indexOf(':'));
    if (m_request.scheme == "https") {
        // Portico's own entry point on loopback, reached by address: the name goes in SNI.
        x.socket.setPeerVerifyMode(QSslSocket::VerifyNone);
        QSslConfiguration tls = x.socket.sslConfiguration();
        tls.setAllowedNextProtocols({ QByteArrayLiteral("http/1.1") });
        x.socket.setSslConfiguration(tls);
        connect(&x.socket, &QSslSocket::encrypted, this, send);
        x.socket.connectToHostEncrypted(m_address.toString(), m_port, QString::fromUtf8(host));
    } else {
        connect(&x.socket, &QSslSocket::connected, this, send);
        x.socket.connectToHost(m_address, m_port);
    }
}

void Replay::consume(bool closed)
{
    Exchange &x = *m_exchange;
    while (!x.buffer.isEmpty() && m_done) {
        const auto result = x.parser.parse(x.buffer.constData(), size_t(x.buffer.size()));
        const bool head = result.event == http::H1Parser::Event::Head;
        const bool body = result.event == http::H1Parser::Event::Body;
        if (head) {
            x.response.status = x.parser.response().status;
            x.response.headers = x.parser.response().headers;
            x.response.httpVersion = x.parser.response().version.toByteArray();
        } else if (body) {
            const qint64 room = kMaxBodyBytes - x.response.body.size();
            const qint64 piece = qint64(x.parser.body().size());
            x.response.body.append(x.parser.body().data(), qsizetype(std::min(room, piece)));
            x.response.truncated = x.response.truncated || piece > room;
        }
        x.buffer.remove(0, qsizetype(result.consumed));
        if (result.event == http::H1Parser::Event::MessageComplete) {
            // An interim 1xx response is followed by the real one.
            if (x.response.status >= 200)
                return finish(x.response);
            continue;
        }
        if (result.event == http::H1Parser::Event::Error)
            return finish(replayError(QStringLiteral("bad response from the entry point: %1")
                                          .arg(QString::fromLatin1(x.parser.errorMessage()))));
        if (result.event == http::H1Parser::Event::NeedMore)
            break;
    }
    if (closed && m_done) {
        const auto result = x.parser.finish();
        if (result.event == http::H1Parser::Event::MessageComplete && x.response.status >= 200)
            return finish(x.response);
        finish(replayError(QStringLiteral(
            "the entry point closed the connection before the response was complete")));
    }
}

void Replay::finish(Expected<ReplayResponse> result)
{
    if (!m_done)
        return;
    m_exchange->timer.stop();
    m_exchange->socket.disconnect(this);
    m_exchange->socket.abort();
    std::exchange(m_done, {})(std::move(result));
}

} // namespace portico::observe
