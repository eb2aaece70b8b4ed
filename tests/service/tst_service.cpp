#include "tst_service.h"

#include <QTest>

using namespace portico;
using namespace portico::service;
using namespace std::chrono_literals;

namespace portico::testing {

QString serverUrl(int i)
{
    return QStringLiteral("http://127.0.0.1:%1").arg(1001 + i);
}

config::LoadBalancerSpec specFor(const QList<int> &weights)
{
    config::LoadBalancerSpec spec;
    for (int i = 0; i < weights.size(); ++i)
        spec.servers.push_back({ serverUrl(i), weights[i], false });
    return spec;
}

std::shared_ptr<LoadBalancer> build(const config::LoadBalancerSpec &spec)
{
    auto created = LoadBalancer::create(QStringLiteral("app@file"), spec);
    if (!created) {
        QTest::qFail(qPrintable(created.error().toString()), __FILE__, __LINE__);
        return nullptr;
    }
    return created.value();
}

/// `a` for servers()[0], …, `-` for nullptr.
QChar letterOf(const LoadBalancer &balancer, const Server *server)
{
    for (size_t s = 0; s < balancer.servers().size(); ++s) {
        if (balancer.servers()[s].get() == server)
            return QChar(u'a' + int(s));
    }
    return u'-';
}

/// One letter per pick.
QString picks(const LoadBalancer &balancer, int count, const HeaderList &headers)
{
    QString out;
    for (int i = 0; i < count; ++i)
        out += letterOf(balancer, balancer.pick(headers));
    return out;
}

void setHealth(const LoadBalancer &balancer, const QList<bool> &healthy)
{
    for (int i = 0; i < healthy.size(); ++i)
        balancer.servers()[size_t(i)]->healthy = healthy[i];
}

HeaderList cookieHeader(const QByteArray &value)
{
    HeaderList headers;
    if (!value.isNull())
        headers.add("Cookie", value);
    return headers;
}

config::HealthCheckSpec fastCheck()
{
    config::HealthCheckSpec spec;
    spec.path = QStringLiteral("/health");
    spec.interval = 50ms;
    spec.timeout = 2000ms;
    return spec;
}

std::shared_ptr<LoadBalancer> checked(const QString &url, const config::HealthCheckSpec &check)
{
    config::LoadBalancerSpec spec;
    spec.servers.push_back({ url, 1, false });
    spec.healthCheck = check;
    return build(spec);
}

QString local(const TinyHttpServer &server)
{
    return QStringLiteral("http://127.0.0.1:%1").arg(server.serverPort());
}

} // namespace portico::testing

QTEST_GUILESS_MAIN(tst_Service)
