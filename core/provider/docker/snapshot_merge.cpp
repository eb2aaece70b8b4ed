#include "core/provider/docker/snapshot_merge.h"

#include <algorithm>

namespace portico::provider::docker {

namespace {

bool sameTls(
    const std::optional<config::RouterTlsSpec> &a, const std::optional<config::RouterTlsSpec> &b)
{
    if (a.has_value() != b.has_value())
        return false;
    if (!a)
        return true;
    if (a->options != b->options || a->certResolver != b->certResolver
        || a->domains.size() != b->domains.size())
        return false;
    for (size_t i = 0; i < a->domains.size(); ++i) {
        if (a->domains[i].main != b->domains[i].main || a->domains[i].sans != b->domains[i].sans)
            return false;
    }
    return true;
}

bool same(const config::RouterSpec &a, const config::RouterSpec &b)
{
    return a.rule == b.rule && a.service == b.service && a.middlewares == b.middlewares
        && a.priority == b.priority && a.entryPoints == b.entryPoints && sameTls(a.tls, b.tls);
}

bool same(const config::MiddlewareSpec &a, const config::MiddlewareSpec &b)
{
    return a.kind == b.kind && YAML::Dump(a.options.yaml()) == YAML::Dump(b.options.yaml());
}

/// Pools the servers of `b` into `a` when both balancers are otherwise equal.
bool pool(config::ServiceSpec &a, const config::ServiceSpec &b)
{
    if (!a.loadBalancer || !b.loadBalancer)
        return false;
    config::LoadBalancerSpec left = *a.loadBalancer, right = *b.loadBalancer;
    left.servers.clear();
    right.servers.clear();
    if (!(left == right))
        return false;
    for (const config::ServerSpec &server : b.loadBalancer->servers) {
        auto &servers = a.loadBalancer->servers;
        const bool known = std::any_of(servers.begin(), servers.end(),
            [&](const config::ServerSpec &s) { return s.url == server.url; });
        if (!known)
            servers.push_back(server);
    }
    return true;
}

bool merge(config::ServiceSpec &a, const config::ServiceSpec &b)
{
    return pool(a, b);
}
bool merge(config::RouterSpec &a, const config::RouterSpec &b)
{
    return same(a, b);
}
bool merge(config::MiddlewareSpec &a, const config::MiddlewareSpec &b)
{
    return same(a, b);
}

template <typename Spec> void add(std::vector<Spec> &into, const Spec &object, const QString &kind)
{
    const auto it = std::find_if(
        into.begin(), into.end(), [&](const Spec &s) { return s.name == object.name; });
    if (it == into.end()) {
        into.push_back(object);
        return;
    }
    if (merge(*it, object))
        return;
    const QString message
        = QStringLiteral("%1 \"%2\" defined multiple times with different configurations")
              .arg(kind, object.name);
    const bool known = std::any_of(it->origin.errors.begin(), it->origin.errors.end(),
        [&](const Error &e) { return e.message == message; });
    if (!known)
        it->origin.errors.push_back(Error { message, object.origin.where,
            QStringLiteral("containers sharing a name must use the same labels") });
}

} // namespace

config::DynamicConfig mergeContainers(std::vector<ContainerRoutes> containers)
{
    std::sort(containers.begin(), containers.end(),
        [](const ContainerRoutes &a, const ContainerRoutes &b) { return a.key < b.key; });
    config::DynamicConfig out;
    for (const ContainerRoutes &container : containers) {
        const config::DynamicConfig &c = container.config;
        for (const auto &router : c.routers)
            add(out.routers, router, QStringLiteral("router"));
        for (const auto &service : c.services)
            add(out.services, service, QStringLiteral("service"));
        for (const auto &middleware : c.middlewares)
            add(out.middlewares, middleware, QStringLiteral("middleware"));
        out.errors.insert(out.errors.end(), c.errors.begin(), c.errors.end());
    }
    return out;
}

} // namespace portico::provider::docker
