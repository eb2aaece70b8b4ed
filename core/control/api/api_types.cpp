#include "core/control/api/api_types.h"

#include <QJsonObject>

namespace portico::control::api {

ApiResponse ApiResponse::json(const QJsonDocument &document, int status)
{
    return ApiResponse { status, QByteArrayLiteral("application/json"),
        document.toJson(QJsonDocument::Compact) };
}

ApiResponse ApiResponse::error(int status, const QString &message)
{
    return json(QJsonDocument(QJsonObject { { QStringLiteral("message"), message } }), status);
}

ApiResponse ApiResponse::noContent()
{
    return ApiResponse { 204, {}, {} };
}

ApiResponse ApiResponse::later(std::shared_ptr<ApiReply> reply)
{
    ApiResponse response;
    response.reply = std::move(reply);
    return response;
}

} // namespace portico::control::api
