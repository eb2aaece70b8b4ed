#include "core/middleware/responses.h"

namespace portico::middleware {

LocalResponse errorResponse(int status)
{
    LocalResponse response;
    response.head.status = status;
    response.head.headers.add(
        QByteArrayLiteral("Content-Type"), QByteArrayLiteral("text/plain; charset=utf-8"));
    response.head.headers.add(
        QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff"));
    response.body = http::reasonPhrase(status) + '\n';
    return response;
}

LocalResponse redirectResponse(int status, const QByteArray &location)
{
    LocalResponse response;
    response.head.status = status;
    response.head.headers.add(QByteArrayLiteral("Location"), location);
    response.body = http::reasonPhrase(status);
    return response;
}

} // namespace portico::middleware
