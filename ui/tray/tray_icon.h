#pragma once

#include "ui/tray/notices.h"

#include <QObject>

class QSystemTrayIcon;

namespace portico::ui {

class CoreStatus;
class TrayMenu;

/// Portico in the system tray: an icon whose colour shows the core's health, a tooltip with the
/// counts, and the TrayMenu. A click opens the window. Create only when a tray is available.
class TrayIcon : public QObject
{
    Q_OBJECT
public:
    explicit TrayIcon(CoreStatus *status, QObject *parent = nullptr);
    ~TrayIcon() override;

    TrayMenu *menu() const { return m_menu; }
    /// Says once per run that closing the window keeps Portico running here.
    void noteStillRunning();
    void hide();
    /// Shows `notice` as a desktop notification; clicking it emits noticeActivated. The capture
    /// paused state also tints the tooltip.
    void showNotice(const portico::ui::Notice &notice);
    void setCapturePaused(bool paused);

Q_SIGNALS:
    void openWindowRequested();
    /// The notification of `notice` was clicked.
    void noticeActivated(const portico::ui::Notice &notice);

private:
    void refresh();

    CoreStatus *m_status;
    TrayMenu *m_menu; ///< owned (a QMenu cannot have a QObject parent)
    QSystemTrayIcon *m_icon;
    bool m_noted = false;
    bool m_capturePaused = false;
    Notice m_lastNotice; ///< what a click on the notification means (one is shown at a time)
    bool m_noticeShown = false;
};

} // namespace portico::ui
