#include "ui/tray/tray_icon.h"

#include "ui/shell/core_status.h"
#include "ui/shell/status_icon.h"
#include "ui/tray/tray_menu.h"

#include <QSystemTrayIcon>

namespace portico::ui {

TrayIcon::TrayIcon(CoreStatus *status, QObject *parent)
    : QObject(parent)
    , m_status(status)
    , m_menu(new TrayMenu(status))
    , m_icon(new QSystemTrayIcon(this))
{
    m_icon->setContextMenu(m_menu);
    connect(m_menu, &TrayMenu::openWindowRequested, this, &TrayIcon::openWindowRequested);
    connect(
        m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason why) {
            if (why == QSystemTrayIcon::Trigger || why == QSystemTrayIcon::DoubleClick)
                Q_EMIT openWindowRequested();
        });
    connect(m_icon, &QSystemTrayIcon::messageClicked, this, [this] {
        if (std::exchange(m_noticeShown, false))
            Q_EMIT noticeActivated(m_lastNotice);
    });
    connect(m_status, &CoreStatus::changed, this, &TrayIcon::refresh);
    refresh();
    m_icon->show();
}

TrayIcon::~TrayIcon()
{
    delete m_icon; // before the menu it points to
    delete m_menu;
}

void TrayIcon::noteStillRunning()
{
    if (m_noted || !QSystemTrayIcon::supportsMessages())
        return;
    m_noted = true;
    m_noticeShown = false;
    m_icon->showMessage(tr("Portico is still running"),
        tr("It keeps routing in the background. Quit from this icon's menu."),
        QSystemTrayIcon::Information, 4000);
}

void TrayIcon::hide()
{
    m_icon->hide();
}

void TrayIcon::showNotice(const Notice &notice)
{
    m_lastNotice = notice;
    m_noticeShown = true;
    const auto icon = notice.kind == Notice::DevServerFound ? QSystemTrayIcon::Information
                                                            : QSystemTrayIcon::Warning;
    m_icon->showMessage(notice.title, notice.message, icon, 8000);
}

void TrayIcon::setCapturePaused(bool paused)
{
    m_capturePaused = paused;
    refresh();
}

void TrayIcon::refresh()
{
    m_icon->setIcon(statusIcon(m_status->health()));
    QString tip = QStringLiteral("Portico — ") + m_status->summary();
    if (!m_status->listening().isEmpty())
        tip += u'\n' + m_status->listening().join(QStringLiteral(", "));
    if (m_capturePaused)
        tip += u'\n' + tr("Request capture paused");
    m_icon->setToolTip(tip);
}

} // namespace portico::ui
