#pragma once

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <functional>
#include <memory>

namespace portico::control::api {

class ApiReply;

/// One parsed control-API request, after the security checks (loopback peer, loopback Host,
/// token for mutating calls) have passed.
struct ApiRequest
{
    QByteArray method; ///< `GET`, `PUT`, `POST`, `DELETE`
    QString path; ///< decoded path without the query, `/api/http/routers/web@file`
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers; ///< as received, names lower-cased
    QByteArray body;
    QStringList captures; ///< the values of the route pattern's `{placeholders}`, in order
    /// The request carried the API token (`Authorization: Bearer`): read-only routes that can
    /// reveal secrets (the inspector's `redact=0`) check it.
    bool authorized = false;
};

/// What a handler answers. Errors are JSON `{"message": "..."}` like Traefik's API errors.
struct ApiResponse
{
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    /// Extra response headers, e.g. `X-Next-Page` on list endpoints (no CORS headers, ever).
    QList<QPair<QByteArray, QByteArray>> headers = {};
    /// Set by asynchronous and streaming handlers (api_reply.h): the answer comes through it
    /// later and the fields above are ignored.
    std::shared_ptr<ApiReply> reply = {};

    /// A JSON body (compact) with `status`.
    static ApiResponse json(const QJsonDocument &document, int status = 200);
    /// `{"message": message}` with `status` (4xx for the caller's mistakes).
    static ApiResponse error(int status, const QString &message);
    /// 204 No Content.
    static ApiResponse noContent();
    /// The answer comes later through `reply` (respond() or a stream), on the control thread.
    static ApiResponse later(std::shared_ptr<ApiReply> reply);
};

/// Handles one matched request on the control thread; must not block.
using ApiHandler = std::function<ApiResponse(const ApiRequest &)>;

/// Whether a route changes state: mutating routes require the bearer token from
/// paths::apiTokenPath(); read-only routes are open to loopback clients (as Traefik's API is).
enum class Access { ReadOnly, Mutating };

/// The table of control-API endpoints. Modules register their endpoints on it before the server
/// starts: the Traefik read-only API (control/api), Portico's aliases/toggles/runs endpoints
/// (provider/state, provider/run), discovered proposals (provider/ports).
class ApiRouter
{
public:
    /// `pattern` is a path whose segments are literals or `{name}` placeholders matching exactly
    /// one non-empty segment, e.g. `/api/portico/aliases/{name}`; a trailing `{name...}` matches
    /// the rest of the path (router names may contain `/`-free `@`, but URLs may not).
    void add(QByteArray method, QString pattern, Access access, ApiHandler handler);

    struct Match
    {
        const ApiHandler *handler = nullptr; ///< null: no route for this path (404)
        Access access = Access::ReadOnly;
        QStringList captures;
        bool methodNotAllowed = false; ///< the path exists with other methods (405)
    };
    /// The route for `method` and decoded `path`.
    Match match(const QByteArray &method, const QString &path) const;

private:
    struct Route
    {
        QByteArray method;
        QStringList segments;
        Access access;
        ApiHandler handler;
    };
    std::vector<Route> m_routes;
};

} // namespace portico::control::api
