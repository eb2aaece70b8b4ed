#include "tests/testkit/proxy_fixture.h"

#include <QSignalSpy>
#include <QTest>

namespace portico::testkit {

proxy::RoutingTablePtr makeRoutingTable(
    const QString &entryPoint, const std::vector<TestRoute> &routes)
{
    auto table = std::make_shared<proxy::RoutingTable>();
    table->generation = 1;
    proxy::EntryPointRoutes &ep = table->entryPoints[entryPoint];
    std::vector<rules::RuleTable::Entry> entries;
    for (size_t i = 0; i < routes.size(); ++i) {
        const TestRoute &r = routes[i];
        auto rule = rules::Rule::parse(r.rule);
        if (!rule) {
            QTest::qFail(qPrintable(rule.error().toString()), __FILE__, __LINE__);
            return {};
        }
        config::LoadBalancerSpec spec;
        spec.passHostHeader = r.passHostHeader;
        for (const QString &url : r.urls)
            spec.servers.push_back({ url, 1, r.preservePath });
        const QString name = QStringLiteral("svc%1@test").arg(i);
        auto balancer = service::LoadBalancer::create(name, spec);
        if (!balancer) {
            QTest::qFail(qPrintable(balancer.error().toString()), __FILE__, __LINE__);
            return {};
        }
        proxy::Route route;
        route.router = QStringLiteral("r%1@test").arg(i);
        route.service = name;
        route.middlewares = r.middlewares;
        route.balancer = *balancer;
        ep.routes.push_back(std::move(route));
        entries.push_back({ *rule, rule->defaultPriority(), int(i) });
    }
    ep.rules = rules::RuleTable(std::move(entries));
    return table;
}

config::EntryPointSpec loopbackEntryPoint(const QString &name)
{
    config::EntryPointSpec spec;
    spec.name = name;
    spec.host = QStringLiteral("127.0.0.1");
    spec.port = 0;
    spec.address = QStringLiteral("127.0.0.1:0");
    return spec;
}

ProxyFixture::ProxyFixture(const std::vector<TestRoute> &routes, config::EntryPointSpec entryPoint,
    config::ServersTransportSpec transport, int threads)
    : m_server(std::make_unique<proxy::ProxyServer>())
{
    m_table = makeRoutingTable(entryPoint.name, routes);
    m_server->setRoutingTable(m_table);
    auto listening = m_server->listen({ entryPoint }, transport, threads);
    if (!listening) {
        QTest::qFail(qPrintable(listening.error().toString()), __FILE__, __LINE__);
        return;
    }
    m_port = m_server->port(entryPoint.name);
    m_ok = m_port != 0 && m_table != nullptr;
}

ProxyFixture::~ProxyFixture()
{
    if (!m_stopped)
        shutdown(0);
}

QString ProxyFixture::url(const QString &path) const
{
    return QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path);
}

bool ProxyFixture::shutdown(int graceMs, int timeoutMs)
{
    m_stopped = true;
    QSignalSpy finished(m_server.get(), &proxy::ProxyServer::finished);
    m_server->shutdown(std::chrono::milliseconds(graceMs));
    return finished.count() > 0 || finished.wait(timeoutMs);
}

} // namespace portico::testkit
