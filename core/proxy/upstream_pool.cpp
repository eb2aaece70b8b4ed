#include "core/proxy/upstream_pool.h"

#include "core/proxy/clock.h"
#include "core/service/load_balancer.h"

#include <QTimer>

namespace portico::proxy {

UpstreamPool::UpstreamPool(const config::ServersTransportSpec &transport, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
{ }

UpstreamPool::~UpstreamPool()
{
    for (UpstreamConnection *c : m_all)
        delete c;
}

UpstreamConnection *UpstreamPool::acquire(
    const service::Server &server, UpstreamListener *listener, bool fresh)
{
    UpstreamKey key { server.scheme, server.host, server.port };
    if (!fresh) {
        auto it = m_idle.find(key);
        if (it != m_idle.end() && !it->second.empty()) {
            UpstreamConnection *c = it->second.back();
            it->second.pop_back();
            c->attach(listener);
            return c;
        }
    }
    auto *c = new UpstreamConnection(*this, std::move(key), !m_transport.insecureSkipVerify);
    m_all.insert(c);
    c->attach(listener);
    c->dial();
    return c;
}

void UpstreamPool::recycle(UpstreamConnection *connection)
{
    std::vector<UpstreamConnection *> &idle = m_idle[connection->key()];
    if (int(idle.size()) >= m_transport.maxIdleConnsPerHost) {
        connection->abandon();
        return;
    }
    connection->markIdle();
    idle.push_back(connection);
}

void UpstreamPool::retire(UpstreamConnection *connection)
{
    auto it = m_idle.find(connection->key());
    if (it != m_idle.end())
        std::erase(it->second, connection);
    if (m_all.erase(connection) > 0)
        connection->deleteLater();
}

void UpstreamPool::checkTimeouts(qint64 nowMs)
{
    // Copy first: a timeout fails an exchange, which may acquire or retire connections.
    const std::vector<UpstreamConnection *> all(m_all.begin(), m_all.end());
    for (UpstreamConnection *c : all) {
        if (m_all.count(c))
            c->checkTimeouts(nowMs);
    }
}

void UpstreamPool::closeIdle()
{
    std::vector<UpstreamConnection *> idle;
    for (auto &entry : m_idle)
        idle.insert(idle.end(), entry.second.begin(), entry.second.end());
    for (UpstreamConnection *c : idle)
        c->abandon();
}

QHostAddress UpstreamPool::preferredAddress(const UpstreamKey &key) const
{
    auto it = m_preferred.find(key);
    return it == m_preferred.end() ? QHostAddress() : it->second;
}

void UpstreamPool::rememberAddress(const UpstreamKey &key, const QHostAddress &address)
{
    m_preferred[key] = address;
}

size_t UpstreamPool::idleCount() const
{
    size_t n = 0;
    for (const auto &entry : m_idle)
        n += entry.second.size();
    return n;
}

} // namespace portico::proxy
