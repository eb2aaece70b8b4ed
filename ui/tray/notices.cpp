#include "ui/tray/notices.h"

namespace portico::ui {

namespace {

bool hasProposal(const std::vector<provider::ports::Proposal> &list, const QString &id)
{
    return std::any_of(
        list.begin(), list.end(), [&](const provider::ports::Proposal &p) { return p.id == id; });
}

} // namespace

QList<Notice> newDevServerNotices(const std::vector<provider::ports::Proposal> &before,
    const std::vector<provider::ports::Proposal> &after)
{
    QList<Notice> out;
    for (const provider::ports::Proposal &p : after) {
        if (p.published || p.proposedName.isEmpty() || hasProposal(before, p.id))
            continue;
        const QString what = p.kind.isEmpty() ? QObject::tr("A dev server") : p.kind;
        out << Notice { Notice::DevServerFound,
            QObject::tr("Dev server found on port %1").arg(p.port),
            QObject::tr("%1 listens on %2. Click to publish it as %3.localhost.")
                .arg(what, p.url, p.proposedName),
            p.id };
    }
    return out;
}

QList<Notice> backendDownNotices(
    const control::RuntimeState &before, const control::RuntimeState &after)
{
    QList<Notice> out;
    for (const auto &[name, service] : after.services) {
        const auto old = before.services.find(name);
        if (old == before.services.end())
            continue;
        QStringList down;
        for (const auto &[url, status] : service.serverStatus) {
            const auto was = old->second.serverStatus.find(url);
            if (status == u"DOWN" && was != old->second.serverStatus.end() && was->second == u"UP")
                down << url;
        }
        if (down.isEmpty())
            continue;
        const QString router = service.usedBy.isEmpty() ? QString() : service.usedBy.first();
        out << Notice { Notice::BackendDown, QObject::tr("Backend down: %1").arg(name),
            QObject::tr("%1 stopped answering its health check. Click to see the service.")
                .arg(down.join(QStringLiteral(", "))),
            router };
    }
    return out;
}

QList<Notice> caTrustNotices(const QList<tls::trust::StoreResult> &stores)
{
    QStringList missing;
    for (const tls::trust::StoreResult &store : stores) {
        if (store.outcome == tls::trust::StoreOutcome::Missing)
            missing << store.name;
    }
    if (missing.isEmpty())
        return {};
    return { Notice { Notice::CaUntrusted, QObject::tr("Portico's certificates are not trusted"),
        QObject::tr("%1 do not trust the local CA, so https:// names show warnings there. Click "
                    "to fix it.")
            .arg(missing.join(QStringLiteral(", "))),
        missing.first() } };
}

Notifier::Notifier(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Notice>("portico::ui::Notice");
}

void Notifier::setState(const control::RuntimeState &state)
{
    if (m_hasState) {
        for (const Notice &n : backendDownNotices(m_state, state))
            Q_EMIT notice(n);
    }
    m_state = state;
    m_hasState = true;
}

void Notifier::setProposals(const std::vector<provider::ports::Proposal> &proposals)
{
    // The first list is what was already running when Portico started: not news.
    if (m_hasProposals) {
        for (const Notice &n : newDevServerNotices(m_proposals, proposals))
            Q_EMIT notice(n);
    }
    m_proposals = proposals;
    m_hasProposals = true;
}

void Notifier::setTrust(const QList<tls::trust::StoreResult> &stores)
{
    const QList<Notice> notices = caTrustNotices(stores);
    if (notices.isEmpty() || m_caNoted)
        return;
    m_caNoted = true;
    Q_EMIT notice(notices.first());
}

} // namespace portico::ui
