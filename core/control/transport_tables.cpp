#include "core/control/transport_tables.h"

#include "core/common/suggest.h"
#include "core/control/qualified_name.h"
#include "core/proxy/tls_client.h"

namespace portico::control {

void TransportTables::build(const Snapshots &snapshots, RuntimeState &state)
{
    for (const auto &[provider, config] : snapshots) {
        for (const config::ServersTransportObjectSpec &object : config.serversTransports) {
            const QString name = qualify(object.name, provider);
            if (!object.origin.errors.empty()) {
                state.errors.insert(
                    state.errors.end(), object.origin.errors.begin(), object.origin.errors.end());
                m_broken[name] = object.origin.errors.front().message;
                continue;
            }
            // Files are read now, so a missing CA or key names the transport (and its line)
            // instead of failing every handshake later with an OpenSSL message.
            if (auto checked = proxy::checkUpstreamTls(object.transport); !checked) {
                Error e = checked.error();
                const QString field = e.where.path;
                e.where = object.origin.at(field);
                state.errors.push_back(e);
                m_broken[name] = e.message;
                continue;
            }
            m_transports[name]
                = std::make_shared<const config::ServersTransportSpec>(object.transport);
        }
    }
}

Expected<TransportPtr> TransportTables::resolve(
    const config::ServiceSpec &service, const QString &provider) const
{
    const QString &reference = service.loadBalancer->serversTransport;
    if (reference.isEmpty())
        return TransportPtr();
    const QString name = resolveReference(reference, provider);
    if (const auto it = m_transports.find(name); it != m_transports.end())
        return it->second;
    const SourceLocation where = service.origin.at(QStringLiteral("loadBalancer.serversTransport"));
    if (const auto it = m_broken.find(name); it != m_broken.end())
        return Error {
            QStringLiteral("serversTransport \"%1\" is in error: %2").arg(name, it->second), where,
            {}
        };
    QStringList known;
    for (const auto &[qualified, transport] : m_transports)
        known << qualified;
    QString hint = didYouMean(name, known);
    if (hint.isEmpty())
        hint = QStringLiteral("define it under http.serversTransports, or remove the field to use "
                              "the static serversTransport");
    return Error { QStringLiteral("serversTransport \"%1\" does not exist").arg(name), where,
        hint };
}

bool TransportTables::same(const TransportPtr &a, const TransportPtr &b)
{
    return a == b || (a && b && *a == *b);
}

} // namespace portico::control
