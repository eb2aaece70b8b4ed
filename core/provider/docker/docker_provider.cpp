#include "core/provider/docker/docker_provider.h"

#include "core/common/log.h"
#include "core/provider/docker/container_config.h"
#include "core/provider/docker/engine_request.h"
#include "core/provider/docker/snapshot_merge.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTimer>

namespace portico::provider::docker {

namespace {

constexpr std::chrono::milliseconds requestTimeout { 10000 };
constexpr qsizetype maxEventLine = 1 << 20;

/// The container events that can change routing; others (exec_*, attach, create, …) cannot.
bool routingEvent(const QString &action)
{
    static const QSet<QString> actions = { QStringLiteral("start"), QStringLiteral("restart"),
        QStringLiteral("die"), QStringLiteral("died"), QStringLiteral("stop"),
        QStringLiteral("destroy"), QStringLiteral("remove"), QStringLiteral("pause"),
        QStringLiteral("unpause"), QStringLiteral("rename"), QStringLiteral("update"),
        QStringLiteral("connect"), QStringLiteral("disconnect") };
    return actions.contains(action) || action.startsWith(QLatin1String("health_status"));
}

/// What the configuration of a container depends on; equal fingerprints give equal snapshots.
void fingerprint(QByteArray &out, const ContainerInfo &c)
{
    const auto add = [&out](const QString &s) { out += s.toUtf8() + '\0'; };
    add(c.id), add(c.name), add(c.state), add(c.health), add(c.networkMode);
    for (const auto &[key, value] : c.labels)
        add(key), add(value);
    for (const NetworkAttachment &n : c.networks)
        add(n.name), add(n.ipv4), add(n.ipv6);
    for (const ExposedPort &p : c.ports) {
        add(QString::number(p.port) + p.protocol);
        for (const PortBinding &b : p.bindings)
            add(b.hostIp + u':' + QString::number(b.hostPort));
    }
    out += '\1';
}

} // namespace

DockerProvider::DockerProvider(config::DockerProviderSpec spec, QObject *parent)
    : Provider(parent)
    , m_spec(std::move(spec))
    , m_coalesce(new QTimer(this))
    , m_reconnect(new QTimer(this))
{
    m_coalesce->setSingleShot(true);
    m_coalesce->setInterval(std::chrono::milliseconds(60));
    connect(m_coalesce, &QTimer::timeout, this, &DockerProvider::refresh);
    m_reconnect->setSingleShot(true);
    connect(m_reconnect, &QTimer::timeout, this, &DockerProvider::connectEngine);
}

DockerProvider::~DockerProvider()
{
    if (m_events)
        m_events->abort();
}

void DockerProvider::setCoalesceInterval(std::chrono::milliseconds interval)
{
    m_coalesce->setInterval(interval);
}

void DockerProvider::setBackoff(std::chrono::milliseconds first, std::chrono::milliseconds max)
{
    m_firstBackoff = m_backoff = first;
    m_maxBackoff = max;
}

void DockerProvider::start()
{
    Expected<EngineEndpoint> endpoint = resolveEndpoint(m_spec.endpoint);
    if (!endpoint) {
        qCWarning(lcProvider, "docker: %s", qPrintable(endpoint.error().toString()));
        Q_EMIT snapshotFailed({ endpoint.error() });
        return;
    }
    m_endpoint = *endpoint;
    qCInfo(lcProvider, "docker: using the engine at %s", qPrintable(m_endpoint->text));
    connectEngine();
}

void DockerProvider::connectEngine()
{
    if (m_spec.watch) {
        auto *request = new EngineRequest(
            *m_endpoint, "/v1.41/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D", this);
        m_events = request;
        request->setDataHandler([this](QByteArrayView data) { onEvents(data); });
        request->start([this, request](Expected<EngineResponse> result) {
            if (m_events != request)
                return;
            m_events.clear();
            if (!result)
                return engineLost(result.error());
            engineLost(Error { QStringLiteral("docker engine at \"%1\" ended the events stream "
                                              "(status %2)")
                                   .arg(m_endpoint->text)
                                   .arg(result->status),
                {}, {} });
        });
    }
    // Podman sends the events response head only with the first event, so the stream cannot
    // say when it is subscribed: list shortly after asking for it, and once more a little later
    // for anything that started in between.
    scheduleRefresh();
    QTimer::singleShot(std::chrono::milliseconds(1000), this, &DockerProvider::scheduleRefresh);
}

void DockerProvider::onEvents(QByteArrayView data)
{
    m_eventBuffer.append(data.data(), data.size());
    qsizetype newline;
    while ((newline = m_eventBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_eventBuffer.left(newline).trimmed();
        m_eventBuffer.remove(0, newline + 1);
        if (!line.isEmpty())
            handleEvent(line);
    }
    if (m_eventBuffer.size() > maxEventLine)
        m_eventBuffer.clear(); // not line-delimited JSON: drop rather than grow without bound
}

void DockerProvider::handleEvent(const QByteArray &line)
{
    const QJsonObject event = QJsonDocument::fromJson(line).object();
    const QString type = event.value(QLatin1String("Type")).toString();
    QString action = event.value(QLatin1String("Action")).toString();
    if (action.isEmpty())
        action = event.value(QLatin1String("status")).toString();
    qCDebug(lcProvider, "docker: event %s %s", qPrintable(type), qPrintable(action));
    if ((type.isEmpty() || type == QLatin1String("container")) && routingEvent(action))
        scheduleRefresh();
}

void DockerProvider::engineLost(const Error &error)
{
    if (m_events)
        m_events->abort();
    m_events.clear();
    m_eventBuffer.clear();
    setReachable(false);
    if (m_reconnect->isActive())
        return; // the stream and a listing failed together: one retry is enough
    if (!m_warned) {
        m_warned = true;
        qCWarning(lcProvider, "docker: %s; retrying with back-off up to %s s",
            qPrintable(error.toString()),
            qPrintable(QString::number(double(m_maxBackoff.count()) / 1000.0)));
        Q_EMIT snapshotFailed({ error });
    } else {
        qCDebug(lcProvider, "docker: %s", qPrintable(error.toString()));
    }
    m_reconnect->start(m_backoff);
    m_backoff = std::min(m_backoff * 2, m_maxBackoff);
}

void DockerProvider::setReachable(bool reachable)
{
    if (reachable) {
        m_backoff = m_firstBackoff;
        if (m_warned)
            qCInfo(lcProvider, "docker: engine at %s is reachable again",
                qPrintable(m_endpoint->text));
        m_warned = false;
    }
    if (reachable == m_reachable)
        return;
    m_reachable = reachable;
    Q_EMIT engineReachableChanged(reachable);
}

void DockerProvider::scheduleRefresh()
{
    if (m_endpoint && !m_coalesce->isActive())
        m_coalesce->start();
}

void DockerProvider::refresh()
{
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    m_refreshing = true;
    const quint64 generation = ++m_generation;
    engineGet(*m_endpoint, "/v1.41/containers/json", this, requestTimeout,
        [this, generation](Expected<QByteArray> body) { onListed(generation, std::move(body)); });
}

void DockerProvider::onListed(quint64 generation, Expected<QByteArray> body)
{
    if (!body) {
        m_refreshing = m_refreshAgain = false;
        return engineLost(body.error());
    }
    setReachable(true);
    m_inspected.clear();
    const QJsonArray list = QJsonDocument::fromJson(*body).array();
    m_pending = int(list.size());
    if (m_pending == 0)
        return publish();
    for (const QJsonValue &entry : list) {
        const QString id = entry.toObject().value(QLatin1String("Id")).toString();
        engineGet(*m_endpoint, "/v1.41/containers/" + id.toUtf8() + "/json", this, requestTimeout,
            [this, generation](
                Expected<QByteArray> inspect) { onInspected(generation, std::move(inspect)); });
    }
}

void DockerProvider::onInspected(quint64 generation, Expected<QByteArray> body)
{
    if (generation != m_generation)
        return;
    // A container removed between list and inspect answers 404: it is simply gone.
    if (body) {
        if (std::optional<ContainerInfo> info
            = parseContainerInfo(QJsonDocument::fromJson(*body).object()))
            m_inspected[info->id] = std::move(*info);
    }
    if (--m_pending == 0)
        publish();
}

void DockerProvider::publish()
{
    m_refreshing = false;
    QByteArray print;
    std::vector<ContainerRoutes> routes;
    for (const auto &[id, info] : m_inspected) {
        fingerprint(print, info);
        if (std::optional<ContainerRoutes> r = containerConfig(info, m_spec))
            routes.push_back(std::move(*r));
    }
    if (!m_lastFingerprint || print != *m_lastFingerprint) {
        m_lastFingerprint = print;
        qCDebug(lcProvider, "docker: %zu container(s) routed of %zu", routes.size(),
            m_inspected.size());
        Q_EMIT snapshotReady(mergeContainers(std::move(routes)));
    }
    if (std::exchange(m_refreshAgain, false))
        scheduleRefresh();
}

} // namespace portico::provider::docker
