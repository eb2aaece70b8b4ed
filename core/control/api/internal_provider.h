#pragma once

#include "core/config/static_spec.h"
#include "core/provider/provider.h"

#include <QUrl>

namespace portico::control::api {

/// Traefik's `internal` provider, as far as Portico has internal objects: the service
/// `api@internal` (one server, the control API's own URL, so a router such as
/// ``Host(`portico.localhost`)`` → `api@internal` serves the API through the proxy), and with
/// `api.insecure: true` Traefik's router `api@internal` (``PathPrefix(`/api`)`` on entry point
/// `traefik`); with `metrics.prometheus`, `prometheus@internal` (GET /metrics of the same API) and
/// unless manualRouting its router on `metrics.prometheus.entryPoint`.
class InternalProvider : public provider::Provider
{
    Q_OBJECT
public:
    InternalProvider(QUrl apiUrl, const config::StaticConfig &config, QObject *parent = nullptr);

    QString name() const override { return QStringLiteral("internal"); }
    void start() override;

    /// The snapshot for an API listening at `apiUrl` under `config`.
    static config::DynamicConfig snapshot(const QUrl &apiUrl, const config::StaticConfig &config);

private:
    config::DynamicConfig m_snapshot;
};

} // namespace portico::control::api
