#pragma once

#include "core/common/header_list.h"
#include "core/config/dynamic_spec.h"
#include "core/service/load_balancer.h"
#include "tiny_http_server.h"

#include <QObject>

#include <memory>

namespace portico::testing {

/// `http://127.0.0.1:100<1+i>`: the URL of the i-th server in specFor().
QString serverUrl(int i);
/// A spec with one server per weight.
config::LoadBalancerSpec specFor(const QList<int> &weights);
/// Creates a balancer named `app@file`; fails the test (and returns nullptr) on error.
std::shared_ptr<service::LoadBalancer> build(const config::LoadBalancerSpec &spec);
/// `a` for servers()[0], …, `-` for nullptr.
QChar letterOf(const service::LoadBalancer &balancer, const service::Server *server);
/// One letter per pick.
QString picks(const service::LoadBalancer &balancer, int count, const HeaderList &headers = {});
void setHealth(const service::LoadBalancer &balancer, const QList<bool> &healthy);
HeaderList cookieHeader(const QByteArray &value);
/// Path /health, 50 ms interval, 2 s timeout.
config::HealthCheckSpec fastCheck();
/// A one-server balancer with that health check.
std::shared_ptr<service::LoadBalancer> checked(
    const QString &url, const config::HealthCheckSpec &check);
/// `http://127.0.0.1:<port>` of a test origin.
QString local(const TinyHttpServer &server);

} // namespace portico::testing

class tst_Service : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void distribution_data();
    void distribution();
    void enginesShareTheCycle();
    void longCyclesAreCapped();
    void serverUrls_data();
    void serverUrls();
    void specErrors_data();
    void specErrors();
    void sameSpec();
    void cookieNames_data();
    void cookieNames();
    void sticky_data();
    void sticky();
    void cookieAttributes_data();
    void cookieAttributes();

    void healthyServerStaysUp();
    void errorStatusGoesDown();
    void closedServerGoesDownAndComesBack();
    void expectedStatus_data();
    void expectedStatus();
    void silentServerTimesOut();
    void localhostReachesEitherLoopback_data();
    void localhostReachesEitherLoopback();
    void probeRequestShape();
    void unhealthyIntervalIsUsedWhileDown();
    void checkersShareOneManager();
    void stopAbortsProbeInFlight();
    void destructorAbortsProbeInFlight();
};
