#include "core/control/api/state_endpoints.h"

#include "core/control/control_plane.h"
#include "core/control/qualified_name.h"
#include "core/control/runtime_state.h"
#include "core/provider/run/run_provider.h"
#include "core/provider/state/host_route.h"
#include "core/provider/state/state_provider.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

namespace portico::control::api {

namespace {

using provider::RunProvider;
using provider::StateProvider;

/// The shared context, kept alive by every handler that captures it.
using Context = std::shared_ptr<const StateEndpointsContext>;

QString urlOf(const Context &context, const QString &host)
{
    return context->urlFor ? context->urlFor(host) : QStringLiteral("http://") + host;
}

ApiResponse badRequest(const Error &error)
{
    return ApiResponse::error(400, error.toString());
}

/// The request body as a JSON object, or a 400 saying why not.
Expected<QJsonObject> bodyObject(const ApiRequest &request)
{
    const QJsonDocument body = QJsonDocument::fromJson(request.body);
    if (!body.isObject())
        return Error { QStringLiteral("the body is not a JSON object"), {}, {} };
    return body.object();
}

QJsonObject aliasJson(const Context &context, const QString &name, const QString &target)
{
    const QString host = provider::aliasHost(name);
    const QString router = qualify(name, QStringLiteral("state"));
    return QJsonObject { { QStringLiteral("name"), name }, { QStringLiteral("target"), target },
        { QStringLiteral("host"), host }, { QStringLiteral("url"), urlOf(context, host) },
        { QStringLiteral("router"), router },
        { QStringLiteral("paused"), context->state->state().paused.contains(router) } };
}

ApiResponse listAliases(const Context &context)
{
    QJsonArray aliases;
    for (const auto &[name, target] : context->state->state().aliases)
        aliases.append(aliasJson(context, name, target));
    return ApiResponse::json(QJsonDocument(aliases));
}

ApiResponse putAlias(const Context &context, const ApiRequest &request)
{
    auto body = bodyObject(request);
    if (!body)
        return badRequest(body.error());
    const QJsonValue value = body->value(QLatin1String("target"));
    const QString target = value.isDouble() ? QString::number(value.toInteger()) : value.toString();
    if (target.isEmpty())
        return ApiResponse::error(
            400, QStringLiteral("missing \"target\": a port (\"3000\") or an http(s) URL"));
    auto stored = context->state->setAlias(request.captures.value(0), target);
    if (!stored)
        return badRequest(stored.error());
    return ApiResponse::json(QJsonDocument(aliasJson(context, stored->first, stored->second)));
}

ApiResponse deleteAlias(const Context &context, const ApiRequest &request)
{
    const QString name = request.captures.value(0);
    auto removed = context->state->removeAlias(name);
    if (!removed)
        return ApiResponse::error(500, removed.error().toString());
    if (!*removed)
        return ApiResponse::error(404, QStringLiteral("no alias named \"%1\"").arg(name));
    return ApiResponse::noContent();
}

/// The qualified router `name` refers to: as given when qualified, else the one router of that
/// unqualified name (404 when none, 400 when several providers have one).
Expected<QString> resolveRouter(const Context &context, const QString &name, int &status)
{
    status = 404;
    const RuntimeState *runtime = context->runtime ? context->runtime() : nullptr;
    const QStringList paused = context->state->state().paused;
    if (name.contains(QLatin1Char('@'))) {
        if (!runtime || runtime->routers.count(name) || paused.contains(name))
            return name;
        return Error { QStringLiteral("router \"%1\" does not exist").arg(name), {}, {} };
    }
    QStringList matches;
    if (runtime) {
        for (const auto &[qualified, state] : runtime->routers) {
            if (qualified.section(QLatin1Char('@'), 0, 0) == name)
                matches << qualified;
        }
    }
    for (const QString &qualified : paused) {
        if (qualified.section(QLatin1Char('@'), 0, 0) == name && !matches.contains(qualified))
            matches << qualified;
    }
    if (matches.size() == 1)
        return matches.first();
    if (matches.isEmpty())
        return Error { QStringLiteral("router \"%1\" does not exist").arg(name), {},
            QStringLiteral("see \"portico list\" for the routers") };
    status = 400;
    return Error { QStringLiteral("router name \"%1\" is ambiguous").arg(name), {},
        QStringLiteral("say which: %1").arg(matches.join(QStringLiteral(", "))) };
}

ApiResponse setPaused(const Context &context, const ApiRequest &request, bool paused)
{
    int status = 404;
    auto router = resolveRouter(context, request.captures.value(0), status);
    if (!router)
        return ApiResponse::error(status, router.error().toString());
    auto changed = context->state->setPaused(*router, paused);
    if (!changed)
        return ApiResponse::error(500, changed.error().toString());
    return ApiResponse::json(QJsonDocument(QJsonObject {
        { QStringLiteral("router"), *router }, { QStringLiteral("paused"), paused } }));
}

QJsonObject runJson(const Context &context, const RunProvider::Run &run)
{
    return QJsonObject { { QStringLiteral("id"), run.id }, { QStringLiteral("name"), run.name },
        { QStringLiteral("host"), run.host }, { QStringLiteral("url"), urlOf(context, run.host) },
        { QStringLiteral("port"), run.port }, { QStringLiteral("pid"), run.pid },
        { QStringLiteral("router"), qualify(run.name, QStringLiteral("run")) } };
}

ApiResponse listRuns(const Context &context)
{
    QJsonArray runs;
    for (const RunProvider::Run &run : context->runs->runs())
        runs.append(runJson(context, run));
    return ApiResponse::json(QJsonDocument(runs));
}

ApiResponse postRun(const Context &context, const ApiRequest &request)
{
    auto body = bodyObject(request);
    if (!body)
        return badRequest(body.error());
    const QJsonValue port = body->value(QLatin1String("port"));
    const QJsonValue pid = body->value(QLatin1String("pid"));
    if (!body->value(QLatin1String("name")).isString() || !port.isDouble() || !pid.isDouble())
        return ApiResponse::error(400,
            QStringLiteral("expected {\"name\": string, \"port\": number, \"pid\": number}, got %1")
                .arg(QString::fromUtf8(request.body.left(200))));
    auto run = context->runs->add(
        body->value(QLatin1String("name")).toString(), port.toInt(), pid.toInteger());
    if (!run) {
        const bool taken = run.error().message.contains(QLatin1String("already routed"));
        return ApiResponse::error(taken ? 409 : 400, run.error().toString());
    }
    return ApiResponse::json(QJsonDocument(runJson(context, *run)), 201);
}

ApiResponse deleteRun(const Context &context, const ApiRequest &request)
{
    const QString id = request.captures.value(0);
    if (!context->runs->remove(id))
        return ApiResponse::error(404, QStringLiteral("no run with id \"%1\"").arg(id));
    return ApiResponse::noContent();
}

/// Every router's host names (from `Host(...)` in its rule) with the URL each is reached at;
/// what `portico list` shows and `portico hosts sync` writes.
ApiResponse listHosts(const Context &context)
{
    static const QRegularExpression hostCall(QStringLiteral("Host\\(([^)]*)\\)"));
    static const QRegularExpression quoted(QStringLiteral("[`\"]([^`\"]+)[`\"]"));
    QJsonArray hosts;
    const RuntimeState *runtime = context->runtime ? context->runtime() : nullptr;
    if (!runtime)
        return ApiResponse::json(QJsonDocument(hosts));
    for (const auto &[name, router] : runtime->routers) {
        for (const auto &call : hostCall.globalMatch(router.spec.rule)) {
            for (const auto &host : quoted.globalMatch(call.captured(1))) {
                hosts.append(QJsonObject { { QStringLiteral("router"), name },
                    { QStringLiteral("host"), host.captured(1).toLower() },
                    { QStringLiteral("url"), urlOf(context, host.captured(1).toLower()) },
                    { QStringLiteral("paused"), router.paused } });
            }
        }
    }
    return ApiResponse::json(QJsonDocument(hosts));
}

} // namespace

void registerStateEndpoints(ApiRouter &router, StateEndpointsContext context)
{
    Q_ASSERT(context.state && context.runs);
    const auto c = std::make_shared<const StateEndpointsContext>(std::move(context));
    router.add("GET", QStringLiteral("/api/portico/aliases"), Access::ReadOnly,
        [c](const ApiRequest &) { return listAliases(c); });
    router.add("PUT", QStringLiteral("/api/portico/aliases/{name}"), Access::Mutating,
        [c](const ApiRequest &request) { return putAlias(c, request); });
    router.add("DELETE", QStringLiteral("/api/portico/aliases/{name}"), Access::Mutating,
        [c](const ApiRequest &request) { return deleteAlias(c, request); });
    router.add("PUT", QStringLiteral("/api/portico/routers/{name}/pause"), Access::Mutating,
        [c](const ApiRequest &request) { return setPaused(c, request, true); });
    router.add("DELETE", QStringLiteral("/api/portico/routers/{name}/pause"), Access::Mutating,
        [c](const ApiRequest &request) { return setPaused(c, request, false); });
    router.add("GET", QStringLiteral("/api/portico/hosts"), Access::ReadOnly,
        [c](const ApiRequest &) { return listHosts(c); });
    router.add("GET", QStringLiteral("/api/portico/runs"), Access::ReadOnly,
        [c](const ApiRequest &) { return listRuns(c); });
    router.add("POST", QStringLiteral("/api/portico/runs"), Access::Mutating,
        [c](const ApiRequest &request) { return postRun(c, request); });
    router.add("DELETE", QStringLiteral("/api/portico/runs/{id}"), Access::Mutating,
        [c](const ApiRequest &request) { return deleteRun(c, request); });
}

std::function<QString(const QString &host)> routeUrls(
    const std::vector<config::EntryPointSpec> &entryPoints, std::map<QString, quint16> boundPorts)
{
    // Where a router without entryPoints is mounted: the asDefault ones, else all (TableBuilder).
    std::vector<config::EntryPointSpec> mounted;
    for (const auto &ep : entryPoints) {
        if (ep.asDefault)
            mounted.push_back(ep);
    }
    if (mounted.empty())
        mounted = entryPoints;
    QString scheme = QStringLiteral("http");
    quint16 port = 80;
    bool found = false;
    for (const auto &ep : mounted) {
        const bool tls = ep.tls.has_value();
        if (ep.redirection || (found && !tls))
            continue;
        scheme = tls ? QStringLiteral("https") : QStringLiteral("http");
        const auto bound = boundPorts.find(ep.name);
        port = bound != boundPorts.end() ? bound->second : ep.port;
        found = true;
        if (tls)
            break;
    }
    const bool defaultPort = port == 0 || (scheme == u"https" ? port == 443 : port == 80);
    const QString suffix = defaultPort ? QString() : QStringLiteral(":%1").arg(port);
    return [scheme, suffix](
               const QString &host) { return scheme + QStringLiteral("://") + host + suffix; };
}

ApiRegistration stateRegistration(provider::StateProvider &state, provider::RunProvider &runs,
    std::function<QString(const QString &host)> urlFor)
{
    return [&state, &runs, urlFor](ApiRouter &router, ControlPlane &plane) {
        // Runs on the control thread before the providers start, so the first paused set counts.
        QObject::connect(&state, &provider::StateProvider::pausedChanged, &plane,
            &ControlPlane::setPausedRouters);
        registerStateEndpoints(router,
            StateEndpointsContext { &state, &runs, [&plane] { return &plane.state(); }, urlFor });
    };
}

} // namespace portico::control::api
