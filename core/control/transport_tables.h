#pragma once

#include "core/common/expected.h"
#include "core/config/dynamic_spec.h"
#include "core/control/runtime_state.h"

#include <map>
#include <memory>

namespace portico::control {

using Snapshots = std::map<QString, config::DynamicConfig>;
using TransportPtr = std::shared_ptr<const config::ServersTransportSpec>;

/// The `http.serversTransports` of every provider, qualified `name@provider`: checked once per
/// build (CA and client certificate files readable) and shared by the services that select one
/// with `loadBalancer.serversTransport`. A transport in error disables those services only.
class TransportTables
{
public:
    /// Collects and checks every provider's transports; problems go to `state.errors`.
    void build(const Snapshots &snapshots, RuntimeState &state);

    /// The transport a service of `provider` selects: null when it names none (the static
    /// `serversTransport` applies); an Error at the field when it is unknown or in error.
    Expected<TransportPtr> resolve(
        const config::ServiceSpec &service, const QString &provider) const;

    /// Equal transports (both the default, or the same settings): connections and health state
    /// of a balancer built with one may be kept with the other.
    static bool same(const TransportPtr &a, const TransportPtr &b);

private:
    std::map<QString, TransportPtr> m_transports; ///< usable ones, by qualified name
    std::map<QString, QString> m_broken; ///< qualified name → why it is unusable
};

} // namespace portico::control
