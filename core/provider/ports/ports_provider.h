#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"
#include "core/provider/ports/dev_servers.h"
#include "core/provider/ports/listener_table.h"
#include "core/provider/ports/ports_choices.h"
#include "core/provider/ports/process_info.h"
#include "core/provider/ports/proposal.h"
#include "core/provider/provider.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <vector>

class QTimer;

namespace portico::provider::ports {

/// Portico's `ports` provider: finds dev servers already listening on this machine (listener
/// table → owning process → recognised kind → HTTP probe), proposes a name for each from its
/// project, and routes `<name>.localhost` to the published ones. Re-reads the listener table every
/// `PortsProviderSpec::interval`; a steady state costs one read of the table and nothing else.
/// Snapshots hold published servers that listen right now; decisions persist in ports.json.
class PortsProvider : public Provider
{
    Q_OBJECT
public:
    /// `choicesPath` defaults to `<homeDir>/ports.json`; `table` to this platform's table.
    explicit PortsProvider(config::PortsProviderSpec spec, QString choicesPath = {},
        std::unique_ptr<ListenerTable> table = nullptr, QObject *parent = nullptr);
    ~PortsProvider() override;

    QString name() const override { return QStringLiteral("ports"); }
    /// Emits a first (possibly empty) snapshot synchronously, scans, and starts the timer.
    void start() override;
    /// Reads the listener table now (the timer does this every interval).
    void scan();

    /// The dev servers found and answering HTTP, published or not, ordered by port.
    std::vector<Proposal> proposals() const;
    /// Publishes proposal `id` under `name` (a DNS label; default: its proposed name) and
    /// remembers the choice; fails for an unknown id, a bad name or one another server uses.
    Expected<Proposal> publish(const QString &id, const QString &name = {});
    /// Stops routing proposal `id` and remembers not to publish it again (also in `auto` mode).
    Expected<Proposal> unpublish(const QString &id);

    /// Timeouts of successive probes of a listener that accepts but stays silent (a dev server
    /// compiling its first page); after the last one it is taken as not HTTP.
    void setProbeTimeouts(std::vector<std::chrono::milliseconds> timeouts);
    /// Listeners that may be dev servers but whose probe has not decided yet (tests wait on it).
    int undecidedCount() const;
    /// Considers only processes `accept` approves (default: every process). Tests limit discovery
    /// to their own children so that they never probe listeners of unrelated processes.
    void setProcessFilter(std::function<bool(const ProcessInfo &)> accept);

Q_SIGNALS:
    /// proposals() changed: a server appeared, went away, was probed, named or (un)published.
    void proposalsChanged();

private:
    enum class ProbeState { Pending, Running, Http, NotHttp };
    /// One (pid, port) seen in the listener table, proposed or not.
    struct Tracked
    {
        Proposal proposal;
        QString exclusion; ///< why it is not proposed; empty when it may be
        QString baseName; ///< DNS label from the project, before collision suffixes
        QString chosenName; ///< the name a person chose (ports.json), empty when none
        std::vector<std::string> boundAddresses; ///< sorted, as last read from the table
        ProbeState probe = ProbeState::Pending;
        int probeAttempt = 0;
        quint64 sequence = 0; ///< first-seen order, for stable names
        bool seen = false;
    };
    using Key = std::pair<qint64, quint16>; ///< (pid, port)

    Tracked track(const Key &key, const ProcessInfo *process);
    void updateAddresses(Tracked &tracked);
    void startProbes();
    void onProbed(const Key &key, bool http, bool silent, const QString &title);
    bool isProposal(const Tracked &tracked) const;
    void refresh();
    void assignNames();
    void applyChoices();
    void emitSnapshot(bool force);
    config::DynamicConfig buildSnapshot() const;
    Tracked *findById(const QString &id);

    config::PortsProviderSpec m_spec;
    std::unique_ptr<ListenerTable> m_table;
    PortsChoices m_choices;
    Observer m_observer;
    QTimer *m_timer = nullptr;
    std::map<Key, Tracked> m_tracked;
    std::vector<std::chrono::milliseconds> m_probeTimeouts;
    std::function<bool(const ProcessInfo &)> m_processFilter;
    quint64 m_nextSequence = 0;
    int m_runningProbes = 0;
    QString m_lastFingerprint;
    std::vector<Proposal> m_lastProposals;
};

} // namespace portico::provider::ports
