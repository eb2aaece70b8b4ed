#include "ui/tray/tray_menu.h"

#include "ui/services/router_text.h"
#include "ui/shell/core_status.h"
#include "ui/shell/status_icon.h"

#include <algorithm>

namespace portico::ui {

QString menuLabel(const QString &text, int maxChars)
{
    QString label = text.size() > maxChars ? text.left(maxChars - 1) + QChar(0x2026) : text;
    return label.replace(u'&', QStringLiteral("&&"));
}

TrayMenu::TrayMenu(CoreStatus *status, QWidget *parent)
    : QMenu(parent)
    , m_status(status)
{
    setAccessibleName(tr("Portico"));
    setToolTipsVisible(true);
    connect(m_status, &CoreStatus::changed, this, &TrayMenu::changed);
    connect(this, &QMenu::aboutToHide, this, [this] {
        // Rebuilding from inside aboutToHide would delete the action being triggered.
        if (m_dirty)
            QMetaObject::invokeMethod(this, &TrayMenu::rebuild, Qt::QueuedConnection);
    });
    rebuild();
}

void TrayMenu::changed()
{
    if (isVisible())
        m_dirty = true;
    else
        rebuild();
}

void TrayMenu::setCapture(std::optional<bool> paused)
{
    m_capturePaused = paused;
    changed();
}

void TrayMenu::setProposals(const std::vector<provider::ports::Proposal> &proposals)
{
    m_proposals = proposals;
    changed();
}

void TrayMenu::rebuild()
{
    m_dirty = false;
    clear();
    m_routerActions.clear();
    m_proposalActions.clear();
    m_captureAction = nullptr;
    const std::vector<Error> coreErrors = m_status->coreErrors();
    QAction *header = addAction(statusIcon(m_status->health()),
        menuLabel(QStringLiteral("Portico — ") + m_status->summary()));
    header->setEnabled(false);
    if (!coreErrors.empty())
        header->setToolTip(errorsTooltip(coreErrors));
    else if (!m_status->listening().isEmpty())
        header->setToolTip(
            tr("Listening on %1").arg(m_status->listening().join(QStringLiteral(", "))));
    addSeparator();
    addRouters();
    addProposals();
    addSeparator();
    if (m_capturePaused) {
        const bool paused = *m_capturePaused;
        m_captureAction
            = addAction(paused ? tr("Resume request capture") : tr("Pause request capture"));
        connect(m_captureAction, &QAction::triggered, this,
            [this, paused] { Q_EMIT capturePauseRequested(!paused); });
    }
    connect(
        addAction(tr("Open window")), &QAction::triggered, this, &TrayMenu::openWindowRequested);
    connect(addAction(tr("Quit")), &QAction::triggered, this, &TrayMenu::quitRequested);
}

void TrayMenu::addProposals()
{
    bool first = true;
    for (const provider::ports::Proposal &p : m_proposals) {
        if (p.published || p.proposedName.isEmpty())
            continue;
        if (std::exchange(first, false)) {
            addSeparator();
            addAction(tr("Dev servers found"))->setEnabled(false);
        }
        const QString what
            = p.title.isEmpty() ? (p.kind.isEmpty() ? p.executable : p.kind) : p.title;
        QAction *action = addAction(
            menuLabel(tr("Publish :%1 as %2.localhost").arg(p.port).arg(p.proposedName)));
        action->setToolTip(tr("%1 — %2").arg(what, p.url));
        connect(
            action, &QAction::triggered, this, [this, id = p.id] { Q_EMIT publishRequested(id); });
        m_proposalActions << action;
    }
}

void TrayMenu::addRouters()
{
    const auto &routers = m_status->state().routers;
    if (std::none_of(routers.begin(), routers.end(),
            [](const auto &entry) { return isUserRouter(entry.second); })) {
        addAction(m_status->hasState() ? tr("No routers configured") : tr("Starting…"))
            ->setEnabled(false);
        return;
    }
    for (const auto &[name, router] : routers) {
        if (!isUserRouter(router))
            continue;
        QAction *action = addAction(statusDot(healthOf(router.status)),
            menuLabel(name + QStringLiteral(" — ") + router.spec.rule));
        const QUrl url = routerUrl(router, m_status->ports());
        if (router.status == control::Status::Disabled) {
            action->setEnabled(false);
            action->setToolTip(errorsTooltip(router.errors));
        } else if (url.isValid()) {
            action->setToolTip(tr("Open %1").arg(url.toString()));
            connect(
                action, &QAction::triggered, this, [this, url] { Q_EMIT openUrlRequested(url); });
        }
        m_routerActions << action;
    }
}

} // namespace portico::ui
