#pragma once

#include "core/config/static_spec.h"
#include "core/provider/docker/container_info.h"
#include "core/provider/docker/engine_endpoint.h"
#include "core/provider/provider.h"

#include <QByteArray>
#include <QPointer>

#include <chrono>
#include <map>
#include <optional>

class QTimer;

namespace portico::provider::docker {

class EngineRequest;

/// Traefik's Docker provider (`providers.docker`), also for podman's Docker-compatible API.
/// Follows the engine's `/events` stream (no polling): container events are coalesced for a
/// short while, then the running containers are listed and inspected and the whole
/// configuration is emitted — only when it changed. When the engine is absent or restarts it
/// reconnects with exponential back-off (0.5 s doubling to 30 s), warning once rather than on
/// every attempt; the last snapshot stays in force meanwhile.
class DockerProvider : public Provider
{
    Q_OBJECT
public:
    explicit DockerProvider(config::DockerProviderSpec spec, QObject *parent = nullptr);
    ~DockerProvider() override;

    QString name() const override { return QStringLiteral("docker"); }
    void start() override;

    /// How long a burst of events is collected before one re-list (default 60 ms).
    void setCoalesceInterval(std::chrono::milliseconds interval);
    /// The reconnect back-off range (default 0.5 s to 30 s).
    void setBackoff(std::chrono::milliseconds first, std::chrono::milliseconds max);
    /// True while the last contact with the engine succeeded.
    bool engineReachable() const { return m_reachable; }

Q_SIGNALS:
    /// The engine became reachable (true) or was lost (false).
    void engineReachableChanged(bool reachable);

private:
    void connectEngine();
    void onEvents(QByteArrayView data);
    void handleEvent(const QByteArray &line);
    void engineLost(const Error &error);
    void scheduleRefresh();
    void refresh();
    void onListed(quint64 generation, Expected<QByteArray> body);
    void onInspected(quint64 generation, Expected<QByteArray> body);
    void publish();
    void setReachable(bool reachable);

    config::DockerProviderSpec m_spec;
    std::optional<EngineEndpoint> m_endpoint;
    QPointer<EngineRequest> m_events;
    QByteArray m_eventBuffer;
    QTimer *m_coalesce = nullptr;
    QTimer *m_reconnect = nullptr;
    std::chrono::milliseconds m_firstBackoff { 500 };
    std::chrono::milliseconds m_maxBackoff { 30000 };
    std::chrono::milliseconds m_backoff { 500 };
    quint64 m_generation = 0;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
    int m_pending = 0; ///< inspects in flight for the current generation
    std::map<QString, ContainerInfo> m_inspected;
    std::optional<QByteArray> m_lastFingerprint;
    bool m_reachable = false;
    bool m_warned = false; ///< the "engine not reachable" warning was given
};

} // namespace portico::provider::docker
