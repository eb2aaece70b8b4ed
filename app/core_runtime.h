#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"
#include "core/control/api/api_wiring.h"
#include "core/control/runtime_state.h"
#include "core/proxy/proxy_server.h"

#include <QObject>
#include <QPointer>
#include <QThread>
#include <QUrl>

#include <map>
#include <memory>
#include <vector>

namespace portico::control {
class ControlPlane;
}
namespace portico::control::api {
class ApiServer;
}
namespace portico::provider {
class Provider;
}

namespace portico::app {

/// The routing core as every shell (serve, the GUI) starts it: a ProxyServer with its engine
/// threads on the calling thread, and a ControlPlane (file provider, table builds, health checks)
/// on its own "control" thread. Its signals are re-emitted on the thread this object lives on, so
/// a consumer there receives value copies through queued connections and never touches the core.
class CoreRuntime : public QObject
{
    Q_OBJECT
public:
    explicit CoreRuntime(config::StaticConfig config, QObject *parent = nullptr);
    /// Stops the control thread, then the engines (no grace; call shutdown() first for one).
    ~CoreRuntime() override;

    /// Binds every entry point and starts the engine threads; on failure nothing is bound and the
    /// error says how to fix it.
    Expected<void> listen();
    /// Starts the control thread; its routing tables go to the engines (bound or not).
    void startControl();
    /// Graceful stop within the configuration's grace timeout; finished() follows.
    void shutdown();

    const config::StaticConfig &config() const { return m_config; }
    const proxy::ProxyServer &server() const { return m_server; }
    /// `http://127.0.0.1:8080` for each address entry point `name` is bound to.
    QStringList urls(const QString &entryPoint) const;
    /// The port each bound entry point listens on, by name.
    std::map<QString, quint16> ports() const;

    /// Adds a module's control-API endpoints (control/api/api_wiring.h: called once on the
    /// control thread with the ApiRouter and the ControlPlane, before the API answers and before
    /// the providers start). Call before startControl().
    void addApiEndpoints(control::api::ApiRegistration registration);
    /// The control API's URL (`http://127.0.0.1:PORT`); empty until listen() succeeded.
    QUrl apiUrl() const { return m_apiUrl; }

Q_SIGNALS:
    /// The control plane's merged state after each build or health change (queued, value copy).
    void stateChanged(const portico::control::RuntimeState &state);
    /// A provider could not read its source; the previous configuration stays in force.
    void providerFailed(const QString &provider, const std::vector<portico::Error> &errors);
    /// A provider read its source successfully (emitted before the build that follows).
    void providerRead(const QString &provider);
    /// shutdown() completed: nothing listens and every engine thread is joined.
    void finished();

private:
    void addProvider(std::unique_ptr<provider::Provider> provider);
    /// Aliases and toggles (provider/state), `portico run` (provider/run) and their endpoints.
    void addStateProviders();

    config::StaticConfig m_config;
    proxy::ProxyServer m_server;
    QThread m_controlThread;
    control::ControlPlane *m_plane; ///< lives on m_controlThread, deleted when it finishes
    /// The control API: listens from listen(), moves to m_controlThread in startControl().
    QPointer<control::api::ApiServer> m_api;
    QUrl m_apiUrl;
    std::vector<control::api::ApiRegistration> m_apiRegistrations;
    Expected<void> listenApi();
    void startApi();
};

} // namespace portico::app
