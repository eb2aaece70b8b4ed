#include "core/service/load_balancer.h"

#include "core/service/server_url.h"
#include "core/service/spec_checks.h"
#include "core/service/wrr_schedule.h"

namespace portico::service {

namespace {

QString serverField(size_t index, const char *field)
{
    return QStringLiteral("loadBalancer.servers[%1].%2").arg(index).arg(QLatin1String(field));
}

/// Server URL errors carry their field path so the caller can root them at the service.
Expected<std::unique_ptr<Server>> makeServer(const config::ServerSpec &spec, size_t index)
{
    auto address = parseServerUrl(spec.url);
    if (!address) {
        Error e = address.error();
        e.where.path = serverField(index, "url");
        return e;
    }
    // Traefik ignores a server of weight 0 (it is never chosen); a negative weight is a mistake.
    if (spec.weight < 0)
        return Error { QStringLiteral("invalid weight \"%1\"").arg(spec.weight),
            { {}, 0, 0, serverField(index, "weight") },
            QStringLiteral("use 0 or more; 0 never receives requests") };
    auto server = std::make_unique<Server>();
    server->url = spec.url;
    server->scheme = address->scheme;
    server->host = address->host;
    server->port = address->port;
    server->authority = address->authority;
    server->pathPrefix = spec.preservePath ? address->path : QByteArray();
    server->weight = spec.weight;
    return server;
}

} // namespace

void LoadBalancer::setTransport(std::shared_ptr<const config::ServersTransportSpec> transport)
{
    m_transport = std::move(transport);
    for (const std::unique_ptr<Server> &server : m_servers)
        server->transport = m_transport;
}

Expected<std::shared_ptr<LoadBalancer>> LoadBalancer::create(
    const QString &qualifiedName, const config::LoadBalancerSpec &spec)
{
    std::shared_ptr<LoadBalancer> balancer(new LoadBalancer);
    balancer->m_name = qualifiedName;
    balancer->m_spec = spec;
    if (auto added = balancer->addServers(); !added)
        return added.error();
    if (auto strategy = checkStrategy(spec.strategy, qualifiedName); !strategy)
        return strategy.error();
    if (spec.healthCheck) {
        if (auto health = checkHealthCheck(*spec.healthCheck); !health)
            return health.error();
    }
    if (spec.stickyCookie)
        balancer->m_sticky.emplace(qualifiedName, *spec.stickyCookie);
    return balancer;
}

Expected<void> LoadBalancer::addServers()
{
    std::vector<int> weights;
    for (size_t i = 0; i < m_spec.servers.size(); ++i) {
        auto server = makeServer(m_spec.servers[i], i);
        if (!server)
            return server.error();
        weights.push_back(server.value()->weight);
        m_cookieValues.push_back(StickyCookie::valueFor(server.value()->url));
        m_servers.push_back(std::move(server.value()));
    }
    m_schedule = buildSchedule(weights);
    return {};
}

const Server *LoadBalancer::pick(const HeaderList &requestHeaders) const
{
    if (const Server *sticky = stickyTarget(requestHeaders))
        return sticky;
    return next();
}

const Server *LoadBalancer::next() const
{
    // Every slot looked at is consumed, also an unhealthy one: the stream of slots the engine
    // threads share, filtered to the healthy servers, stays in weight proportion.
    for (size_t tries = 0; tries < m_schedule.size(); ++tries) {
        const quint64 slot = m_next.fetch_add(1, std::memory_order_relaxed) % m_schedule.size();
        const Server *server = m_servers[size_t(m_schedule[slot])].get();
        if (server->healthy.load(std::memory_order_relaxed))
            return server;
    }
    return nullptr;
}

const Server *LoadBalancer::stickyTarget(const HeaderList &requestHeaders) const
{
    if (!m_sticky)
        return nullptr;
    const QByteArray value = m_sticky->read(requestHeaders);
    if (value.isEmpty())
        return nullptr;
    const auto available = [this](size_t i) {
        return m_servers[i]->weight > 0 && m_servers[i]->healthy.load(std::memory_order_relaxed);
    };
    for (size_t i = 0; i < m_servers.size(); ++i) {
        if (value == m_cookieValues[i] && available(i))
            return m_servers[i].get();
    }
    // Rare: a cookie written by an older Traefik; hashing on demand keeps the common path lean.
    for (size_t i = 0; i < m_servers.size(); ++i) {
        for (const QByteArray &legacy : StickyCookie::legacyValuesFor(m_servers[i]->url)) {
            if (value == legacy && available(i))
                return m_servers[i].get();
        }
    }
    return nullptr;
}

std::optional<QByteArray> LoadBalancer::stickyCookie(
    const HeaderList &requestHeaders, const Server &chosen) const
{
    if (!m_sticky)
        return std::nullopt;
    for (size_t i = 0; i < m_servers.size(); ++i) {
        if (m_servers[i].get() != &chosen)
            continue;
        // A legacy or stale value is rewritten, as Traefik does.
        if (m_sticky->read(requestHeaders) == m_cookieValues[i])
            return std::nullopt;
        return m_sticky->setCookie(m_cookieValues[i]);
    }
    Q_ASSERT_X(false, "LoadBalancer::stickyCookie", "server of another balancer");
    return std::nullopt;
}

} // namespace portico::service
