#pragma once

#include <QMenu>
#include <QUrl>

namespace portico::ui {

class CoreStatus;

/// The tray's context menu: a status line, every router as `name — rule` (disabled routers greyed
/// out with their error as tooltip; enabled ones open their URL), "Open window" and "Quit". A plain
/// QMenu, so it can be built and tested without a tray host. While open it is not rebuilt; a
/// change that arrives meanwhile shows the next time it opens.
class TrayMenu : public QMenu
{
    Q_OBJECT
public:
    explicit TrayMenu(CoreStatus *status, QWidget *parent = nullptr);

    /// The router entries, in menu order (tests).
    QList<QAction *> routerActions() const { return m_routerActions; }

Q_SIGNALS:
    void openWindowRequested();
    void openUrlRequested(const QUrl &url);
    void quitRequested();

private:
    void rebuild();
    void addRouters();

    CoreStatus *m_status;
    QList<QAction *> m_routerActions;
    bool m_dirty = false;
};

/// `text` made safe for a QAction label (a single `&` would become a mnemonic) and elided.
QString menuLabel(const QString &text, int maxChars = 72);

} // namespace portico::ui
