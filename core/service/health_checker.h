#pragma once

#include "core/service/health_probe.h"
#include "core/service/load_balancer.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <memory>
#include <vector>

class QNetworkAccessManager;

namespace portico::service {

/// The active health check of one load balancer (Traefik `loadBalancer.healthCheck`). Lives on
/// the control thread: probes every server at once on start(), then every `interval` while up
/// and every `unhealthyInterval` while down, and flips Server::healthy for the engine threads.
class HealthChecker : public QObject
{
    Q_OBJECT
public:
    /// Watches `balancer`'s servers per its spec's healthCheck (none → start() does nothing).
    explicit HealthChecker(std::shared_ptr<LoadBalancer> balancer, QObject *parent = nullptr);
    /// Stops first: no reply or timer outlives the checker.
    ~HealthChecker() override;

    /// Probes every server now and keeps probing until stop().
    void start();
    /// Cancels probes in flight and pending timers; no signal follows. start() may be called again.
    void stop();
    bool isRunning() const { return m_running; }
    /// Probes through `manager` (e.g. one shared by every checker of the control thread) instead
    /// of a private one; call before start(). The manager must outlive this checker.
    void setNetworkAccessManager(QNetworkAccessManager *manager);
    /// Accept any upstream certificate (serversTransport `insecureSkipVerify`); call before
    /// start().
    void setIgnoreSslErrors(bool ignore) { m_options.ignoreSslErrors = ignore; }
    /// Trust only these CAs (serversTransport `rootCAs`); call before start().
    void setRootCAs(const QList<QSslCertificate> &roots) { m_options.rootCAs = roots; }
    /// Probes through the service's serversTransport (trust, serverName, client certificate,
    /// disableHTTP2), as the proxy reaches the servers; call before start().
    void setTransport(const config::ServersTransportSpec &transport)
    {
        applyTransport(m_options, transport);
    }

    const std::shared_ptr<LoadBalancer> &balancer() const { return m_balancer; }
    std::chrono::milliseconds interval() const { return m_interval; }
    std::chrono::milliseconds unhealthyInterval() const { return m_unhealthyInterval; }

Q_SIGNALS:
    /// A server went UP or DOWN (only on change; every server starts UP, as in Traefik).
    void serverStatusChanged(const QString &service, const QString &url, bool up);

private:
    struct Target
    {
        Server *server = nullptr;
        ProbeTarget where;
        QTimer timer;
        HealthProbe *probe = nullptr;
    };

    void applySpec(const config::HealthCheckSpec &spec);
    void probe(Target &target);
    void onProbeFinished(Target &target, bool up, const QString &reason);

    std::shared_ptr<LoadBalancer> m_balancer;
    QNetworkAccessManager *m_manager = nullptr; ///< created on first start() unless given
    HealthProbe::Options m_options;
    std::chrono::milliseconds m_interval { 30000 };
    std::chrono::milliseconds m_unhealthyInterval { 30000 };
    std::vector<std::unique_ptr<Target>> m_targets; ///< stable addresses for the timer slots
    bool m_running = false;
};

} // namespace portico::service
