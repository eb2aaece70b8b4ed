#include "core/control/table_builder.h"

#include "core/common/suggest.h"
#include "core/control/qualified_name.h"
#include "core/control/tcp_tables.h"
#include "core/control/tls_tables.h"
#include "core/control/transport_tables.h"
#include "core/middleware/paused.h"
#include "core/middleware/registry.h"

#include <algorithm>

namespace portico::control {

namespace {

Error errorAt(const SourceLocation &where, QString message, QString hint = {})
{
    return Error { std::move(message), where, std::move(hint) };
}

/// Re-roots an error reported relative to an object (`loadBalancer.servers[1].url`) at the
/// object's own location in its file.
Error rootedAt(const config::Origin &origin, Error error)
{
    SourceLocation where = origin.where;
    if (!error.where.path.isEmpty()) {
        const QString field = error.where.path.section(u'.', -1).section(u'[', 0, 0);
        where = origin.at(field);
        where.path = origin.where.path + u'.' + error.where.path;
    }
    if (error.where.line > 0) {
        where.line = error.where.line;
        where.column = error.where.column;
    }
    error.where = where;
    return error;
}

/// A runtime object for `spec` from `provider`, disabled when the config layer found errors in it.
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

void disable(ObjectState &object, Error error)
{
    object.status = Status::Disabled;
    object.errors.push_back(std::move(error));
}

} // namespace

/// State of one build; the steps below fill it in order: services, middlewares, routers.
struct TableBuilder::Build
{
    const std::vector<config::EntryPointSpec> &entryPoints;
    const Balancers &previous;
    Result result;
    std::map<QString, middleware::MiddlewarePtr> middlewares; ///< enabled ones only

    struct Candidate
    {
        int rank;
        QString router;
        rules::Rule rule;
        qint64 priority;
        proxy::Route route;
        bool tls = false; ///< serves TLS connections only (else plain ones only)
        tls::ServerOptionsPtr tlsOptions;
    };
    std::map<QString, std::vector<Candidate>> candidates; ///< by entry point
    TlsTables tls; ///< certificates, TLS options, which routers serve TLS
    TransportTables transports; ///< `http.serversTransports`, by qualified name

    void addServices(const QString &provider, const config::DynamicConfig &config);
    void addMiddlewares(const QString &provider, const config::DynamicConfig &config);
    void addRouters(const QString &provider, const config::DynamicConfig &config);
    void addRouter(const QString &provider, const config::RouterSpec &spec);
    QStringList routerEntryPoints(const config::RouterSpec &spec, RouterState &state) const;
    bool resolveService(RouterState &state, const QString &provider);
    std::vector<middleware::MiddlewarePtr> resolveMiddlewares(
        RouterState &state, const QStringList &qualified);
    const config::EntryPointSpec *entryPoint(const QString &name) const;
    void compileTables(quint64 generation);
};

TableBuilder::TableBuilder(std::vector<config::EntryPointSpec> entryPoints)
    : m_entryPoints(std::move(entryPoints))
{ }

int TableBuilder::providerRank(const QString &provider)
{
    static const QStringList order { QStringLiteral("internal"), QStringLiteral("run"),
        QStringLiteral("state"), QStringLiteral("docker"), QStringLiteral("file"),
        QStringLiteral("ports") };
    const qsizetype rank = order.indexOf(provider);
    return rank < 0 ? int(order.size()) : int(rank);
}

TableBuilder::Result TableBuilder::build(
    const Snapshots &given, quint64 generation, const Balancers &previous) const
{
    const std::optional<Snapshots> redirected = withEntryPointRedirections(given, m_entryPoints);
    const Snapshots &snapshots = redirected ? *redirected : given;
    Build b { m_entryPoints, previous, {}, {}, {}, {}, {} };
    b.result.state.generation = generation;
    b.tls.build(snapshots, b.result.state);
    b.transports.build(snapshots, b.result.state);
    for (const auto &[provider, config] : snapshots) {
        b.result.state.errors.insert(
            b.result.state.errors.end(), config.errors.begin(), config.errors.end());
        b.addServices(provider, config);
        b.addMiddlewares(provider, config);
    }
    for (const auto &[provider, config] : snapshots)
        b.addRouters(provider, config);
    for (auto &[ep, list] : b.candidates) {
        for (Build::Candidate &c : list) {
            if (m_paused.contains(c.router))
                c.route.middlewares.insert(
                    c.route.middlewares.begin(), middleware::pausedPage(c.router));
        }
    }
    for (auto &[name, router] : b.result.state.routers)
        router.paused = m_paused.contains(name);
    b.compileTables(generation);
    addTcpRoutes(snapshots, m_entryPoints, b.result);
    return std::move(b.result);
}

void TableBuilder::Build::addServices(const QString &provider, const config::DynamicConfig &config)
{
    for (const config::ServiceSpec &spec : config.services) {
        auto state = stateFor<ServiceState>(spec, provider);
        if (state.status != Status::Disabled && !spec.loadBalancer)
            disable(state,
                errorAt(spec.origin.where, QStringLiteral("the service has no loadBalancer")));
        const auto transport = state.status != Status::Disabled
            ? transports.resolve(spec, provider)
            : Expected<TransportPtr>(TransportPtr());
        if (!transport)
            disable(state, transport.error());
        if (state.status != Status::Disabled) {
            const auto old = previous.find(state.name);
            if (old != previous.end() && old->second->sameSpec(*spec.loadBalancer)
                && TransportTables::same(old->second->transport(), *transport)) {
                result.balancers[state.name] = old->second;
            } else {
                auto created = service::LoadBalancer::create(state.name, *spec.loadBalancer);
                if (created) {
                    created.value()->setTransport(*transport);
                    result.balancers[state.name] = std::move(created.value());
                } else {
                    disable(state, rootedAt(spec.origin, created.error()));
                }
            }
        }
        result.state.services.emplace(state.name, std::move(state));
    }
}

void TableBuilder::Build::addMiddlewares(
    const QString &provider, const config::DynamicConfig &config)
{
    for (const config::MiddlewareSpec &spec : config.middlewares) {
        auto state = stateFor<MiddlewareState>(spec, provider);
        if (state.status != Status::Disabled) {
            auto created = middleware::builtinMiddlewares().create(spec.kind, spec.options);
            if (created)
                middlewares[state.name] = std::move(created.value());
            else
                disable(state, created.error());
        }
        result.state.middlewares.emplace(state.name, std::move(state));
    }
}

void TableBuilder::Build::addRouters(const QString &provider, const config::DynamicConfig &config)
{
    for (const config::RouterSpec &spec : config.routers)
        addRouter(provider, spec);
}

const config::EntryPointSpec *TableBuilder::Build::entryPoint(const QString &name) const
{
    const auto it = std::find_if(entryPoints.begin(), entryPoints.end(),
        [&](const config::EntryPointSpec &ep) { return ep.name == name; });
    return it == entryPoints.end() ? nullptr : &*it;
}

QStringList TableBuilder::Build::routerEntryPoints(
    const config::RouterSpec &spec, RouterState &state) const
{
    QStringList names;
    if (spec.entryPoints.isEmpty()) {
        for (const auto &ep : entryPoints) {
            if (ep.asDefault)
                names << ep.name;
        }
        if (names.isEmpty()) {
            for (const auto &ep : entryPoints)
                names << ep.name;
        }
        return names;
    }
    for (const QString &name : spec.entryPoints) {
        if (entryPoint(name)) {
            names << name;
            continue;
        }
        QStringList known;
        for (const auto &ep : entryPoints)
            known << ep.name;
        state.errors.push_back(errorAt(spec.origin.at(QStringLiteral("entryPoints")),
            QStringLiteral("entryPoint \"%1\" doesn't exist").arg(name), didYouMean(name, known)));
    }
    return names;
}

bool TableBuilder::Build::resolveService(RouterState &state, const QString &provider)
{
    const config::RouterSpec &spec = state.spec;
    const SourceLocation where = spec.origin.at(QStringLiteral("service"));
    if (spec.service.isEmpty())
        return false; // the config layer already reported the missing field
    state.service = resolveReference(spec.service, provider);
    const auto it = result.state.services.find(state.service);
    if (it == result.state.services.end()) {
        disable(state,
            errorAt(where, QStringLiteral("the service \"%1\" does not exist").arg(state.service)));
        return false;
    }
    it->second.usedBy << state.name;
    if (it->second.status == Status::Disabled) {
        disable(state,
            errorAt(where, QStringLiteral("the service \"%1\" is in error").arg(state.service)));
        return false;
    }
    return true;
}

std::vector<middleware::MiddlewarePtr> TableBuilder::Build::resolveMiddlewares(
    RouterState &state, const QStringList &qualified)
{
    std::vector<middleware::MiddlewarePtr> chain;
    const SourceLocation where = state.spec.origin.at(QStringLiteral("middlewares"));
    for (const QString &name : qualified) {
        const auto known = result.state.middlewares.find(name);
        if (known != result.state.middlewares.end())
            known->second.usedBy << state.name;
        const auto it = middlewares.find(name);
        if (it != middlewares.end()) {
            chain.push_back(it->second);
            continue;
        }
        const bool exists = known != result.state.middlewares.end();
        disable(state,
            errorAt(where,
                exists ? QStringLiteral("middleware \"%1\" is in error").arg(name)
                       : QStringLiteral("middleware \"%1\" does not exist").arg(name)));
    }
    return chain;
}

void TableBuilder::Build::addRouter(const QString &provider, const config::RouterSpec &spec)
{
    auto state = stateFor<RouterState>(spec, provider);

    auto rule = rules::Rule::parse(spec.rule);
    if (!rule && spec.rule.isEmpty()) {
        state.status = Status::Disabled; // the config layer already reported the missing rule
    } else if (!rule) {
        const Error &e = rule.error();
        disable(state,
            errorAt(spec.origin.at(QStringLiteral("rule")),
                QStringLiteral("invalid rule at column %1: %2").arg(e.where.column).arg(e.message),
                e.hint));
    }
    state.priority = spec.priority != 0 ? spec.priority : (rule ? rule->defaultPriority() : 0);
    const size_t entryPointErrors = state.errors.size();
    state.using_ = routerEntryPoints(spec, state);
    state.using_.sort();
    if (state.using_.isEmpty())
        disable(state,
            errorAt(spec.origin.where, QStringLiteral("the router has no valid entry point")));
    else if (state.errors.size() > entryPointErrors && state.status == Status::Enabled)
        state.status = Status::Warning;

    resolveService(state, provider);
    QStringList own;
    for (const QString &name : spec.middlewares)
        own << resolveReference(name, provider);
    const auto ownChain = resolveMiddlewares(state, own);

    if (state.status != Status::Disabled) {
        for (const QString &epName : std::as_const(state.using_)) {
            QStringList epNames;
            for (const QString &name : entryPoint(epName)->middlewares)
                epNames << resolveReference(name, provider);
            auto chain = resolveMiddlewares(state, epNames);
            if (state.status == Status::Disabled)
                break;
            chain.insert(chain.end(), ownChain.begin(), ownChain.end());
            proxy::Route route { state.name, state.service, std::move(chain), epNames + own,
                result.balancers.at(state.service) };
            const bool secure = TlsTables::servesTls(spec, *entryPoint(epName));
            auto options = secure ? tls.optionsFor(spec, provider, *entryPoint(epName))
                                  : Expected<tls::ServerOptionsPtr>(nullptr);
            if (!options) {
                disable(state, options.error());
                break;
            }
            candidates[epName].push_back({ providerRank(provider), state.name, *rule,
                state.priority, std::move(route), secure, *options });
        }
    }
    if (state.status == Status::Disabled) {
        for (auto &[ep, list] : candidates)
            list.erase(std::remove_if(list.begin(), list.end(),
                           [&](const Candidate &c) { return c.router == state.name; }),
                list.end());
    }
    state.middlewares = own;
    result.state.routers.emplace(state.name, std::move(state));
}

void TableBuilder::Build::compileTables(quint64 generation)
{
    auto table = std::make_shared<proxy::RoutingTable>();
    table->generation = generation;
    for (auto &[epName, list] : candidates) {
        // Ties of equal priority: provider precedence, then name (RuleTable keeps input order).
        std::sort(list.begin(), list.end(), [](const Candidate &a, const Candidate &b) {
            return std::tie(a.rank, a.router) < std::tie(b.rank, b.router);
        });
        proxy::EntryPointRoutes routes, secure;
        std::vector<rules::RuleTable::Entry> entries, secureEntries;
        for (Candidate &c : list) {
            auto &into = c.tls ? secure : routes;
            if (c.tls)
                tls.noteHosts(epName, c.rule, c.tlsOptions);
            (c.tls ? secureEntries : entries)
                .push_back({ c.rule, c.priority, int(into.routes.size()) });
            into.routes.push_back(std::move(c.route));
        }
        routes.rules = rules::RuleTable(std::move(entries));
        secure.rules = rules::RuleTable(std::move(secureEntries));
        table->entryPoints.emplace(epName, std::move(routes));
        table->tlsEntryPoints.emplace(epName, std::move(secure));
    }
    tls.finish(*table);
    for (auto &[name, service] : result.state.services) {
        service.usedBy.sort();
        const auto balancer = result.balancers.find(name);
        if (balancer == result.balancers.end())
            continue;
        for (const auto &server : balancer->second->servers())
            service.serverStatus[server->url]
                = server->healthy ? QStringLiteral("UP") : QStringLiteral("DOWN");
    }
    for (auto &[name, mw] : result.state.middlewares) {
        mw.usedBy.removeDuplicates();
        mw.usedBy.sort();
    }
    result.table = std::move(table);
}

} // namespace portico::control
