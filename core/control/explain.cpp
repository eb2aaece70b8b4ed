#include "core/control/explain.h"

#include "core/control/explain_rule.h"
#include "core/control/table_builder.h"
#include "core/http/request_target.h"
#include "core/service/sticky_cookie.h"

#include <QJsonArray>

#include <algorithm>

namespace portico::control {

namespace {

/// The request reduced to what the rules see (the entry point's target pipeline applied).
struct Facts
{
    QByteArray host;
    QByteArray path;
    QByteArray query;
    HeaderList headers;
    rules::RequestFacts view(const ExplainRequest &request) const
    {
        rules::RequestFacts facts;
        facts.host = host;
        facts.method = request.method;
        facts.path = path;
        facts.rawQuery = query;
        facts.headers = &headers;
        facts.clientIp = request.clientIp;
        return facts;
    }
};

Expected<Facts> factsOf(const ExplainRequest &request)
{
    const QString scheme = request.url.scheme().toLower();
    if ((scheme != u"http" && scheme != u"https") || request.url.host().isEmpty())
        return Error { QStringLiteral("invalid URL \"%1\"").arg(request.url.toString()), {},
            QStringLiteral("give an absolute http:// or https:// URL, e.g. "
                           "http://shop.localhost/cart") };
    Facts facts;
    facts.headers = request.headers;
    QByteArray authority = request.url.host(QUrl::FullyEncoded).toUtf8();
    if (authority.contains(':'))
        authority = '[' + authority + ']';
    if (request.url.port() > 0)
        authority += ':' + QByteArray::number(request.url.port());
    if (!facts.headers.contains("Host"))
        facts.headers.set("Host", authority);
    facts.host = http::canonicalHost(facts.headers.value("Host"));
    QByteArray target = request.url.path(QUrl::FullyEncoded).toUtf8();
    if (target.isEmpty())
        target = "/";
    if (request.url.hasQuery())
        target += '?' + request.url.query(QUrl::FullyEncoded).toUtf8();
    auto normalized = http::normalizeTarget(target);
    if (!normalized)
        return Error { QStringLiteral("invalid request target \"%1\": %2")
                           .arg(QString::fromUtf8(target), normalized.error().message),
            {}, {} };
    const qsizetype q = normalized->indexOf('?');
    facts.path = http::routingPath(q < 0 ? *normalized : normalized->left(q));
    facts.query = q < 0 ? QByteArray() : normalized->mid(q + 1);
    return facts;
}

bool isDefaultEntryPoint(const config::EntryPointSpec &spec, const ExplainContext &context)
{
    const bool anyDefault = std::any_of(context.entryPoints.begin(), context.entryPoints.end(),
        [](const config::EntryPointSpec &ep) { return ep.asDefault; });
    return spec.asDefault || !anyDefault;
}

/// The entry points to explain and why each was chosen.
Expected<std::vector<std::pair<QString, QString>>> chooseEntryPoints(
    const ExplainRequest &request, const ExplainContext &context)
{
    std::vector<std::pair<QString, QString>> chosen;
    if (!request.entryPoint.isEmpty()) {
        QStringList names;
        for (const auto &ep : context.entryPoints)
            names << ep.name;
        if (!names.contains(request.entryPoint))
            return Error { QStringLiteral("unknown entry point \"%1\"").arg(request.entryPoint), {},
                QStringLiteral("entry points: %1").arg(names.join(QStringLiteral(", "))) };
        chosen.emplace_back(request.entryPoint, QStringLiteral("given"));
        return chosen;
    }
    const int port = request.url.port(request.url.scheme().toLower() == u"https" ? 443 : 80);
    for (const auto &ep : context.entryPoints) {
        const auto bound = context.boundPorts.find(ep.name);
        const int epPort = bound != context.boundPorts.end() ? bound->second : ep.port;
        if (epPort == port)
            chosen.emplace_back(ep.name, QStringLiteral("listens on port %1").arg(port));
    }
    if (!chosen.empty())
        return chosen;
    for (const auto &ep : context.entryPoints) {
        if (isDefaultEntryPoint(ep, context))
            chosen.emplace_back(
                ep.name, QStringLiteral("default entry point (none listens on port %1)").arg(port));
    }
    return chosen;
}

/// A row for a router of the routing table, before its verdict.
struct Row
{
    RouterExplanation router;
    int rank = 0; ///< provider precedence (TableBuilder::providerRank)
    int routeId = -1; ///< index in the entry point's routes; -1 when not in this table
};

Row rowFor(const QString &name, const RuntimeState &state, bool tls)
{
    Row row;
    row.router.name = name;
    row.router.tls = tls;
    const auto it = state.routers.find(name);
    if (it != state.routers.end()) {
        row.router.rule = it->second.spec.rule;
        row.router.priority = it->second.priority;
        row.rank = TableBuilder::providerRank(it->second.provider);
    }
    return row;
}

/// Routers that would be on this entry point but are disabled.
void addDisabled(std::vector<Row> &rows, const QString &ep, const ExplainContext &context)
{
    const auto spec = std::find_if(context.entryPoints.begin(), context.entryPoints.end(),
        [&](const config::EntryPointSpec &e) { return e.name == ep; });
    const bool isDefault = spec != context.entryPoints.end() && isDefaultEntryPoint(*spec, context);
    for (const auto &[name, router] : context.state->routers) {
        if (router.status != Status::Disabled)
            continue;
        const bool here = router.using_.contains(ep) || router.spec.entryPoints.contains(ep)
            || (router.spec.entryPoints.isEmpty() && isDefault);
        if (!here)
            continue;
        Row row = rowFor(name, *context.state, router.spec.tls.has_value());
        row.router.verdict = Verdict::Disabled;
        QStringList errors;
        for (const Error &e : router.errors)
            errors << e.message;
        row.router.reason = QStringLiteral("disabled: %1")
                                .arg(errors.isEmpty() ? QStringLiteral("see its errors")
                                                      : errors.join(QStringLiteral("; ")));
        rows.push_back(std::move(row));
    }
}

void judge(Row &row, const Row *winner, const rules::RequestFacts &facts)
{
    RouterExplanation &r = row.router;
    const auto rule = rules::Rule::parse(r.rule);
    if (!rule || !rule->matches(facts)) {
        r.verdict = Verdict::NotMatched;
        r.reason = rule ? mismatchReason(r.rule, facts) : QStringLiteral("its rule is invalid");
    } else if (!winner) { // the table and the state disagree; report what the rule says
        r.verdict = Verdict::Matched;
        r.reason = QStringLiteral("matched");
    } else if (r.priority < winner->router.priority) {
        r.verdict = Verdict::Matched;
        r.reason = QStringLiteral("matched, but its priority %1 is lower than %2's %3")
                       .arg(r.priority)
                       .arg(winner->router.name)
                       .arg(winner->router.priority);
    } else {
        r.verdict = Verdict::Matched;
        r.reason = QStringLiteral("matched with the same priority %1 as %2, which comes first "
                                  "(provider order, then name)")
                       .arg(r.priority)
                       .arg(winner->router.name);
    }
}

/// Which server the balancer would choose, without advancing its round robin.
void explainServers(
    EntryPointExplanation &out, const service::LoadBalancer &balancer, const HeaderList &headers)
{
    std::vector<const service::Server *> healthy;
    for (const auto &server : balancer.servers()) {
        out.servers.push_back({ server->url, server->weight, server->healthy.load() });
        if (server->healthy && server->weight > 0)
            healthy.push_back(server.get());
    }
    const QByteArray cookieName = balancer.stickyCookieName();
    if (!cookieName.isEmpty()) {
        const QByteArray value
            = service::StickyCookie(balancer.name(), *balancer.spec().stickyCookie).read(headers);
        for (const service::Server *server : healthy) {
            if (!value.isNull() && value == service::StickyCookie::valueFor(server->url)) {
                out.chosenServer = server->url;
                out.serverNote = QStringLiteral("sticky cookie %1 names it")
                                     .arg(QString::fromUtf8(cookieName));
                return;
            }
        }
    }
    if (healthy.empty()) {
        out.serverNote = QStringLiteral("no healthy server: the request gets 503");
    } else if (healthy.size() == 1) {
        out.chosenServer = healthy.front()->url;
        out.serverNote = QStringLiteral("the only healthy server");
    } else {
        out.serverNote = QStringLiteral("weighted round robin over %1 healthy servers: the choice "
                                        "depends on the requests before it")
                             .arg(healthy.size());
    }
}

EntryPointExplanation explainEntryPoint(const QString &ep, const QString &why, bool secure,
    const ExplainRequest &request, const Facts &facts, const ExplainContext &context)
{
    EntryPointExplanation out;
    out.entryPoint = ep;
    out.why = why;
    out.tls = secure;
    const rules::RequestFacts view = facts.view(request);
    std::vector<Row> rows;
    const proxy::EntryPointRoutes *routes = context.table->forEntryPoint(ep, secure);
    const int winnerId = routes ? routes->rules.match(view) : -1;
    for (size_t i = 0; routes && i < routes->routes.size(); ++i) {
        rows.push_back(rowFor(routes->routes[i].router, *context.state, secure));
        rows.back().routeId = int(i);
    }
    if (const proxy::EntryPointRoutes *other = context.table->forEntryPoint(ep, !secure)) {
        for (const proxy::Route &route : other->routes) {
            Row row = rowFor(route.router, *context.state, !secure);
            row.router.verdict = Verdict::OtherScheme;
            row.router.reason = secure
                ? QStringLiteral("plain router: it serves http:// requests only")
                : QStringLiteral("TLS router: it serves https:// requests only");
            rows.push_back(std::move(row));
        }
    }
    addDisabled(rows, ep, context);
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
        if (a.router.priority != b.router.priority)
            return a.router.priority > b.router.priority;
        return std::tie(a.rank, a.router.name) < std::tie(b.rank, b.router.name);
    });
    const auto winner = std::find_if(rows.begin(), rows.end(),
        [&](const Row &r) { return r.routeId >= 0 && r.routeId == winnerId; });
    for (Row &row : rows) {
        if (row.routeId < 0)
            continue;
        if (winner != rows.end() && &row == &*winner) {
            row.router.verdict = Verdict::Winner;
            row.router.reason = QStringLiteral("matched with the highest priority");
        } else {
            judge(row, winner != rows.end() ? &*winner : nullptr, view);
        }
    }
    for (Row &row : rows)
        out.routers.push_back(std::move(row.router));
    if (winner == rows.end())
        return out;
    out.winner = int(winner - rows.begin());
    const proxy::Route &route = routes->routes[size_t(winnerId)];
    out.service = route.service;
    out.middlewares = route.middlewareNames;
    const auto state = context.state->routers.find(route.router);
    out.paused = state != context.state->routers.end() && state->second.paused;
    if (route.balancer)
        explainServers(out, *route.balancer, facts.headers);
    return out;
}

} // namespace

QString verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Winner:
        return QStringLiteral("winner");
    case Verdict::Matched:
        return QStringLiteral("matched");
    case Verdict::NotMatched:
        return QStringLiteral("not-matched");
    case Verdict::Disabled:
        return QStringLiteral("disabled");
    case Verdict::OtherScheme:
        return QStringLiteral("other-scheme");
    }
    return {};
}

Expected<Explanation> explain(const ExplainRequest &request, const ExplainContext &context)
{
    if (!context.table || !context.state)
        return Error { QStringLiteral("no routing table yet"), {},
            QStringLiteral("try again once the configuration has loaded") };
    auto facts = factsOf(request);
    if (!facts)
        return facts.error();
    auto entryPoints = chooseEntryPoints(request, context);
    if (!entryPoints)
        return entryPoints.error();
    Explanation out;
    out.method = request.method;
    out.host = facts->host;
    out.path = facts->path;
    out.query = facts->query;
    const bool secure = request.url.scheme().toLower() == u"https";
    for (const auto &[ep, why] : *entryPoints)
        out.entryPoints.push_back(explainEntryPoint(ep, why, secure, request, *facts, context));
    return out;
}

QJsonObject toJson(const Explanation &explanation)
{
    QJsonArray entryPoints;
    for (const EntryPointExplanation &ep : explanation.entryPoints) {
        QJsonArray routers;
        for (const RouterExplanation &r : ep.routers)
            routers.append(QJsonObject { { QStringLiteral("name"), r.name },
                { QStringLiteral("rule"), r.rule },
                { QStringLiteral("priority"), QString::number(r.priority) },
                { QStringLiteral("tls"), r.tls },
                { QStringLiteral("verdict"), verdictName(r.verdict) },
                { QStringLiteral("reason"), r.reason } });
        QJsonArray servers;
        for (const ServerExplanation &s : ep.servers)
            servers.append(QJsonObject { { QStringLiteral("url"), s.url },
                { QStringLiteral("weight"), s.weight }, { QStringLiteral("healthy"), s.healthy } });
        const bool found = ep.winner >= 0;
        entryPoints.append(QJsonObject { { QStringLiteral("entryPoint"), ep.entryPoint },
            { QStringLiteral("why"), ep.why }, { QStringLiteral("tls"), ep.tls },
            { QStringLiteral("winner"),
                found ? QJsonValue(ep.routers[size_t(ep.winner)].name) : QJsonValue() },
            { QStringLiteral("routers"), routers }, { QStringLiteral("service"), ep.service },
            { QStringLiteral("middlewares"), QJsonArray::fromStringList(ep.middlewares) },
            { QStringLiteral("paused"), ep.paused }, { QStringLiteral("servers"), servers },
            { QStringLiteral("server"), ep.chosenServer },
            { QStringLiteral("serverNote"), ep.serverNote } });
    }
    return QJsonObject {
        { QStringLiteral("request"),
            QJsonObject { { QStringLiteral("method"), QString::fromUtf8(explanation.method) },
                { QStringLiteral("host"), QString::fromUtf8(explanation.host) },
                { QStringLiteral("path"), QString::fromUtf8(explanation.path) },
                { QStringLiteral("query"), QString::fromUtf8(explanation.query) } } },
        { QStringLiteral("entryPoints"), entryPoints },
    };
}

} // namespace portico::control
