#include "core/control/tcp_tables.h"

#include "core/common/suggest.h"
#include "core/control/qualified_name.h"
#include "core/control/tls_tables.h"
#include "core/proxy/tcp_routing.h"
#include "core/rules/tcp_rule.h"

#include <algorithm>
#include <optional>
#include <set>

namespace portico::control {

namespace {

Error errorAt(const SourceLocation &where, QString message, QString hint = {})
{
    return Error { std::move(message), where, std::move(hint) };
}

void disable(ObjectState &object, Error error)
{
    object.status = Status::Disabled;
    object.errors.push_back(std::move(error));
}

void warn(ObjectState &object, Error error)
{
    if (object.status == Status::Enabled)
        object.status = Status::Warning;
    object.errors.push_back(std::move(error));
}

template <typename State, typename Spec> State stateFor(const Spec &spec, const QString &provider)
{
    State state;
    state.name = qualify(spec.name, provider);
    state.provider = provider;
    state.spec = spec;
    state.errors = spec.origin.errors;
    if (!state.errors.empty())
        state.status = Status::Disabled;
    return state;
}

struct Candidate
{
    int rank;
    QString router;
    rules::Rule rule;
    qint64 priority;
    proxy::TcpRoute route;
};

/// One build of the TCP tables; the steps run in order: services, middlewares, routers, compile.
struct TcpBuild
{
    const std::vector<config::EntryPointSpec> &entryPoints;
    TableBuilder::Result &result;
    std::map<QString, proxy::TcpBalancerPtr> balancers; ///< enabled services only
    std::map<QString, std::vector<rules::IpNetwork>> allowLists; ///< enabled middlewares only
    std::map<QString, std::vector<Candidate>> candidates; ///< by entry point
    std::map<QString, std::pair<QString, config::TcpServiceSpec>> pendingWeighted;

    RuntimeState &state() { return result.state; }
    void addService(const QString &provider, const config::TcpServiceSpec &spec);
    proxy::TcpBalancerPtr resolveWeighted(const QString &name, std::set<QString> &visiting);
    void addMiddleware(const QString &provider, const config::TcpMiddlewareSpec &spec);
    void addRouter(const QString &provider, const config::TcpRouterSpec &spec);
    std::optional<rules::Rule> checkRule(const config::TcpRouterSpec &spec, TcpRouterState &router);
    void resolveService(const QString &provider, TcpRouterState &router, proxy::TcpRoute &route);
    void resolveMiddlewares(
        const QString &provider, TcpRouterState &router, proxy::TcpRoute &route);
    QStringList routerEntryPoints(const config::TcpRouterSpec &spec, TcpRouterState &state) const;
    std::shared_ptr<proxy::TcpRoutingTable> compile() const;
    void noteHttpsRouters(proxy::TcpEntryPointRoutes &routes, const QString &ep) const;
};

void TcpBuild::addService(const QString &provider, const config::TcpServiceSpec &spec)
{
    auto service = stateFor<TcpServiceState>(spec, provider);
    if (service.status != Status::Disabled && spec.loadBalancer) {
        std::vector<proxy::TcpTarget> targets;
        for (const config::TcpServerSpec &server : spec.loadBalancer->servers) {
            proxy::TcpTarget target;
            server.split(&target.host, &target.port);
            target.tls = server.tls;
            target.terminationDelay = spec.loadBalancer->terminationDelay;
            target.address = server.address;
            targets.push_back(std::move(target));
        }
        balancers[service.name] = proxy::TcpBalancer::servers(std::move(targets));
    } else if (service.status != Status::Disabled && spec.weighted) {
        pendingWeighted[service.name] = { provider, spec };
    }
    state().tcpServices.emplace(service.name, std::move(service));
}

/// A `weighted` service's children, resolved depth first; a cycle or a missing or broken child
/// disables the service.
proxy::TcpBalancerPtr TcpBuild::resolveWeighted(const QString &name, std::set<QString> &visiting)
{
    if (const auto done = balancers.find(name); done != balancers.end())
        return done->second;
    const auto pending = pendingWeighted.find(name);
    if (pending == pendingWeighted.end())
        return nullptr;
    TcpServiceState &service = state().tcpServices.at(name);
    if (service.status == Status::Disabled)
        return nullptr; // resolved before, as part of a cycle
    const auto &[provider, spec] = pending->second;
    const SourceLocation where = spec.origin.at(QStringLiteral("weighted"));
    visiting.insert(name);
    std::vector<std::pair<proxy::TcpBalancerPtr, int>> children;
    for (const config::TcpWeightedSpec::Child &child : spec.weighted->services) {
        const QString qualified = resolveReference(child.name, provider);
        if (visiting.count(qualified)) {
            disable(service,
                errorAt(where,
                    qualified == name
                        ? QStringLiteral("weighted service \"%1\" refers to itself").arg(name)
                        : QStringLiteral("weighted services refer to each other in a "
                                         "cycle through \"%1\"")
                              .arg(qualified)));
            continue;
        }
        proxy::TcpBalancerPtr balancer = resolveWeighted(qualified, visiting);
        if (!balancer) {
            const bool exists = state().tcpServices.count(qualified) > 0;
            QStringList known;
            for (const auto &[n, s] : state().tcpServices)
                known << n;
            disable(service,
                errorAt(where,
                    exists ? QStringLiteral("the service \"%1\" is in error").arg(qualified)
                           : QStringLiteral("the service \"%1\" does not exist").arg(qualified),
                    exists ? QString() : didYouMean(qualified, known)));
            continue;
        }
        children.emplace_back(balancer, child.weight);
    }
    visiting.erase(name);
    if (service.status == Status::Disabled)
        return nullptr;
    return balancers[name] = proxy::TcpBalancer::weighted(children);
}

void TcpBuild::addMiddleware(const QString &provider, const config::TcpMiddlewareSpec &spec)
{
    auto middleware = stateFor<TcpMiddlewareState>(spec, provider);
    if (middleware.status != Status::Disabled && spec.kind == u"inFlightConn")
        disable(middleware,
            errorAt(spec.origin.at(QStringLiteral("inFlightConn")),
                QStringLiteral("the inFlightConn middleware is not supported yet")));
    if (middleware.status != Status::Disabled && spec.kind == u"ipAllowList") {
        std::vector<rules::IpNetwork> networks;
        for (const QString &range : spec.sourceRange) {
            const auto network = rules::IpNetwork::parse(range.trimmed().toLatin1());
            if (network)
                networks.push_back(*network);
            else
                disable(middleware,
                    errorAt(spec.origin.at(QStringLiteral("ipAllowList.sourceRange")),
                        QStringLiteral("invalid sourceRange \"%1\"").arg(range),
                        QStringLiteral("expected an IP or a CIDR such as 192.168.1.0/24")));
        }
        if (spec.sourceRange.isEmpty())
            disable(middleware,
                errorAt(spec.origin.where, QStringLiteral("sourceRange is empty"),
                    QStringLiteral("list the IPs or CIDRs allowed to connect")));
        if (middleware.status != Status::Disabled)
            allowLists[middleware.name] = std::move(networks);
    }
    state().tcpMiddlewares.emplace(middleware.name, std::move(middleware));
}

QStringList TcpBuild::routerEntryPoints(
    const config::TcpRouterSpec &spec, TcpRouterState &router) const
{
    QStringList names, known, defaults;
    for (const auto &ep : entryPoints) {
        known << ep.name;
        if (ep.asDefault)
            defaults << ep.name;
    }
    if (spec.entryPoints.isEmpty())
        return defaults.isEmpty() ? known : defaults;
    for (const QString &name : spec.entryPoints) {
        if (known.contains(name))
            names << name;
        else
            warn(router,
                errorAt(spec.origin.at(QStringLiteral("entryPoints")),
                    QStringLiteral("entryPoint \"%1\" doesn't exist").arg(name),
                    didYouMean(name, known)));
    }
    return names;
}

/// The router's rule, or nullopt (then the router is disabled with the parse error); warns about
/// rules that can never match and TLS options it cannot apply yet.
std::optional<rules::Rule> TcpBuild::checkRule(
    const config::TcpRouterSpec &spec, TcpRouterState &router)
{
    auto rule = rules::parseTcpRule(spec.rule);
    if (!rule && !spec.rule.isEmpty()) {
        const Error &e = rule.error();
        disable(router,
            errorAt(spec.origin.at(QStringLiteral("rule")),
                QStringLiteral("invalid rule at column %1: %2").arg(e.where.column).arg(e.message),
                e.hint));
    } else if (!rule) {
        router.status = Status::Disabled; // the config layer reported the missing rule
    }
    // Traefik replaces priority 0 by len(rule) at runtime, whether the rule parses or not.
    router.priority = spec.priority != 0 ? spec.priority : qint64(spec.rule.toUtf8().size());
    if (rule && !spec.tls && rule->requiredHosts())
        warn(router,
            errorAt(spec.origin.at(QStringLiteral("rule")),
                QStringLiteral("HostSNI never matches a router without tls: plain TCP "
                               "connections carry no server name"),
                QStringLiteral("add tls: {passthrough: true} (or tls: {}) or use "
                               "HostSNI(`*`)")));
    if (spec.tls && !spec.tls->options.isEmpty())
        warn(router,
            errorAt(spec.origin.at(QStringLiteral("tls.options")),
                QStringLiteral("tls.options on TCP routers is not supported yet; the "
                               "default TLS options are used")));
    if (!rule)
        return std::nullopt;
    return *rule;
}

/// Links the router to its TCP service (recording usedBy); a missing or broken one disables it.
void TcpBuild::resolveService(
    const QString &provider, TcpRouterState &router, proxy::TcpRoute &route)
{
    const config::TcpRouterSpec &spec = router.spec;
    if (spec.service.isEmpty())
        return; // the config layer reported the missing field
    router.service = resolveReference(spec.service, provider);
    route.service = router.service;
    const auto it = state().tcpServices.find(router.service);
    const SourceLocation where = spec.origin.at(QStringLiteral("service"));
    if (it == state().tcpServices.end()) {
        QStringList known;
        for (const auto &[name, s] : state().tcpServices)
            known << name;
        disable(router,
            errorAt(where, QStringLiteral("the service \"%1\" does not exist").arg(router.service),
                didYouMean(router.service, known)));
        return;
    }
    it->second.usedBy << router.name;
    if (it->second.status == Status::Disabled)
        disable(router,
            errorAt(where, QStringLiteral("the service \"%1\" is in error").arg(router.service)));
    else
        route.balancer = balancers.at(router.service);
}

/// The router's ipAllowList middlewares, in order; a missing or broken one disables it.
void TcpBuild::resolveMiddlewares(
    const QString &provider, TcpRouterState &router, proxy::TcpRoute &route)
{
    for (const QString &name : router.spec.middlewares) {
        const QString qualified = resolveReference(name, provider);
        router.middlewares << qualified;
        const auto known = state().tcpMiddlewares.find(qualified);
        if (known != state().tcpMiddlewares.end())
            known->second.usedBy << router.name;
        const auto list = allowLists.find(qualified);
        if (list != allowLists.end()) {
            route.allowLists.push_back(list->second);
            continue;
        }
        disable(router,
            errorAt(router.spec.origin.at(QStringLiteral("middlewares")),
                known != state().tcpMiddlewares.end()
                    ? QStringLiteral("middleware \"%1\" is in error").arg(qualified)
                    : QStringLiteral("middleware \"%1\" does not exist").arg(qualified)));
    }
}

void TcpBuild::addRouter(const QString &provider, const config::TcpRouterSpec &spec)
{
    auto router = stateFor<TcpRouterState>(spec, provider);
    const std::optional<rules::Rule> rule = checkRule(spec, router);
    router.using_ = routerEntryPoints(spec, router);
    router.using_.sort();
    if (router.using_.isEmpty())
        disable(router,
            errorAt(spec.origin.where, QStringLiteral("no valid entryPoint for this router")));
    proxy::TcpRoute route;
    route.router = router.name;
    route.tls = spec.tls.has_value();
    route.passthrough = spec.tls && spec.tls->passthrough;
    resolveService(provider, router, route);
    resolveMiddlewares(provider, router, route);
    if (router.status != Status::Disabled && rule) {
        for (const QString &ep : std::as_const(router.using_))
            candidates[ep].push_back({ TableBuilder::providerRank(provider), router.name, *rule,
                router.priority, route });
    }
    state().tcpRouters.emplace(router.name, std::move(router));
}

/// HTTPS routers on `ep`: their Host() names take precedence over TCP routers for that SNI.
void TcpBuild::noteHttpsRouters(proxy::TcpEntryPointRoutes &routes, const QString &ep) const
{
    const auto spec = std::find_if(entryPoints.begin(), entryPoints.end(),
        [&](const config::EntryPointSpec &e) { return e.name == ep; });
    if (spec == entryPoints.end())
        return;
    for (const auto &[name, router] : result.state.routers) {
        if (router.status == Status::Disabled || !router.using_.contains(ep)
            || !TlsTables::servesTls(router.spec, *spec))
            continue;
        routes.hasHttpsRouters = true;
        const auto rule = rules::Rule::parse(router.spec.rule);
        if (!rule || !rule->requiredHosts())
            continue;
        for (const QByteArray &host : rule->requiredHosts()->exact)
            routes.httpsHosts.insert(host);
        for (const QByteArray &suffix : rule->requiredHosts()->wildcardSuffixes)
            routes.httpsWildcardSuffixes.push_back(suffix);
    }
}

std::shared_ptr<proxy::TcpRoutingTable> TcpBuild::compile() const
{
    auto table = std::make_shared<proxy::TcpRoutingTable>();
    for (auto [ep, list] : candidates) {
        // Ties of equal priority: provider precedence, then name (RuleTable keeps input order).
        std::sort(list.begin(), list.end(), [](const Candidate &a, const Candidate &b) {
            return std::tie(a.rank, a.router) < std::tie(b.rank, b.router);
        });
        proxy::TcpEntryPointRoutes routes;
        std::vector<rules::RuleTable::Entry> plain, secure;
        for (Candidate &c : list) {
            auto &entries = c.route.tls ? secure : plain;
            auto &into = c.route.tls ? routes.tlsRoutes : routes.plainRoutes;
            entries.push_back({ c.rule, c.priority, int(into.size()) });
            into.push_back(std::move(c.route));
        }
        routes.plainRules = rules::RuleTable(std::move(plain));
        routes.tlsRules = rules::RuleTable(std::move(secure));
        noteHttpsRouters(routes, ep);
        table->entryPoints.emplace(ep, std::move(routes));
    }
    return table;
}

} // namespace

void addTcpRoutes(const Snapshots &snapshots,
    const std::vector<config::EntryPointSpec> &entryPoints, TableBuilder::Result &result)
{
    TcpBuild b { entryPoints, result, {}, {}, {}, {} };
    bool anyRouter = false;
    for (const auto &[provider, config] : snapshots) {
        for (const config::TcpServiceSpec &spec : config.tcpServices)
            b.addService(provider, spec);
        for (const config::TcpMiddlewareSpec &spec : config.tcpMiddlewares)
            b.addMiddleware(provider, spec);
        anyRouter = anyRouter || !config.tcpRouters.empty();
    }
    std::vector<QString> weighted;
    for (const auto &[name, pending] : b.pendingWeighted)
        weighted.push_back(name);
    for (const QString &name : weighted) {
        std::set<QString> visiting;
        b.resolveWeighted(name, visiting);
    }
    for (const auto &[provider, config] : snapshots) {
        for (const config::TcpRouterSpec &spec : config.tcpRouters)
            b.addRouter(provider, spec);
    }
    for (auto &[name, service] : result.state.tcpServices) {
        service.usedBy.sort();
        const auto balancer = b.balancers.find(name);
        if (service.usedBy.isEmpty() || balancer == b.balancers.end() || !service.spec.loadBalancer)
            continue;
        for (const proxy::TcpTarget *target : balancer->second->allTargets())
            service.serverStatus[target->address] = QStringLiteral("UP");
    }
    for (auto &[name, middleware] : result.state.tcpMiddlewares) {
        middleware.usedBy.removeDuplicates();
        middleware.usedBy.sort();
    }
    if (!anyRouter || !result.table)
        return;
    auto table = std::make_shared<proxy::RoutingTable>(*result.table);
    table->tcp = b.compile();
    result.table = std::move(table);
}

} // namespace portico::control
