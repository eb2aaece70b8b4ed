// portico-gui (started by `portico` / `portico gui`): the desktop app. The core runs exactly as
// under `portico serve` (CoreRuntime); the window and the tray live on the main thread and see the
// core only through CoreStatus, fed by queued signals carrying value types.
#include "app/gui_command.h"

#include "app/command_line.h"
#include "app/core_runtime.h"
#include "app/logging.h"
#include "core/common/paths.h"
#include "core/common/termination_signal.h"
#include "core/observe/capture_hub.h"
#include "ui/certificates/certificates_page.h"
#include "ui/requests/requests_page.h"
#include "ui/services/services_page.h"
#include "ui/settings/gui_settings.h"
#include "ui/settings/settings_page.h"
#include "ui/settings/theme.h"
#include "ui/shell/core_status.h"
#include "ui/shell/event_loop_probe.h"
#include "ui/shell/main_window.h"
#include "ui/shell/single_instance.h"
#include "ui/tray/notices.h"
#include "ui/tray/tray_icon.h"
#include "ui/tray/tray_menu.h"

#include <QApplication>
#include <QDesktopServices>
#include <QElapsedTimer>
#include <QSystemTrayIcon>
#include <QTextStream>

#include <algorithm>
#include <functional>
#include <memory>

namespace portico::app {

namespace {

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

/// False when Qt would find no display to connect to (it aborts in that case, so ask first).
bool displayAvailable()
{
#if defined(Q_OS_LINUX)
    return !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")
        || !qEnvironmentVariableIsEmpty("DISPLAY")
        || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
#else
    return true;
#endif
}

/// Prints the time from `clock`'s start to the window's first paint, once, then runs `painted`
/// (after that paint).
class StartupTimer : public QObject
{
public:
    StartupTimer(QWidget *window, const QElapsedTimer &clock, std::function<void()> painted)
        : QObject(window)
        , m_clock(clock)
        , m_painted(std::move(painted))
    {
        window->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint) {
            err() << "portico: window visible " << m_clock.elapsed() << " ms after start"
                  << Qt::endl;
            watched->removeEventFilter(this);
            QMetaObject::invokeMethod(this, m_painted, Qt::QueuedConnection);
        }
        return false;
    }

private:
    QElapsedTimer m_clock;
    std::function<void()> m_painted;
};

/// The GUI's wiring: the core, the status both views follow, the window and (if any) the tray.
class GuiShell
{
public:
    GuiShell(const config::StaticConfig &config, const ui::GuiSettings &settings)
        : m_core(config)
        , m_window(&m_status)
        , m_requests(new ui::RequestsPage(m_core.captureHub()))
        , m_certificates(
              new ui::CertificatesPage(paths::caDir(), tls::trust::StoreEnvironment::fromProcess()))
        , m_settings(new ui::SettingsPage(
              m_core.captureHub(), settings, QCoreApplication::applicationFilePath()))
    {
        QObject::connect(&m_core, &CoreRuntime::stateChanged, &m_status, &ui::CoreStatus::setState);
        QObject::connect(
            &m_core, &CoreRuntime::providerFailed, &m_status, &ui::CoreStatus::setProviderFailed);
        QObject::connect(
            &m_core, &CoreRuntime::providerRead, &m_status, &ui::CoreStatus::setProviderRead);
        QObject::connect(&m_core, &CoreRuntime::finished, qApp, &QCoreApplication::quit);
        QObject::connect(&m_window, &ui::MainWindow::quitRequested, [this] { quit(); });
        wireServices();
        m_certificates->setExtraSuffixes(config.tlsExtraSuffixes);
        // Issued leaves and the CA as the running core holds them (queued from its issuer thread).
        QObject::connect(&m_core, &CoreRuntime::certificatesChanged, m_certificates,
            &ui::CertificatesPage::setIssued);
        m_window.addPage(m_requests, QObject::tr("Requests"));
        m_window.addPage(m_certificates, QObject::tr("Certificates"));
        m_window.addPage(m_settings, QObject::tr("Settings"));
        if (QSystemTrayIcon::isSystemTrayAvailable())
            addTray();
    }

    /// Binds the entry points (a failure is shown, not fatal: the routes stay visible) and
    /// starts the control thread.
    void start()
    {
        const auto listening = m_core.listen();
        if (listening) {
            QStringList urls;
            for (const auto &ep : m_core.config().entryPoints)
                urls << m_core.urls(ep.name);
            m_status.setListening(urls, m_core.ports());
            m_requests->setEntryPointPorts(m_core.ports());
        } else {
            err() << "portico: " << listening.error().toString() << Qt::endl;
            m_status.setListenError(listening.error());
        }
        m_core.startControl();
    }

    /// Work the first window does not need, started once it is visible: the trust-store check
    /// runs external tools (keytool starts a JVM) that would compete with start-up for the CPU.
    void afterFirstPaint()
    {
        m_certificates->refresh(); // on a worker thread; a missing trust is then notified
    }

    ui::MainWindow &window() { return m_window; }

    /// Hides everything at once, then lets in-flight requests finish; the app quits on finished.
    void quit()
    {
        if (m_quitting)
            return;
        m_quitting = true;
        m_window.hide();
        if (m_tray)
            m_tray->hide();
        m_core.shutdown();
    }

private:
    /// The Services page asks the core (CoreRuntime's queued calls) and shows its answers.
    void wireServices()
    {
        ui::ServicesPage *page = m_window.servicesPage();
        CoreRuntime *core = &m_core;
        page->setDiscoveryEnabled(core->hasDiscovery());
        QObject::connect(
            page, &ui::ServicesPage::pauseRequested, core, &CoreRuntime::setRouterPaused);
        QObject::connect(page, &ui::ServicesPage::aliasRequested, core, &CoreRuntime::setAlias);
        QObject::connect(
            page, &ui::ServicesPage::aliasRemovalRequested, core, &CoreRuntime::removeAlias);
        QObject::connect(
            page, &ui::ServicesPage::publishRequested, core, &CoreRuntime::publishProposal);
        QObject::connect(page, &ui::ServicesPage::explainRequested, core, &CoreRuntime::explain);
        QObject::connect(page, &ui::ServicesPage::openUrlRequested,
            [](const QUrl &url) { QDesktopServices::openUrl(url); });
        QObject::connect(core, &CoreRuntime::actionFailed, page, &ui::ServicesPage::showActionError,
            Qt::QueuedConnection);
        QObject::connect(
            core, &CoreRuntime::proposalFailed, page,
            [page](const QString &id, const Error &error) {
                page->showActionError(QObject::tr("publish %1").arg(id), error);
            },
            Qt::QueuedConnection);
        QObject::connect(core, &CoreRuntime::proposalsChanged, page,
            &ui::ServicesPage::setProposals, Qt::QueuedConnection);
        QObject::connect(core, &CoreRuntime::explained, page, &ui::ServicesPage::showExplanation,
            Qt::QueuedConnection);
        QObject::connect(core, &CoreRuntime::explainFailed, page,
            &ui::ServicesPage::showExplainError, Qt::QueuedConnection);
    }

    void addTray()
    {
        m_tray = std::make_unique<ui::TrayIcon>(&m_status);
        m_window.setHideOnClose(true);
        QObject::connect(m_tray.get(), &ui::TrayIcon::openWindowRequested, &m_window,
            &ui::MainWindow::bringToFront);
        QObject::connect(m_tray->menu(), &ui::TrayMenu::servicesRequested, &m_window, [this] {
            m_window.bringToFront();
            m_window.showPage(m_window.pages()->indexOf(m_window.servicesPage()));
        });
        QObject::connect(m_tray->menu(), &ui::TrayMenu::quitRequested, [this] { quit(); });
        QObject::connect(m_tray->menu(), &ui::TrayMenu::openUrlRequested,
            [](const QUrl &url) { QDesktopServices::openUrl(url); });
        QObject::connect(
            m_tray->menu(), &ui::TrayMenu::pauseRequested, &m_core, &CoreRuntime::setRouterPaused);
        QObject::connect(&m_core, &CoreRuntime::actionFailed, m_tray->menu(), &ui::TrayMenu::resync,
            Qt::QueuedConnection);
        QObject::connect(&m_window, &ui::MainWindow::hiddenToTray, m_tray.get(),
            &ui::TrayIcon::noteStillRunning);
        addCaptureToggle();
        addNotifications();
    }

    /// The tray's pause/resume item and the Requests page follow the hub's settings.
    void addCaptureToggle()
    {
        observe::CaptureHub *hub = m_core.captureHub();
        if (!hub)
            return;
        const auto show = [this](bool paused) {
            m_tray->menu()->setCapture(paused);
            m_tray->setCapturePaused(paused);
        };
        show(hub->settings()->paused);
        QObject::connect(m_tray->menu(), &ui::TrayMenu::capturePauseRequested, hub,
            &observe::CaptureHub::setPaused);
        QObject::connect(hub, &observe::CaptureHub::settingsChanged, m_tray.get(),
            [show](const observe::CaptureSettings &settings) { show(settings.paused); });
    }

    /// Dev servers found, backends down and missing CA trust become notifications; a click acts.
    void addNotifications()
    {
        auto *notifier = new ui::Notifier(m_tray.get());
        QObject::connect(&m_core, &CoreRuntime::stateChanged, notifier, &ui::Notifier::setState);
        QObject::connect(&m_core, &CoreRuntime::proposalsChanged, m_tray->menu(),
            &ui::TrayMenu::setProposals, Qt::QueuedConnection);
        QObject::connect(&m_core, &CoreRuntime::proposalsChanged, notifier,
            &ui::Notifier::setProposals, Qt::QueuedConnection);
        QObject::connect(m_tray->menu(), &ui::TrayMenu::publishRequested, &m_core,
            [this](const QString &id) { m_core.publishProposal(id); });
        QObject::connect(m_certificates, &ui::CertificatesPage::inventoryChanged, notifier,
            [this, notifier] { notifier->setTrust(m_certificates->inventory().stores); });
        QObject::connect(notifier, &ui::Notifier::notice, m_tray.get(), &ui::TrayIcon::showNotice);
        QObject::connect(m_tray.get(), &ui::TrayIcon::noticeActivated, &m_window,
            [this](const ui::Notice &notice) { act(notice); });
    }

    void act(const ui::Notice &notice)
    {
        switch (notice.kind) {
        case ui::Notice::DevServerFound:
            m_core.publishProposal(notice.key);
            return;
        case ui::Notice::BackendDown:
            m_window.bringToFront();
            m_window.showPage(0);
            m_window.servicesPage()->selectRouter(notice.key);
            return;
        case ui::Notice::CaUntrusted:
            m_window.bringToFront();
            m_window.showPage(m_window.pages()->indexOf(m_certificates));
            return;
        }
    }

    CoreRuntime m_core;
    ui::CoreStatus m_status;
    ui::MainWindow m_window;
    ui::RequestsPage *m_requests; ///< owned by the window's pages
    ui::CertificatesPage *m_certificates;
    ui::SettingsPage *m_settings;
    std::unique_ptr<ui::TrayIcon> m_tray;
    bool m_quitting = false;
};

/// `PORTICO_UI_PROBE=FILE`: the benchmarks' event-loop latency and start-up probe (none without).
std::unique_ptr<ui::EventLoopProbe> startProbe(QWidget &window)
{
    const QString path = qEnvironmentVariable("PORTICO_UI_PROBE");
    if (path.isEmpty())
        return nullptr;
    auto probe = std::make_unique<ui::EventLoopProbe>(path);
    if (!probe->ok()) {
        err() << "portico: cannot write the probe file \"" << path << "\": " << probe->errorString()
              << Qt::endl;
        return nullptr;
    }
    probe->watchFirstPaint(&window);
    return probe;
}

} // namespace

int runGui(int &argc, char **argv)
{
    QElapsedTimer clock;
    clock.start();
    if (!displayAvailable()) {
        err() << "portico: no display found; run \"portico serve\" for the headless daemon"
              << Qt::endl;
        return 2;
    }
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("portico"));
    QApplication::setApplicationDisplayName(QStringLiteral("Portico"));
    QApplication::setApplicationVersion(QStringLiteral(PORTICO_VERSION));
    QApplication::setQuitOnLastWindowClosed(false);

    QStringList args = QApplication::arguments().mid(1);
    if (!args.isEmpty() && args.first() == u"gui")
        args.removeFirst();
    std::optional<config::StaticConfig> config = staticConfigOrReport(args);
    if (!config)
        return 2;
    // The Settings page's choices; ports given on the command line win.
    const ui::GuiSettings settings = ui::GuiSettings::load(config->capture);
    const bool portFlag = std::any_of(args.begin(), args.end(), [](const QString &arg) {
        return arg.startsWith(QStringLiteral("--port"))
            || arg.startsWith(QStringLiteral("--https-port"));
    });
    ui::applyStartupSettings(settings, *config, portFlag);
    ui::applyTheme(settings.theme);

    const QString instanceName = qEnvironmentVariableIsEmpty("PORTICO_INSTANCE")
        ? ui::SingleInstance::defaultName()
        : qEnvironmentVariable("PORTICO_INSTANCE");
    ui::SingleInstance instance(instanceName);
    if (instance.activateRunning()) {
        err() << "portico: already running; showed its window" << Qt::endl;
        return 0;
    }
    if (!instance.listen())
        err() << "portico: cannot register as the running instance: " << instance.errorString()
              << Qt::endl;
    configureLogging(config->log);

    GuiShell shell(*config, settings);
    QObject::connect(&instance, &ui::SingleInstance::activationRequested, &shell.window(),
        &ui::MainWindow::bringToFront);
    TerminationSignal termination;
    QObject::connect(&termination, &TerminationSignal::received, &app, [&shell] { shell.quit(); });
    new StartupTimer(&shell.window(), clock, [&shell] { shell.afterFirstPaint(); });
    const std::unique_ptr<ui::EventLoopProbe> probe = startProbe(shell.window());
    shell.start();
    shell.window().show();
    return QApplication::exec();
}

} // namespace portico::app
