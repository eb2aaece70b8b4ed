#pragma once

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

Q_SIGNALS:
    void openWindowRequested();

private:
    void refresh();

    CoreStatus *m_status;
    TrayMenu *m_menu; ///< owned (a QMenu cannot have a QObject parent)
    QSystemTrayIcon *m_icon;
    bool m_noted = false;
};

} // namespace portico::ui
