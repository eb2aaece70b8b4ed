#pragma once

#include "core/common/expected.h"
#include "core/common/header_list.h"
#include "core/config/dynamic_spec.h"
#include "core/service/sticky_cookie.h"

#include <QByteArray>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

namespace portico::service {

/// One upstream server of a load balancer. Health is flipped by the HealthChecker (control
/// thread) and read by engine threads without locks.
struct Server
{
    QString url; ///< as configured, e.g. `http://localhost:3000`
    QByteArray scheme; ///< `http` or `https`
    QString host; ///< host name or IP literal without brackets
    quint16 port = 0; ///< explicit or the scheme's default
    QByteArray authority; ///< the URL's `host[:port]` as written (Host header when !passHostHeader)
    QByteArray pathPrefix; ///< URL path joined in front of the request path when preservePath
    int weight = 1;
    std::atomic<bool> healthy { true };
    /// The service's `serversTransport` (SNI, trust, client certificate, timeouts); null = the
    /// static default. Part of the upstream connection key, so transports never share connections.
    std::shared_ptr<const config::ServersTransportSpec> transport;
};

/// A `loadBalancer` service: weighted round robin over healthy servers, optional sticky cookie.
/// Built on the control thread, then shared read-only (plus atomics) by every engine thread.
class LoadBalancer
{
public:
    /// Validates the spec (URLs, weights, health check, cookie); errors name the field.
    static Expected<std::shared_ptr<LoadBalancer>> create(
        const QString &qualifiedName, const config::LoadBalancerSpec &spec);

    /// Picks the server for a request: the sticky cookie's server when it names a healthy one,
    /// else the next healthy server by weight. nullptr when no server is available (→ 503).
    const Server *pick(const HeaderList &requestHeaders) const;
    /// The Set-Cookie value to add to the response when stickiness is on and the request did not
    /// already carry the cookie for `chosen`; nullopt otherwise.
    std::optional<QByteArray> stickyCookie(
        const HeaderList &requestHeaders, const Server &chosen) const;

    /// The next healthy server by weight, cookies ignored; nullptr when none is healthy.
    const Server *next() const;
    /// True when `spec` would build this same balancer, so it (and its health state) can be reused.
    bool sameSpec(const config::LoadBalancerSpec &spec) const { return m_spec == spec; }
    /// Reaches every server through `transport` (null = the static default); call right after
    /// create(), before the balancer is shared.
    void setTransport(std::shared_ptr<const config::ServersTransportSpec> transport);
    /// The transport set with setTransport (null = the static default).
    const std::shared_ptr<const config::ServersTransportSpec> &transport() const
    {
        return m_transport;
    }
    /// The sticky cookie's name; empty when stickiness is off.
    QByteArray stickyCookieName() const { return m_sticky ? m_sticky->name() : QByteArray(); }

    const QString &name() const { return m_name; }
    bool passHostHeader() const { return m_spec.passHostHeader; }
    const config::LoadBalancerSpec &spec() const { return m_spec; }
    const std::vector<std::unique_ptr<Server>> &servers() const { return m_servers; }
    std::chrono::milliseconds flushInterval() const { return m_spec.flushInterval; }

private:
    LoadBalancer() = default;
    Expected<void> addServers();
    /// The server the request's sticky cookie names, when it is healthy and has a weight.
    const Server *stickyTarget(const HeaderList &requestHeaders) const;

    QString m_name;
    config::LoadBalancerSpec m_spec;
    std::vector<std::unique_ptr<Server>> m_servers;
    std::vector<int> m_schedule; ///< smooth-WRR order of server indexes over one weight cycle
    mutable std::atomic<quint64> m_next { 0 };
    std::optional<StickyCookie> m_sticky;
    std::vector<QByteArray> m_cookieValues; ///< per server, StickyCookie::valueFor(url)
    std::shared_ptr<const config::ServersTransportSpec> m_transport;
};

} // namespace portico::service
