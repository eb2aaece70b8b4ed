#pragma once

#include "core/config/static_spec.h"
#include "core/proxy/proxy_server.h"
#include "core/proxy/routing_table.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace portico::testkit {

/// One router of a hand-built routing table: a rule and the servers of its load balancer.
struct TestRoute
{
    TestRoute(QString r, QStringList u)
        : rule(std::move(r))
        , urls(std::move(u))
    { }
    QString rule;
    QStringList urls;
    bool passHostHeader = true;
    std::vector<std::shared_ptr<const middleware::Middleware>> middlewares;
    bool preservePath = false;
};

/// Builds a RoutingTable for one entry point the way the control plane does (Rule::parse,
/// RuleTable, LoadBalancer::create); fails the current test on a bad rule or URL.
proxy::RoutingTablePtr makeRoutingTable(
    const QString &entryPoint, const std::vector<TestRoute> &routes);

/// An entry point spec on 127.0.0.1 port 0.
config::EntryPointSpec loopbackEntryPoint(const QString &name = QStringLiteral("web"));

/// A running ProxyServer with one loopback entry point and a routing table.
class ProxyFixture
{
public:
    explicit ProxyFixture(const std::vector<TestRoute> &routes,
        config::EntryPointSpec entryPoint = loopbackEntryPoint(),
        config::ServersTransportSpec transport = {}, int threads = 2);
    ~ProxyFixture();

    bool ok() const { return m_ok; }
    quint16 port() const { return m_port; }
    QString url(const QString &path = QStringLiteral("/")) const;
    proxy::ProxyServer &server() { return *m_server; }
    const proxy::RoutingTablePtr &table() const { return m_table; }
    /// Graceful shutdown; true once finished() was emitted within `timeoutMs`.
    bool shutdown(int graceMs, int timeoutMs = 10000);

private:
    std::unique_ptr<proxy::ProxyServer> m_server;
    proxy::RoutingTablePtr m_table;
    quint16 m_port = 0;
    bool m_ok = false;
    bool m_stopped = false;
};

} // namespace portico::testkit
