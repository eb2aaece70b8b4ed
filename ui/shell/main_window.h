#pragma once

#include <QMainWindow>

class QLabel;
class QTabWidget;

namespace portico::ui {

class CoreStatus;
class ServicesPage;

/// Portico's window: a banner for errors that stop the core from serving (a port that could not
/// be bound, a configuration that could not be read), the pages (Services, then those added:
/// Requests, Certificates, Settings) and a status line. Ctrl+1… shows a page, Ctrl+W closes the
/// window, Ctrl+Q quits. With a tray, closing only hides it.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(CoreStatus *status, QWidget *parent = nullptr);

    ServicesPage *servicesPage() const { return m_services; }
    /// Adds a page after the existing ones; Ctrl+<position> (1-9) shows it.
    void addPage(QWidget *page, const QString &title);
    /// Shows page `index` (0 = Services) and gives it the focus.
    void showPage(int index);
    QTabWidget *pages() const { return m_pages; }
    /// Closing hides the window instead of quitting (set when a tray icon exists).
    void setHideOnClose(bool hide) { m_hideOnClose = hide; }
    /// Shows, de-minimises and raises the window (tray click, second launch).
    void bringToFront();
    /// The banner's text, empty when it is hidden (tests).
    QString bannerText() const;

Q_SIGNALS:
    void quitRequested();
    /// The window was hidden by closing it while the tray keeps Portico running.
    void hiddenToTray();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void addActions();
    void addPageShortcut(int index);
    void refresh();

    CoreStatus *m_status;
    QLabel *m_banner;
    QTabWidget *m_pages;
    ServicesPage *m_services;
    QLabel *m_statusLine;
    bool m_hideOnClose = false;
};

} // namespace portico::ui
