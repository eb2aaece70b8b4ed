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
    connect(m_status, &CoreStatus::changed, this, [this] {
        if (isVisible())
            m_dirty = true;
        else
            rebuild();
    });
    connect(this, &QMenu::aboutToHide, this, [this] {
        // Rebuilding from inside aboutToHide would delete the action being triggered.
        if (m_dirty)
            QMetaObject::invokeMethod(this, &TrayMenu::rebuild, Qt::QueuedConnection);
    });
    rebuild();
}

void TrayMenu::rebuild()
{
    m_dirty = false;
    clear();
    m_routerActions.clear();
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
    addSeparator();
    connect(
        addAction(tr("Open window")), &QAction::triggered, this, &TrayMenu::openWindowRequested);
    connect(addAction(tr("Quit")), &QAction::triggered, this, &TrayMenu::quitRequested);
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
