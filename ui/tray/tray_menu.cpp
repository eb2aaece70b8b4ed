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
    if (m_openMenu) // not deleted by clear(): it owns its menuAction
        m_openMenu->deleteLater();
    m_openMenu = nullptr;
    clear();
    m_routerActions.clear();
    m_proposalActions.clear();
    m_openActions.clear();
    m_moreAction = nullptr;
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
    std::vector<const control::RouterState *> routers;
    for (const auto &entry : m_status->state().routers) {
        if (isUserRouter(entry.second))
            routers.push_back(&entry.second);
    }
    if (routers.empty()) {
        addAction(m_status->hasState() ? tr("No routers configured") : tr("Starting…"))
            ->setEnabled(false);
        return;
    }
    // Paused ones first (a toggle left out could not be switched back on here), then by name.
    std::stable_partition(
        routers.begin(), routers.end(), [](const auto *router) { return router->paused; });
    const int more = int(routers.size()) - maxRouters();
    if (more > 0)
        routers.resize(size_t(maxRouters()));
    for (const control::RouterState *router : routers)
        addRouterToggle(*router);
    if (more > 0) {
        m_moreAction = addAction(tr("More in window… (%1 more)").arg(more));
        connect(m_moreAction, &QAction::triggered, this, &TrayMenu::servicesRequested);
    }
    addOpenMenu(routers);
}

void TrayMenu::addRouterToggle(const control::RouterState &router)
{
    // No status icon: most styles then draw the icon in place of the check mark, hiding the state.
    QAction *action = addAction(menuLabel(router.name + QStringLiteral(" — ") + router.spec.rule));
    action->setCheckable(true);
    // A router disabled by its errors serves nothing, paused or not.
    action->setChecked(!router.paused && router.status != control::Status::Disabled);
    if (router.status == control::Status::Disabled) {
        action->setEnabled(false);
        action->setToolTip(errorsTooltip(router.errors));
    } else {
        action->setToolTip(router.paused ? tr("Paused: answers 503. Check to serve again.")
                                         : tr("Serving. Uncheck to pause (it answers 503)."));
    }
    connect(action, &QAction::triggered, this,
        [this, name = router.name](bool serving) { Q_EMIT pauseRequested(name, !serving); });
    m_routerActions << action;
}

void TrayMenu::addOpenMenu(const std::vector<const control::RouterState *> &routers)
{
    QMenu *&open = m_openMenu;
    for (const control::RouterState *router : routers) {
        const QUrl url = routerUrl(*router, m_status->ports());
        if (!url.isValid())
            continue;
        if (!open) {
            open = addMenu(tr("Open in browser"));
            open->setToolTipsVisible(true);
        }
        QAction *action = open->addAction(menuLabel(url.toString()));
        action->setToolTip(tr("Open %1 (%2)").arg(url.toString(), router->name));
        connect(action, &QAction::triggered, this, [this, url] { Q_EMIT openUrlRequested(url); });
        m_openActions << action;
    }
}

} // namespace portico::ui
