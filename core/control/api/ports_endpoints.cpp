#include "core/control/api/ports_endpoints.h"

#include "core/provider/ports/ports_provider.h"

#include <QJsonArray>
#include <QJsonObject>

namespace portico::control::api {
namespace {

using provider::ports::PortsProvider;
using provider::ports::Proposal;

QJsonObject toJson(const Proposal &proposal)
{
    return QJsonObject {
        { QStringLiteral("id"), proposal.id },
        { QStringLiteral("port"), proposal.port },
        { QStringLiteral("addresses"), QJsonArray::fromStringList(proposal.addresses) },
        { QStringLiteral("pid"), proposal.pid },
        { QStringLiteral("executable"), proposal.executable },
        { QStringLiteral("commandLine"), proposal.commandLine },
        { QStringLiteral("workingDirectory"), proposal.workingDirectory },
        { QStringLiteral("kind"), proposal.kind },
        { QStringLiteral("title"), proposal.title },
        { QStringLiteral("proposedName"), proposal.proposedName },
        { QStringLiteral("url"), proposal.url },
        { QStringLiteral("published"), proposal.published },
    };
}

ApiResponse list(const PortsProvider &provider)
{
    QJsonArray proposals;
    for (const Proposal &proposal : provider.proposals())
        proposals.append(toJson(proposal));
    return ApiResponse::json(QJsonDocument(proposals));
}

/// 404 for an unknown id (the server stopped listening), 409 for a name already taken, 400 for
/// a name that is not a DNS label.
ApiResponse failure(const Error &error)
{
    const int status = error.message.startsWith(QLatin1String("unknown")) ? 404
        : error.message.contains(QLatin1String("already used"))           ? 409
                                                                          : 400;
    return ApiResponse::error(status, error.toString());
}

ApiResponse publish(PortsProvider &provider, const ApiRequest &request)
{
    QString name;
    if (!request.body.trimmed().isEmpty()) {
        const QJsonDocument body = QJsonDocument::fromJson(request.body);
        if (!body.isObject())
            return ApiResponse::error(400, QStringLiteral("body is not a JSON object"));
        const QJsonValue value = body.object().value(QLatin1String("name"));
        if (!value.isUndefined() && !value.isNull() && !value.isString())
            return ApiResponse::error(400, QStringLiteral("\"name\" must be a string"));
        name = value.toString();
    }
    const auto published = provider.publish(request.captures.value(0), name);
    return published.ok() ? ApiResponse::json(QJsonDocument(toJson(*published)))
                          : failure(published.error());
}

ApiResponse unpublish(PortsProvider &provider, const ApiRequest &request)
{
    const auto unpublished = provider.unpublish(request.captures.value(0));
    return unpublished.ok() ? ApiResponse::json(QJsonDocument(toJson(*unpublished)))
                            : failure(unpublished.error());
}

} // namespace

void registerPortsEndpoints(ApiRouter &router, provider::ports::PortsProvider &provider)
{
    router.add("GET", QStringLiteral("/api/portico/proposals"), Access::ReadOnly,
        [&provider](const ApiRequest &) { return list(provider); });
    router.add("PUT", QStringLiteral("/api/portico/proposals/{id}/publish"), Access::Mutating,
        [&provider](const ApiRequest &request) { return publish(provider, request); });
    router.add("DELETE", QStringLiteral("/api/portico/proposals/{id}/publish"), Access::Mutating,
        [&provider](const ApiRequest &request) { return unpublish(provider, request); });
}

} // namespace portico::control::api
