// Discovery: the periodic listener-table read, the per-listener identification and the HTTP
// probes. Naming, publishing and snapshots are in ports_publishing.cpp.
#include "core/provider/ports/ports_provider.h"

#include "core/common/log.h"
#include "core/common/paths.h"
#include "core/provider/ports/http_probe.h"
#include "core/provider/project/project_name.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace portico::provider::ports {
namespace {

using namespace std::chrono_literals;

/// Probes in flight at once; a burst of new listeners is probed over a few scans.
constexpr int maxRunningProbes = 4;

/// Where to reach a listener: loopback of the family it is bound to, wildcard binds on loopback.
QString upstreamHost(const QStringList &addresses)
{
    if (addresses.contains(QLatin1String("127.0.0.1"))
        || addresses.contains(QLatin1String("0.0.0.0")))
        return QStringLiteral("127.0.0.1");
    if (addresses.contains(QLatin1String("::1")) || addresses.contains(QLatin1String("::")))
        return QStringLiteral("::1");
    return addresses.value(0);
}

QString upstreamUrl(const QStringList &addresses, quint16 port)
{
    const QString host = upstreamHost(addresses);
    return host.contains(QLatin1Char(':')) ? QStringLiteral("http://[%1]:%2").arg(host).arg(port)
                                           : QStringLiteral("http://%1:%2").arg(host).arg(port);
}

} // namespace

PortsProvider::PortsProvider(config::PortsProviderSpec spec, QString choicesPath,
    std::unique_ptr<ListenerTable> table, QObject *parent)
    : Provider(parent)
    , m_spec(std::move(spec))
    , m_table(table ? std::move(table) : makeListenerTable())
    , m_choices(choicesPath.isEmpty()
              ? QDir(paths::homeDir()).filePath(QStringLiteral("ports.json"))
              : std::move(choicesPath))
    , m_observer { currentProcessId(), currentUserId() }
    , m_timer(new QTimer(this))
    , m_probeTimeouts { 1000ms, 3000ms, 10000ms }
{
    m_timer->setTimerType(Qt::CoarseTimer);
    connect(m_timer, &QTimer::timeout, this, &PortsProvider::scan);
}

PortsProvider::~PortsProvider() = default;

void PortsProvider::start()
{
    if (const auto loaded = m_choices.load(); !loaded.ok())
        qCWarning(lcProvider) << "ports:" << loaded.error().toString();
    emitSnapshot(true);
    scan();
    m_timer->start(std::max(m_spec.interval, std::chrono::milliseconds(10)));
}

void PortsProvider::setProbeTimeouts(std::vector<std::chrono::milliseconds> timeouts)
{
    if (!timeouts.empty())
        m_probeTimeouts = std::move(timeouts);
}

void PortsProvider::scan()
{
    // Plain strings until something changed: a steady scan allocates no QString.
    std::map<Key, std::vector<std::string>> bound;
    for (Listener &listener : m_table->read()) {
        if (listener.pid < 0)
            continue;
        auto &addresses = bound[{ listener.pid, listener.port }];
        if (std::find(addresses.begin(), addresses.end(), listener.address) == addresses.end())
            addresses.push_back(std::move(listener.address));
    }
    bool changed = false;
    for (auto it = m_tracked.begin(); it != m_tracked.end();) {
        if (bound.count(it->first)) {
            ++it;
            continue;
        }
        changed = changed || isProposal(it->second);
        it = m_tracked.erase(it);
    }
    for (auto &[key, addresses] : bound) {
        auto it = m_tracked.find(key);
        if (it == m_tracked.end()) {
            const std::optional<ProcessInfo> process = readProcessInfo(key.first);
            it = m_tracked.emplace(key, track(key, process ? &*process : nullptr)).first;
        }
        std::sort(addresses.begin(), addresses.end());
        if (it->second.boundAddresses != addresses) {
            it->second.boundAddresses = std::move(addresses);
            updateAddresses(it->second);
            changed = changed || isProposal(it->second);
        }
    }
    startProbes();
    if (changed)
        refresh();
}

void PortsProvider::updateAddresses(Tracked &tracked)
{
    Proposal &proposal = tracked.proposal;
    proposal.addresses.clear();
    for (const std::string &address : tracked.boundAddresses)
        proposal.addresses.append(QString::fromStdString(address));
    proposal.url = upstreamUrl(proposal.addresses, proposal.port);
}

/// Identifies a new listener once; what is learnt here is kept while it listens.
PortsProvider::Tracked PortsProvider::track(const Key &key, const ProcessInfo *process)
{
    Tracked tracked;
    tracked.sequence = m_nextSequence++;
    Proposal &proposal = tracked.proposal;
    proposal.id = QStringLiteral("%1-%2").arg(key.second).arg(key.first);
    proposal.port = key.second;
    proposal.pid = key.first;
    if (!process) {
        tracked.exclusion = QStringLiteral("process %1 not readable").arg(key.first);
        return tracked;
    }
    tracked.exclusion = exclusionReason(*process, key.second, m_observer);
    if (tracked.exclusion.isEmpty() && m_processFilter && !m_processFilter(*process))
        tracked.exclusion = QStringLiteral("filtered out");
    if (!tracked.exclusion.isEmpty())
        return tracked;
    proposal.executable = process->executable;
    proposal.commandLine = process->commandLine();
    proposal.workingDirectory = process->workingDirectory;
    proposal.kind = devServerKind(*process);
    const QString directory = process->workingDirectory.isEmpty()
        ? QFileInfo(process->executable).absolutePath()
        : process->workingDirectory;
    const Project project = identifyProject(directory);
    proposal.projectRoot = project.root.isEmpty() ? directory : project.root;
    tracked.baseName = !project.name.isEmpty() ? project.name
        : !proposal.kind.isEmpty()             ? dnsLabel(proposal.kind)
                                               : QStringLiteral("app");
    qCDebug(lcProvider) << "ports: new listener" << proposal.id << proposal.commandLine;
    return tracked;
}

void PortsProvider::setProcessFilter(std::function<bool(const ProcessInfo &)> accept)
{
    m_processFilter = std::move(accept);
}

void PortsProvider::startProbes()
{
    for (auto &[key, tracked] : m_tracked) {
        if (m_runningProbes >= maxRunningProbes)
            return;
        if (!tracked.exclusion.isEmpty() || tracked.probe != ProbeState::Pending)
            continue;
        tracked.probe = ProbeState::Running;
        ++m_runningProbes;
        const auto timeout = m_probeTimeouts.at(
            std::min(size_t(tracked.probeAttempt), m_probeTimeouts.size() - 1));
        HttpProbe::start(upstreamHost(tracked.proposal.addresses), key.second, timeout, this,
            [this, key = key](const ProbeResult &result) {
                onProbed(key, result.http, result.silent, result.title);
            });
    }
}

void PortsProvider::onProbed(const Key &key, bool http, bool silent, const QString &title)
{
    --m_runningProbes;
    const auto it = m_tracked.find(key);
    if (it != m_tracked.end()) { // else it stopped listening while being probed
        Tracked &tracked = it->second;
        if (http) {
            tracked.probe = ProbeState::Http;
            tracked.proposal.title = title;
            qCInfo(lcProvider).noquote() << "ports: found" << tracked.proposal.kind << "on port"
                                         << key.second << "pid" << key.first;
        } else if (silent && size_t(++tracked.probeAttempt) < m_probeTimeouts.size()) {
            tracked.probe = ProbeState::Pending; // tried again with the next, longer timeout
        } else {
            tracked.probe = ProbeState::NotHttp;
        }
    }
    startProbes(); // the next waiting listener takes this probe's place
    if (http && it != m_tracked.end())
        refresh();
}

int PortsProvider::undecidedCount() const
{
    return int(std::count_if(m_tracked.begin(), m_tracked.end(), [](const auto &entry) {
        const Tracked &tracked = entry.second;
        return tracked.exclusion.isEmpty()
            && (tracked.probe == ProbeState::Pending || tracked.probe == ProbeState::Running);
    }));
}

bool PortsProvider::isProposal(const Tracked &tracked) const
{
    return tracked.exclusion.isEmpty() && tracked.probe == ProbeState::Http;
}

} // namespace portico::provider::ports
