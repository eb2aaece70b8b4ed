#include "core/control/api/explain_endpoints.h"

#include "core/control/control_plane.h"
#include "core/control/explain.h"

namespace portico::control::api {

namespace {

/// The request to explain from the query; an Error quotes the bad parameter.
Expected<ExplainRequest> requestOf(const QUrlQuery &query)
{
    ExplainRequest request;
    const QString url = query.queryItemValue(QStringLiteral("url"), QUrl::FullyDecoded);
    if (url.isEmpty())
        return Error { QStringLiteral("missing url parameter"), {},
            QStringLiteral("e.g. /api/portico/explain?url=http://shop.localhost/") };
    request.url = QUrl(url, QUrl::StrictMode);
    if (!request.url.isValid())
        return Error { QStringLiteral("invalid URL \"%1\"").arg(url), {}, {} };
    const QString method = query.queryItemValue(QStringLiteral("method"), QUrl::FullyDecoded);
    if (!method.isEmpty())
        request.method = method.toUtf8();
    for (const QString &header :
        query.allQueryItemValues(QStringLiteral("header"), QUrl::FullyDecoded)) {
        const qsizetype colon = header.indexOf(u':');
        if (colon <= 0)
            return Error { QStringLiteral("invalid header \"%1\"").arg(header), {},
                QStringLiteral("expected \"Name: value\"") };
        request.headers.add(
            header.left(colon).trimmed().toUtf8(), header.mid(colon + 1).trimmed().toUtf8());
    }
    request.entryPoint = query.queryItemValue(QStringLiteral("entryPoint"), QUrl::FullyDecoded);
    const QString clientIp = query.queryItemValue(QStringLiteral("clientIp"), QUrl::FullyDecoded);
    if (!clientIp.isEmpty() && !request.clientIp.setAddress(clientIp))
        return Error { QStringLiteral("invalid client IP \"%1\"").arg(clientIp), {}, {} };
    return request;
}

} // namespace

void registerExplainEndpoints(ApiRouter &router, const ControlPlane &plane, BoundPorts ports)
{
    router.add("GET", QStringLiteral("/api/portico/explain"), Access::ReadOnly,
        [&plane, ports](const ApiRequest &apiRequest) {
            auto request = requestOf(apiRequest.query);
            if (!request)
                return ApiResponse::error(400, request.error().toString());
            ExplainContext context;
            context.table = plane.routingTable();
            context.state = &plane.state();
            context.entryPoints = plane.staticConfig().entryPoints;
            context.boundPorts = ports;
            auto explanation = explain(*request, context);
            if (!explanation)
                return ApiResponse::error(400, explanation.error().toString());
            return ApiResponse::json(QJsonDocument(toJson(*explanation)));
        });
}

ApiRegistration explainRegistration(std::function<BoundPorts()> ports)
{
    return [ports](ApiRouter &router, ControlPlane &plane) {
        registerExplainEndpoints(router, plane, ports ? ports() : BoundPorts {});
    };
}

} // namespace portico::control::api
