#include "app/core_runtime.h"

#include "core/common/paths.h"
#include "core/common/reopen_signal.h"
#include "core/control/api/api_server.h"
#include "core/control/api/explain_endpoints.h"
#include "core/control/api/metrics_endpoints.h"
#include "core/control/api/ports_endpoints.h"
#include "core/control/api/requests_endpoints.h"
#include "core/control/api/state_endpoints.h"
#include "core/control/control_plane.h"
#include "core/control/explain.h"
#include "core/observe/access_log.h"
#include "core/observe/capture_hub.h"
#include "core/observe/history_store.h"
#include "core/provider/docker/docker_provider.h"
#include "core/provider/file/file_provider.h"
#include "core/provider/ports/ports_provider.h"
#include "core/provider/run/run_provider.h"
#include "core/provider/state/state_provider.h"
#include "core/tls/leaf_service.h"

#include <algorithm>

namespace portico::app {

namespace {

/// `portico.capture` → the hub's settings; no hub at all when capture is disabled.
std::unique_ptr<observe::CaptureHub> makeCaptureHub(const config::StaticConfig &config)
{
    const config::CaptureSpec &spec = config.capture;
    // The access log and the metrics count the same records: without capture they still need
    // the hub, paused so that it keeps no bodies and no ring.
    if (!spec.enabled && !config.accessLog && !config.metrics)
        return nullptr;
    observe::CaptureSettings settings;
    settings.paused = !spec.enabled;
    settings.bodyCap = spec.bodyCap;
    settings.budgetBytes = spec.budget;
    settings.maxMessages = spec.maxMessages;
    settings.messageCap = spec.messageCap;
    settings.routers = spec.routers;
    return std::make_unique<observe::CaptureHub>(settings);
}

} // namespace

CoreRuntime::CoreRuntime(config::StaticConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_capture(makeCaptureHub(m_config))
    , m_plane(new control::ControlPlane(m_config))
{
    m_server.setCaptureHub(m_capture.get()); // before listen(): engines take it when created
    addRecordConsumers();
    // Prometheus (metrics.prometheus) and the route explainer; ports are read once bound.
    if (auto metrics = control::api::prometheusRegistration(
            m_config, m_capture.get(), this, m_server.connectionGauges()))
        addApiEndpoints(std::move(metrics));
    addApiEndpoints(control::api::explainRegistration([this] { return ports(); }));
    // The inspector (/api/portico/requests...): runs after listen(), so replays know the ports.
    addApiEndpoints([this](auto &router, auto &) {
        control::api::registerRequestsEndpoints(router,
            control::api::requestsContext(
                m_capture.get(), m_history.get(), m_server.boundAddresses()));
    });
    if (m_config.fileProvider)
        addProvider(std::make_unique<provider::FileProvider>(*m_config.fileProvider));
    if (m_config.dockerProvider)
        addProvider(std::make_unique<provider::docker::DockerProvider>(*m_config.dockerProvider));
    addStateProviders();
    if (m_config.portsProvider) { // discovered dev servers, proposed through the control API
        auto discovery = std::make_unique<provider::ports::PortsProvider>(*m_config.portsProvider);
        addApiEndpoints([p = discovery.get()](auto &router, auto &) {
            control::api::registerPortsEndpoints(router, *p);
        });
        watchProposals(discovery.get()); // the GUI's in-process view of them
        addProvider(std::move(discovery));
    }
    m_controlThread.setObjectName(QStringLiteral("control"));
    m_plane->moveToThread(&m_controlThread);
    tls::CaOptions caOptions;
    caOptions.extraSuffixes = m_config.tlsExtraSuffixes;
    if (auto ca = m_server.useLocalCa(paths::caDir(), &m_controlThread, caOptions); !ca)
        qWarning().noquote() << "local CA unavailable:" << ca.error().toString();
    watchCertificates();
    connect(&m_controlThread, &QThread::finished, m_plane, &QObject::deleteLater);
    // Queued to the server's own thread: ProxyServer is not thread-safe, and a table arriving
    // while shutdown() joins the engines must not touch them from the control thread.
    connect(m_plane, &control::ControlPlane::routingTableReady, &m_server,
        &proxy::ProxyServer::setRoutingTable, Qt::QueuedConnection);
    connect(m_plane, &control::ControlPlane::stateChanged, this, &CoreRuntime::stateChanged,
        Qt::QueuedConnection);
    connect(m_plane, &control::ControlPlane::providerFailed, this, &CoreRuntime::providerFailed,
        Qt::QueuedConnection);
    connect(&m_server, &proxy::ProxyServer::finished, this, &CoreRuntime::finished);
}

void CoreRuntime::addRecordConsumers()
{
    if (!m_capture)
        return;
    if (const config::HistorySpec &spec = m_config.capture.history;
        spec.enabled && m_config.capture.enabled) {
        m_history = std::make_unique<observe::HistoryStore>(
            observe::HistorySettings { true, spec.path, spec.maxSize, spec.maxAge });
        if (auto opened = m_history->open(); opened) {
            m_history->attach(*m_capture); // ids continue after the stored ones
        } else {
            qWarning().noquote() << "history disabled:" << opened.error().toString();
            m_history.reset();
        }
    }
    if (!m_config.accessLog)
        return;
    m_accessLog = std::make_unique<observe::AccessLog>(*m_config.accessLog);
    if (auto opened = m_accessLog->open(); !opened) {
        qWarning().noquote() << "access log disabled:" << opened.error().toString();
        m_accessLog.reset();
        return;
    }
    connect(m_capture.get(), &observe::CaptureHub::exchangesFinished, m_accessLog.get(),
        &observe::AccessLog::write, Qt::QueuedConnection);
    m_reopenSignal = std::make_unique<ReopenSignal>();
    connect(m_reopenSignal.get(), &ReopenSignal::reopenRequested, m_accessLog.get(),
        &observe::AccessLog::reopen);
}

void CoreRuntime::watchProposals(provider::ports::PortsProvider *ports)
{
    qRegisterMetaType<std::vector<provider::ports::Proposal>>();
    qRegisterMetaType<Error>();
    m_ports = ports;
    // Read on the control thread, where the provider lives; the signal reaches others queued.
    connect(ports, &provider::ports::PortsProvider::proposalsChanged, ports,
        [this, ports] { Q_EMIT proposalsChanged(ports->proposals()); });
}

void CoreRuntime::publishProposal(const QString &id, const QString &name)
{
    if (!m_ports)
        return;
    QMetaObject::invokeMethod(m_ports, [this, id, name] {
        if (auto published = m_ports->publish(id, name); !published)
            Q_EMIT proposalFailed(id, published.error());
    });
}

void CoreRuntime::addStateProviders()
{
    auto state = std::make_unique<provider::StateProvider>(paths::statePath());
    auto runs = std::make_unique<provider::RunProvider>();
    m_stateProvider = state.get();
    // Runs after listen(), on the control thread: URLs name the ports actually bound.
    addApiEndpoints([this, s = state.get(), r = runs.get()](auto &router, auto &plane) {
        const auto urls = control::api::routeUrls(m_config.entryPoints, ports());
        control::api::stateRegistration(*s, *r, urls)(router, plane);
    });
    addProvider(std::move(state));
    addProvider(std::move(runs));
}

void CoreRuntime::addProvider(std::unique_ptr<provider::Provider> provider)
{
    const QString name = provider->name();
    // Queued to this thread, in order with the stateChanged of the build it triggers.
    connect(
        provider.get(), &provider::Provider::snapshotReady, this,
        [this, name] { Q_EMIT providerRead(name); }, Qt::QueuedConnection);
    m_plane->addProvider(std::move(provider));
}

CoreRuntime::~CoreRuntime()
{
    // The control thread goes first so no table reaches a server being torn down.
    m_controlThread.quit();
    m_controlThread.wait();
    delete m_api.data(); // null when it moved to the control thread (deleted when it finished)
}

Expected<void> CoreRuntime::listen()
{
    if (auto api = listenApi(); !api)
        return api;
    auto bound
        = m_server.listen(m_config.entryPoints, m_config.serversTransport, m_config.engineThreads);
    if (!bound)
        m_api->close();
    return bound;
}

Expected<void> CoreRuntime::listenApi()
{
    if (m_api && m_api->isListening())
        return {};
    delete m_api.data();
    m_api = new control::api::ApiServer;
    if (auto listening = m_api->listen(m_config.controlAddress); !listening) {
        delete m_api.data();
        return listening;
    }
    m_apiUrl = m_api->url();
    return {};
}

void CoreRuntime::addApiEndpoints(control::api::ApiRegistration registration)
{
    m_apiRegistrations.push_back(std::move(registration));
}

void CoreRuntime::startApi()
{
    if (!m_api) // not listening: the registrations still run (modules may rely on them)
        m_api = new control::api::ApiServer;
    m_api->moveToThread(&m_controlThread);
    connect(&m_controlThread, &QThread::finished, m_api, &QObject::deleteLater);
    // Queued before ControlPlane::start, so endpoints and api@internal exist before anything runs.
    QMetaObject::invokeMethod(
        m_api,
        [api = m_api.data(), plane = m_plane, registrations = m_apiRegistrations] {
            control::api::installApi(*api, *plane, registrations);
        },
        Qt::QueuedConnection);
}

void CoreRuntime::startControl()
{
    if (m_controlThread.isRunning())
        return;
    startApi();
    m_controlThread.start();
    QMetaObject::invokeMethod(m_plane, &control::ControlPlane::start, Qt::QueuedConnection);
}

void CoreRuntime::shutdown()
{
    m_server.shutdown(m_config.graceTimeout);
}

QStringList CoreRuntime::urls(const QString &entryPoint) const
{
    // An entry point with `http.tls` only serves TLS routers; others serve both, plain first.
    const bool tlsOnly = std::any_of(m_config.entryPoints.begin(), m_config.entryPoints.end(),
        [&](const config::EntryPointSpec &spec) { return spec.name == entryPoint && spec.tls; });
    const QString scheme = tlsOnly ? QStringLiteral("https") : QStringLiteral("http");
    QStringList out;
    for (const auto &bound : m_server.boundAddresses()) {
        if (bound.entryPoint != entryPoint)
            continue;
        const QString host = bound.address.protocol() == QAbstractSocket::IPv6Protocol
            ? u'[' + bound.address.toString() + u']'
            : bound.address.toString();
        out << QStringLiteral("%1://%2:%3").arg(scheme, host).arg(bound.port);
    }
    return out;
}

std::map<QString, quint16> CoreRuntime::ports() const
{
    std::map<QString, quint16> out;
    for (const auto &bound : m_server.boundAddresses())
        out[bound.entryPoint] = bound.port;
    return out;
}

// The GUI's service actions: each runs on the control thread, where the providers and the plane
// live; outcomes come back as queued signals (a new state, or actionFailed / explained).

void CoreRuntime::setDiscoveryFilter(
    std::function<bool(const provider::ports::ProcessInfo &)> accept)
{
    if (m_ports)
        m_ports->setProcessFilter(std::move(accept));
}

void CoreRuntime::setRouterPaused(const QString &router, bool paused)
{
    qRegisterMetaType<Error>();
    QMetaObject::invokeMethod(m_stateProvider, [this, router, paused] {
        if (auto changed = m_stateProvider->setPaused(router, paused); !changed)
            Q_EMIT actionFailed(
                (paused ? QStringLiteral("pause ") : QStringLiteral("resume ")) + router,
                changed.error());
    });
}

void CoreRuntime::setAlias(const QString &name, const QString &target, const QString &replacing)
{
    qRegisterMetaType<Error>();
    QMetaObject::invokeMethod(m_stateProvider, [this, name, target, replacing] {
        auto stored = m_stateProvider->setAlias(name, target);
        if (!stored) {
            Q_EMIT actionFailed(QStringLiteral("alias ") + name, stored.error());
            return;
        }
        if (replacing.isEmpty() || replacing == stored->first)
            return;
        if (auto removed = m_stateProvider->removeAlias(replacing); !removed)
            Q_EMIT actionFailed(QStringLiteral("remove alias ") + replacing, removed.error());
    });
}

void CoreRuntime::removeAlias(const QString &name)
{
    qRegisterMetaType<Error>();
    QMetaObject::invokeMethod(m_stateProvider, [this, name] {
        auto removed = m_stateProvider->removeAlias(name);
        if (removed && *removed)
            return;
        Q_EMIT actionFailed(QStringLiteral("remove alias ") + name,
            removed ? Error { QStringLiteral("no alias named \"%1\"").arg(name), {}, {} }
                    : removed.error());
    });
}

void CoreRuntime::explain(const QString &url)
{
    qRegisterMetaType<Error>();
    // Read here: the bound ports belong to the server on this thread.
    QMetaObject::invokeMethod(m_plane, [this, url, bound = ports()] {
        control::ExplainRequest request;
        request.url
            = QUrl(url.contains(QLatin1String("://")) ? url : QStringLiteral("http://") + url,
                QUrl::StrictMode);
        control::ExplainContext context;
        context.table = m_plane->routingTable();
        context.state = &m_plane->state();
        context.entryPoints = m_plane->staticConfig().entryPoints;
        context.boundPorts = bound;
        auto explanation = request.url.isValid()
            ? control::explain(request, context)
            : Expected<control::Explanation>(
                Error { QStringLiteral("invalid URL \"%1\"").arg(url), {}, {} });
        if (explanation)
            Q_EMIT explained(url, control::toJson(*explanation));
        else
            Q_EMIT explainFailed(url, explanation.error());
    });
}

void CoreRuntime::watchCertificates()
{
    tls::LeafService *service = m_server.leafService();
    if (!service)
        return;
    qRegisterMetaType<tls::IssuedCertificates>();
    // Each runs on the service's thread, where its issuer may be read.
    const auto emitNow
        = [this, service] { Q_EMIT certificatesChanged(tls::describeIssued(service->issuer())); };
    connect(service, &tls::LeafService::leafReady, service, [emitNow](const QString &, bool ok) {
        if (ok)
            emitNow();
    });
    connect(service, &tls::LeafService::storeChanged, service, emitNow);
    connect(service, &tls::LeafService::caChanged, service, emitNow);
    connect(&m_controlThread, &QThread::started, service, emitNow);
}

void CoreRuntime::requestCertificates()
{
    if (tls::LeafService *service = m_server.leafService())
        QMetaObject::invokeMethod(service, [this, service] {
            Q_EMIT certificatesChanged(tls::describeIssued(service->issuer()));
        });
}

} // namespace portico::app
