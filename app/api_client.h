#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QString>
#include <QUrl>

#include <optional>

namespace portico::app {

/// A synchronous client of the running instance's control API, for the CLI verbs. Each call opens
/// one short connection (no event loop needed), sends the bearer token read from
/// paths::apiTokenPath(), and turns a 4xx/5xx answer into an Error carrying the server's message.
class ApiClient
{
public:
    /// Talks to the API at `base` (`http://127.0.0.1:PORT`) with `token` (may be empty).
    ApiClient(QUrl base, QByteArray token);

    /// Finds the running instance from paths::instancePath(): its pid must be alive and its API
    /// must answer `/api/version`; else "portico is not running — start it with ...".
    static Expected<ApiClient> connectToInstance();

    /// GET `path` (e.g. `/api/http/routers?search=shop`); a 204 gives a null document.
    Expected<QJsonDocument> get(const QString &path) const;
    /// PUT `path` with a JSON body.
    Expected<QJsonDocument> put(const QString &path, const QJsonDocument &body) const;
    /// POST `path` with a JSON body (none when `body` is null).
    Expected<QJsonDocument> post(const QString &path, const QJsonDocument &body = {}) const;
    /// DELETE `path`.
    Expected<QJsonDocument> remove(const QString &path) const;
    /// Any method; `body` is sent as `application/json` unless it is null.
    Expected<QJsonDocument> request(
        const QByteArray &method, const QString &path, const QJsonDocument &body = {}) const;

    QUrl baseUrl() const { return m_base; }
    /// The bearer token sent with every call (for streams opened outside this client).
    QByteArray token() const { return m_token; }
    /// Per-request timeout for connect + answer, in milliseconds (default 10 s).
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }

private:
    QUrl m_base;
    QByteArray m_token;
    int m_timeoutMs = 10000;
};

/// The "not running" message every verb prints when no instance answers.
QString notRunningMessage();

} // namespace portico::app
