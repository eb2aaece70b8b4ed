#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"
#include "core/control/runtime_state.h"
#include "core/proxy/routing_table.h"
#include "core/rules/rule.h"
#include "core/tls/tls_config.h"

#include <map>
#include <optional>
#include <vector>

namespace portico::control {

using Snapshots = std::map<QString, config::DynamicConfig>;

/// The TLS half of a table build: compiles every provider's `tls` section (certificates, the
/// default store, options) into one tls::TlsConfig, decides which routers serve TLS on which
/// entry point and with which options, and indexes options by SNI host. A certificate that
/// cannot be loaded is reported and left out; everything else keeps serving.
class TlsTables
{
public:
    /// Compiles the `tls` sections; problems are added to `state.errors`.
    void build(const Snapshots &snapshots, RuntimeState &state);

    /// Traefik: a router with `tls`, or any router on an entry point with `http.tls`, serves TLS
    /// connections only; the others plain connections only.
    static bool servesTls(const config::RouterSpec &spec, const config::EntryPointSpec &entryPoint);
    /// The options a TLS router uses on `entryPoint` (its own `tls.options`, else the entry
    /// point's, else `default`); an Error (`unknown TLS options: …`) disables the router.
    Expected<tls::ServerOptionsPtr> optionsFor(const config::RouterSpec &spec,
        const QString &provider, const config::EntryPointSpec &entryPoint) const;

    /// Records that TLS routes for the rule's hosts use `options`; conflicting choices for one
    /// host fall back to `default`, as Traefik does.
    void noteHosts(
        const QString &entryPoint, const rules::Rule &rule, const tls::ServerOptionsPtr &options);
    /// Puts the TLS configuration and each entry point's host → options index into `table`.
    void finish(proxy::RoutingTable &table) const;

private:
    void addOptions(
        const QString &provider, const config::TlsOptionsSpec &spec, RuntimeState &state);
    void addCertificates(
        const QString &provider, const config::DynamicConfig &config, RuntimeState &state);

    std::shared_ptr<tls::TlsConfig> m_config;
    std::map<QString, QString> m_optionErrors; ///< qualified name → why it is unusable
    std::map<QString, std::map<QString, tls::ServerOptionsPtr>> m_byHost; ///< ep → host → opts
};

/// Adds Traefik's internal objects for `http.redirections.entryPoint` of each entry point: router
/// `<ep>-to-<to>@internal` (``HostRegexp(`^.+$`)``, the configured priority, service
/// `noop@internal`) with middleware `redirect-<ep>-to-<to>@internal` (redirectScheme). nullopt
/// when no entry point redirects, so the common case copies nothing.
std::optional<Snapshots> withEntryPointRedirections(
    const Snapshots &snapshots, const std::vector<config::EntryPointSpec> &entryPoints);

} // namespace portico::control
