#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"
#include "core/control/api/api_wiring.h"
#include "core/control/runtime_state.h"
#include "core/provider/ports/proposal.h"
#include "core/proxy/proxy_server.h"
#include "core/tls/leaf_inventory.h"

#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QUrl>

#include <functional>
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
class StateProvider;
} // namespace portico::provider
namespace portico::provider::ports {
class PortsProvider;
struct ProcessInfo;
} // namespace portico::provider::ports
namespace portico::observe {
class CaptureHub;
class HistoryStore;
class AccessLog;
} // namespace portico::observe
namespace portico {
class ReopenSignal;
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
    /// Publishes discovered dev server `id` as `name` (default: its proposed name) on the control
    /// thread; the outcome arrives as proposalsChanged or proposalFailed. No-op without discovery.
    void publishProposal(const QString &id, const QString &name = {});
    /// Asks the leaf service (on its thread) for the CA and the leaves it holds: the answer
    /// arrives as certificatesChanged. No-op without a local CA.
    void requestCertificates();
    /// Whether `providers.ports` runs (the GUI offers discovered dev servers).
    bool hasDiscovery() const { return m_ports; }
    /// Limits discovery to processes `accept` approves (tests: their own children); call before
    /// startControl(). No-op without discovery.
    void setDiscoveryFilter(std::function<bool(const provider::ports::ProcessInfo &)> accept);
    /// Pauses (the paused page answers) or resumes router `router` (qualified) in state.json on
    /// the control thread; the new state arrives as stateChanged, a refusal as actionFailed.
    void setRouterPaused(const QString &router, bool paused);
    /// Adds or replaces alias `name` → `target` (a port or a URL) in state.json on the control
    /// thread; with `replacing` (a rename), that alias is removed once `name` is stored. A refusal
    /// arrives as actionFailed (and `replacing` stays).
    void setAlias(const QString &name, const QString &target, const QString &replacing = {});
    /// Removes alias `name` on the control thread; an unknown name arrives as actionFailed.
    void removeAlias(const QString &name);
    /// Explains how the routing in force treats a GET of `url` (control/explain.h, as
    /// `portico explain`) on the control thread; the answer arrives as explained or explainFailed.
    void explain(const QString &url);
    /// captureHub(): every exchange's record (API, history, access log, metrics, GUI); null when
    /// `portico.capture.enabled` is false. Lives on this object's thread (its signals are emitted
    /// there); thread-safe queries; outlives the engines.
    observe::CaptureHub *captureHub() const { return m_capture.get(); }
    /// The on-disk history (`portico.capture.history`); null when disabled or it failed to open.
    /// Thread-safe queries (history_store.h).
    observe::HistoryStore *historyStore() const { return m_history.get(); }

Q_SIGNALS:
    /// The control plane's merged state after each build or health change (queued, value copy).
    void stateChanged(const portico::control::RuntimeState &state);
    /// A provider could not read its source; the previous configuration stays in force.
    void providerFailed(const QString &provider, const std::vector<portico::Error> &errors);
    /// A provider read its source successfully (emitted before the build that follows).
    void providerRead(const QString &provider);
    /// shutdown() completed: nothing listens and every engine thread is joined.
    void finished();
    /// The ports provider's dev servers changed (emitted on the control thread: connect queued).
    void proposalsChanged(const std::vector<portico::provider::ports::Proposal> &proposals);
    /// publishProposal(`id`) was refused (unknown id, a name already used).
    void proposalFailed(const QString &id, const portico::Error &error);
    /// The local CA and its leaves (value copy, emitted on the leaf service's thread: connect
    /// queued): when the control thread starts, after each leaf issued or renewed, when the CA
    /// rotates, and for requestCertificates().
    void certificatesChanged(const portico::tls::IssuedCertificates &certificates);
    /// setRouterPaused, setAlias or removeAlias was refused; `action` says which
    /// (`pause shop@file`, `alias shop`, `remove alias shop`).
    void actionFailed(const QString &action, const portico::Error &error);
    /// explain(`url`)'s answer: toJson(Explanation) (control/explain_text.h renders it).
    void explained(const QString &url, const QJsonObject &explanation);
    /// explain(`url`) failed: not an http(s) URL, no routing table yet.
    void explainFailed(const QString &url, const portico::Error &error);

private:
    void addProvider(std::unique_ptr<provider::Provider> provider);
    /// Aliases and toggles (provider/state), `portico run` (provider/run) and their endpoints.
    void addStateProviders();
    /// Re-emits the ports provider's proposals for the GUI (proposalsChanged).
    void watchProposals(provider::ports::PortsProvider *ports);
    /// The history and the access log, fed by the capture hub.
    void addRecordConsumers();
    /// Re-emits the leaf service's changes as certificatesChanged.
    void watchCertificates();

    config::StaticConfig m_config;
    std::unique_ptr<observe::CaptureHub> m_capture; ///< before m_server: outlives the engines
    std::unique_ptr<observe::HistoryStore> m_history; ///< owns its writer thread
    std::unique_ptr<observe::AccessLog> m_accessLog; ///< on this object's thread
    std::unique_ptr<ReopenSignal> m_reopenSignal; ///< SIGUSR1 → m_accessLog->reopen()
    proxy::ProxyServer m_server;
    QThread m_controlThread;
    provider::ports::PortsProvider *m_ports
        = nullptr; ///< on m_controlThread; null without discovery
    provider::StateProvider *m_stateProvider = nullptr; ///< on m_controlThread (aliases, pauses)
    control::ControlPlane *m_plane; ///< lives on m_controlThread, deleted when it finishes
    /// The control API: listens from listen(), moves to m_controlThread in startControl().
    QPointer<control::api::ApiServer> m_api;
    QUrl m_apiUrl;
    std::vector<control::api::ApiRegistration> m_apiRegistrations;
    Expected<void> listenApi();
    void startApi();
};

} // namespace portico::app
