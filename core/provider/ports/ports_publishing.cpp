// Naming, publishing and the snapshot of the ports provider. Discovery is in ports_provider.cpp.
#include "core/common/log.h"
#include "core/provider/ports/ports_provider.h"
#include "core/provider/project/project_name.h"

#include <QSet>

#include <algorithm>

namespace portico::provider::ports {

std::vector<Proposal> PortsProvider::proposals() const
{
    std::vector<Proposal> out;
    for (const auto &[key, tracked] : m_tracked) {
        if (isProposal(tracked))
            out.push_back(tracked.proposal);
    }
    std::sort(out.begin(), out.end(), [](const Proposal &a, const Proposal &b) {
        return std::tie(a.port, a.pid) < std::tie(b.port, b.pid);
    });
    return out;
}

/// Re-derives published flags and names after any change, then tells whoever listens.
void PortsProvider::refresh()
{
    applyChoices();
    assignNames();
    std::vector<Proposal> current = proposals();
    if (current != m_lastProposals) {
        m_lastProposals = std::move(current);
        Q_EMIT proposalsChanged();
    }
    emitSnapshot(false);
}

void PortsProvider::applyChoices()
{
    const bool automatic = m_spec.publish == QLatin1String("auto");
    for (auto &[key, tracked] : m_tracked) {
        if (!isProposal(tracked))
            continue;
        Proposal &proposal = tracked.proposal;
        const auto choice = m_choices.find(proposal.projectRoot, proposal.commandLine);
        proposal.published = choice ? choice->published : automatic && !proposal.kind.isEmpty();
        tracked.chosenName = choice ? choice->name : QString();
    }
}

/// Published servers claim names first, then the others, each group in first-seen order, so a
/// name does not move while its server keeps listening; a taken name gets `-2`, `-3`, ….
void PortsProvider::assignNames()
{
    std::vector<Tracked *> order;
    for (auto &[key, tracked] : m_tracked) {
        if (isProposal(tracked))
            order.push_back(&tracked);
    }
    std::sort(order.begin(), order.end(), [](const Tracked *a, const Tracked *b) {
        return std::make_pair(!a->proposal.published, a->sequence)
            < std::make_pair(!b->proposal.published, b->sequence);
    });
    QSet<QString> used;
    for (Tracked *tracked : order) {
        const QString wanted
            = tracked->chosenName.isEmpty() ? tracked->baseName : tracked->chosenName;
        QString name = wanted;
        for (int suffix = 2; used.contains(name); ++suffix)
            name = QStringLiteral("%1-%2").arg(wanted).arg(suffix);
        used.insert(name);
        tracked->proposal.proposedName = name;
    }
}

PortsProvider::Tracked *PortsProvider::findById(const QString &id)
{
    for (auto &[key, tracked] : m_tracked) {
        if (tracked.proposal.id == id && isProposal(tracked))
            return &tracked;
    }
    return nullptr;
}

Expected<Proposal> PortsProvider::publish(const QString &id, const QString &name)
{
    Tracked *tracked = findById(id);
    if (!tracked)
        return Error { QStringLiteral("unknown proposal \"%1\"").arg(id), {}, {} };
    const QString label = name.isEmpty() ? tracked->proposal.proposedName : name;
    if (dnsLabel(label) != label)
        return Error { QStringLiteral("invalid name \"%1\"").arg(label), {},
            QStringLiteral("a DNS label such as \"%1\"").arg(dnsLabel(label)) };
    for (const auto &[key, other] : m_tracked) {
        if (&other != tracked && isProposal(other) && other.proposal.published
            && other.proposal.proposedName == label)
            return Error { QStringLiteral("name \"%1\" is already used by port %2")
                               .arg(label)
                               .arg(other.proposal.port),
                {}, {} };
    }
    if (const auto saved = m_choices.set(
            tracked->proposal.projectRoot, tracked->proposal.commandLine, Choice { label, true });
        !saved.ok())
        qCWarning(lcProvider) << "ports:" << saved.error().toString();
    qCInfo(lcProvider).noquote() << "ports: publishing port" << tracked->proposal.port << "as"
                                 << label;
    refresh();
    return tracked->proposal;
}

Expected<Proposal> PortsProvider::unpublish(const QString &id)
{
    Tracked *tracked = findById(id);
    if (!tracked)
        return Error { QStringLiteral("unknown proposal \"%1\"").arg(id), {}, {} };
    if (const auto saved = m_choices.set(tracked->proposal.projectRoot,
            tracked->proposal.commandLine, Choice { tracked->proposal.proposedName, false });
        !saved.ok())
        qCWarning(lcProvider) << "ports:" << saved.error().toString();
    refresh();
    return tracked->proposal;
}

config::DynamicConfig PortsProvider::buildSnapshot() const
{
    config::DynamicConfig snapshot;
    for (const Proposal &proposal : proposals()) {
        if (!proposal.published)
            continue;
        const QString &name = proposal.proposedName;
        config::RouterSpec router;
        router.name = name;
        router.rule = QStringLiteral("Host(`%1.localhost`)").arg(name);
        router.service = name;
        router.origin.where.path = QStringLiteral("providers.ports: port %1 pid %2")
                                       .arg(proposal.port)
                                       .arg(proposal.pid);
        config::ServiceSpec service;
        service.name = name;
        service.loadBalancer.emplace();
        config::ServerSpec server;
        server.url = proposal.url;
        service.loadBalancer->servers.push_back(std::move(server));
        service.origin = router.origin;
        snapshot.routers.push_back(std::move(router));
        snapshot.services.push_back(std::move(service));
    }
    return snapshot;
}

/// Emits only when the routed set changed (or `force`), so an idle scan costs the control plane
/// nothing.
void PortsProvider::emitSnapshot(bool force)
{
    const config::DynamicConfig snapshot = buildSnapshot();
    QString fingerprint;
    for (const config::ServiceSpec &service : snapshot.services)
        fingerprint += service.name + QLatin1Char('=') + service.loadBalancer->servers.front().url
            + QLatin1Char(';');
    if (!force && fingerprint == m_lastFingerprint)
        return;
    m_lastFingerprint = fingerprint;
    Q_EMIT snapshotReady(snapshot);
}

} // namespace portico::provider::ports
