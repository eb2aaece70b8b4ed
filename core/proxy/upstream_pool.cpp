#include "core/proxy/upstream_pool.h"

#include "core/proxy/clock.h"
#include "core/proxy/h2_upstream_alpn.h"
#include "core/proxy/h2_upstream_connection.h"
#include "core/proxy/h2_upstream_stream.h"
#include "core/proxy/tls_client.h"
#include "core/service/load_balancer.h"

#include <QPointer>
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
    for (auto &entry : m_h2) {
        for (H2UpstreamConnection *c : entry.second)
            delete c;
    }
}

UpstreamChannel *UpstreamPool::acquire(
    const service::Server &server, UpstreamListener *listener, bool fresh, bool upgrade)
{
    UpstreamKey key { server.scheme, server.host, server.port, server.transport };
    if (key.scheme == "h2c")
        return h2ConnectionFor(key)->open(listener);
    if (key.scheme == "https" && !upgrade && tlsProtocol(key) != TlsProtocol::Http1
        && !key.transportOr(m_transport).disableHTTP2) {
        // Until a connection's handshake selected h2 its streams may still move to HTTP/1.1
        // (a first contact, or a server restarted without h2): they go through an ALPN channel.
        H2UpstreamConnection *c = h2ConnectionFor(key);
        if (c->isConnected())
            return c->open(listener);
        return AlpnUpstreamChannel::open(*this, key, listener);
    }
    return acquireHttp1(std::move(key), listener, fresh);
}

UpstreamChannel *UpstreamPool::acquireHttp1(UpstreamKey key, UpstreamListener *listener, bool fresh)
{
    if (!fresh) {
        auto it = m_idle.find(key);
        if (it != m_idle.end() && !it->second.empty()) {
            UpstreamConnection *c = it->second.back();
            it->second.pop_back();
            c->attach(listener);
            return c;
        }
    }
    const bool verify = verifiesPeer(key.transportOr(m_transport));
    if (key.scheme == "https")
        m_alpn.http1Opened(key);
    auto *c = new UpstreamConnection(*this, std::move(key), verify);
    m_all.insert(c);
    c->attach(listener);
    c->dial();
    return c;
}

void UpstreamPool::recycle(UpstreamConnection *connection)
{
    std::vector<UpstreamConnection *> &idle = m_idle[connection->key()];
    if (int(idle.size()) >= connection->key().transportOr(m_transport).maxIdleConnsPerHost) {
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
    if (m_all.erase(connection) > 0) {
        if (connection->key().scheme == "https")
            m_alpn.http1Closed(connection->key());
        connection->deleteLater();
    }
}

H2UpstreamConnection *UpstreamPool::h2ConnectionFor(const UpstreamKey &key)
{
    // One connection per server while it has room (SETTINGS_MAX_CONCURRENT_STREAMS), then more.
    std::vector<H2UpstreamConnection *> &list = m_h2[key];
    for (H2UpstreamConnection *c : list) {
        if (c->hasCapacity())
            return c;
    }
    auto *c = new H2UpstreamConnection(*this, key, h2StreamLimit(key));
    list.push_back(c);
    ++m_h2Count;
    c->dial();
    return c;
}

void UpstreamPool::resendH2(std::unique_ptr<H2UpstreamStream> stream)
{
    const UpstreamKey key = stream->connection()->key();
    h2ConnectionFor(key)->adopt(std::move(stream));
}

void UpstreamPool::retireH2(H2UpstreamConnection *connection)
{
    auto it = m_h2.find(connection->key());
    if (it == m_h2.end())
        return;
    if (std::erase(it->second, connection) > 0) {
        --m_h2Count;
        connection->deleteLater();
    }
}

UpstreamPool::TlsProtocol UpstreamPool::tlsProtocol(const UpstreamKey &key) const
{
    return m_alpn.protocol(key);
}

void UpstreamPool::rememberTlsProtocol(const UpstreamKey &key, TlsProtocol protocol)
{
    m_alpn.remember(key, protocol);
}

uint32_t UpstreamPool::h2StreamLimit(const UpstreamKey &key) const
{
    auto it = m_h2Limits.find(key);
    return it == m_h2Limits.end() ? 100 : it->second;
}

size_t UpstreamPool::h2ConnectionCount(const UpstreamKey &key) const
{
    auto it = m_h2.find(key);
    return it == m_h2.end() ? 0 : it->second.size();
}

void UpstreamPool::checkTimeouts(qint64 nowMs)
{
    // Copy first: a timeout fails an exchange, which may acquire or retire connections.
    const std::vector<UpstreamConnection *> all(m_all.begin(), m_all.end());
    for (UpstreamConnection *c : all) {
        if (m_all.count(c))
            c->checkTimeouts(nowMs);
    }
    std::vector<QPointer<H2UpstreamConnection>> h2;
    for (auto &entry : m_h2)
        h2.insert(h2.end(), entry.second.begin(), entry.second.end());
    for (const auto &c : h2) {
        if (c && c->state() != H2UpstreamConnection::State::Closed)
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
    std::vector<H2UpstreamConnection *> h2;
    for (auto &entry : m_h2) {
        for (H2UpstreamConnection *c : entry.second) {
            if (c->streamCount() == 0)
                h2.push_back(c);
        }
    }
    for (H2UpstreamConnection *c : h2)
        c->close();
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
