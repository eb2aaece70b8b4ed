#include "app/api_client.h"

#include "core/common/paths.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonObject>
#include <QJsonParseError>
#include <QTcpSocket>

#ifdef Q_OS_WIN
#include <windows.h>
#else
#include <cerrno>
#include <signal.h>
#endif

namespace portico::app {

namespace {

bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
#ifdef Q_OS_WIN
    HANDLE process = OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, DWORD(pid));
    if (!process)
        return false;
    DWORD code = 0;
    const bool alive = GetExitCodeProcess(process, &code) && code == STILL_ACTIVE;
    CloseHandle(process);
    return alive;
#else
    // Signal 0 only checks existence; EPERM means it exists but belongs to someone else.
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
#endif
}

struct RawResponse
{
    int status = 0;
    QByteArray body;
};

/// Splits `HTTP/1.1 200 OK\r\nheaders\r\n\r\nbody` once the whole answer has arrived.
Expected<RawResponse> parseResponse(const QByteArray &bytes)
{
    const qsizetype headEnd = bytes.indexOf("\r\n\r\n");
    if (headEnd < 0 || !bytes.startsWith("HTTP/1."))
        return Error { QStringLiteral("the control API sent a malformed answer"), {}, {} };
    const QList<QByteArray> lines = bytes.left(headEnd).split('\n');
    const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
    bool ok = false;
    const int status = statusLine.value(1).toInt(&ok);
    if (!ok)
        return Error { QStringLiteral("the control API sent a malformed status line"), {}, {} };
    return RawResponse { status, bytes.mid(headEnd + 4) };
}

/// How many body bytes the head announces, or -1 (read until close).
qsizetype announcedLength(const QByteArray &head)
{
    for (const QByteArray &line : head.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.left(colon).trimmed().toLower() == "content-length")
            return line.mid(colon + 1).trimmed().toLongLong();
    }
    return -1;
}

/// True once `bytes` holds a whole response (head + announced body).
bool complete(const QByteArray &bytes)
{
    const qsizetype headEnd = bytes.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const qsizetype length = announcedLength(bytes.left(headEnd));
    return length >= 0 && bytes.size() - headEnd - 4 >= length;
}

Error notRunning()
{
    return Error { notRunningMessage(), {}, {} };
}

} // namespace

QString notRunningMessage()
{
    return QStringLiteral(
        "portico is not running \u2014 start it with `portico serve` or the desktop app");
}

ApiClient::ApiClient(QUrl base, QByteArray token)
    : m_base(std::move(base))
    , m_token(std::move(token))
{ }

Expected<ApiClient> ApiClient::connectToInstance()
{
    QFile file(paths::instancePath());
    if (!file.open(QIODevice::ReadOnly))
        return notRunning();
    const QJsonObject instance = QJsonDocument::fromJson(file.readAll()).object();
    const QUrl base(instance.value(QStringLiteral("api")).toString());
    if (!base.isValid() || base.port() <= 0
        || !processAlive(instance.value(QStringLiteral("pid")).toInteger()))
        return notRunning();
    QFile tokenFile(paths::apiTokenPath());
    QByteArray token;
    if (tokenFile.open(QIODevice::ReadOnly))
        token = tokenFile.readAll().trimmed();
    ApiClient client(base, token);
    client.setTimeout(3000);
    if (!client.get(QStringLiteral("/api/version")))
        return notRunning();
    client.setTimeout(10000);
    return client;
}

Expected<QJsonDocument> ApiClient::get(const QString &path) const
{
    return request(QByteArrayLiteral("GET"), path);
}

Expected<QJsonDocument> ApiClient::put(const QString &path, const QJsonDocument &body) const
{
    return request(QByteArrayLiteral("PUT"), path, body);
}

Expected<QJsonDocument> ApiClient::post(const QString &path, const QJsonDocument &body) const
{
    return request(QByteArrayLiteral("POST"), path, body);
}

Expected<QJsonDocument> ApiClient::remove(const QString &path) const
{
    return request(QByteArrayLiteral("DELETE"), path);
}

Expected<QJsonDocument> ApiClient::request(
    const QByteArray &method, const QString &path, const QJsonDocument &body) const
{
    const QByteArray payload = body.isNull() ? QByteArray() : body.toJson(QJsonDocument::Compact);
    const QByteArray hostPort = m_base.host().toLatin1() + ':' + QByteArray::number(m_base.port());
    QByteArray head = method + ' ' + path.toUtf8() + " HTTP/1.1\r\nHost: " + hostPort
        + "\r\nConnection: close\r\nAccept: application/json\r\n";
    if (!m_token.isEmpty())
        head += "Authorization: Bearer " + m_token + "\r\n";
    if (!payload.isEmpty() || method == "PUT" || method == "POST")
        head += "Content-Type: application/json\r\nContent-Length: "
            + QByteArray::number(payload.size()) + "\r\n";

    QDeadlineTimer deadline(m_timeoutMs);
    QTcpSocket socket;
    socket.connectToHost(m_base.host(), quint16(m_base.port()));
    if (!socket.waitForConnected(int(deadline.remainingTime())))
        return notRunning();
    socket.write(head + "\r\n" + payload);
    QByteArray received;
    while (!complete(received) && !deadline.hasExpired()) {
        if (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            if (socket.state() != QAbstractSocket::ConnectedState || deadline.hasExpired())
                break;
        received += socket.readAll();
    }
    received += socket.readAll();
    if (received.isEmpty())
        return Error { QStringLiteral("the control API at %1 did not answer %2 %3")
                           .arg(m_base.toString(), QString::fromLatin1(method), path),
            {}, {} };
    const Expected<RawResponse> response = parseResponse(received);
    if (!response)
        return response.error();
    QJsonParseError parseError;
    const QJsonDocument document = response->body.isEmpty()
        ? QJsonDocument()
        : QJsonDocument::fromJson(response->body, &parseError);
    if (response->status >= 400) {
        QString message = document.object().value(QStringLiteral("message")).toString();
        if (message.isEmpty())
            message = QString::fromUtf8(response->body.trimmed());
        const QString hint = response->status == 401
            ? QStringLiteral("the token in \"%1\" was refused").arg(paths::apiTokenPath())
            : QString();
        return Error {
            message.isEmpty() ? QStringLiteral("HTTP %1").arg(response->status) : message, {}, hint
        };
    }
    if (!response->body.isEmpty() && document.isNull())
        return Error {
            QStringLiteral("the control API sent invalid JSON: %1").arg(parseError.errorString()),
            {}, {}
        };
    return document;
}

} // namespace portico::app
