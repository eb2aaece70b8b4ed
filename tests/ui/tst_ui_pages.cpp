// The Certificates and Settings pages, the tray's capture and dev-server entries, the
// notifications and the window's page shortcuts. Runs offscreen against real files, a real CA,
// real NSS databases (certutil) and a real CaptureHub.
#include "core/observe/capture_hub.h"
#include "core/tls/leaf_issuer.h"
#include "core/tls/local_ca.h"
#include "ui/certificates/certificates_page.h"
#include "ui/settings/autostart.h"
#include "ui/settings/gui_settings.h"
#include "ui/settings/settings_page.h"
#include "ui/settings/theme.h"
#include "ui/shell/core_status.h"
#include "ui/shell/main_window.h"
#include "ui/tray/notices.h"
#include "ui/tray/tray_menu.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;
using tls::trust::StoreOutcome;

namespace {

bool createNssDatabase(const QString &directory)
{
    QDir().mkpath(directory);
    QProcess certutil;
    certutil.start(QStringLiteral("certutil"),
        { QStringLiteral("-N"), QStringLiteral("-d"), QStringLiteral("sql:") + directory,
            QStringLiteral("--empty-password") });
    return certutil.waitForFinished(30000) && certutil.exitCode() == 0;
}

int rowOfStore(const QTableWidget *table, const QString &kind)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 1) && table->item(row, 1)->text() == kind)
            return row;
    }
    return -1;
}

provider::ports::Proposal proposal(
    const QString &id, quint16 port, const QString &name, bool published = false)
{
    provider::ports::Proposal p;
    p.id = id;
    p.port = port;
    p.kind = QStringLiteral("vite");
    p.proposedName = name;
    p.url = QStringLiteral("http://127.0.0.1:%1").arg(port);
    p.published = published;
    return p;
}

} // namespace

class tst_UiPages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void certificatesPageListsCaStoresAndLeaves();
    void trustButtonInstallsInThatStoreOnly();
    void rotationReplacesTheRoot();
    void settingsApplyCaptureLimitsToHub();
    void settingsPersistAndApplyAtStart();
    void startAtLoginWritesAutostartEntry();
    void themeChangesPalette();
    void trayMenuCaptureAndDevServers();
    void notices();
    void pageShortcuts();

private:
    QTemporaryDir m_dir;
};

void tst_UiPages::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Autostart entries go to $XDG_CONFIG_HOME/autostart: never the real one.
    qputenv("XDG_CONFIG_HOME", m_dir.filePath(QStringLiteral("xdg")).toUtf8());
    QStandardPaths::setTestModeEnabled(false);
}

void tst_UiPages::certificatesPageListsCaStoresAndLeaves()
{
    const QString caDir = m_dir.filePath(QStringLiteral("list/ca"));
    const QString home = m_dir.filePath(QStringLiteral("list/home"));
    QVERIFY(createNssDatabase(home + QStringLiteral("/.pki/nssdb")));
    tls::trust::StoreEnvironment env;
    env.home = home;
    env.systemRoot = m_dir.filePath(QStringLiteral("list/root"));
    env.includeJava = false;

    // Before the core created a CA the page says so and creates nothing.
    ui::CertificatesPage empty(caDir, env);
    empty.refresh();
    QTRY_VERIFY(empty.hasInventory());
    QVERIFY(!empty.inventory().ca.exists);
    QVERIFY(!empty.rotateButton()->isEnabled());
    QVERIFY(!QFile::exists(caDir + QStringLiteral("/ca.pem")));

    auto ca = tls::LocalCa::loadOrCreate(caDir, {});
    QVERIFY(ca);
    tls::LeafIssuer issuer(*ca);
    QVERIFY(issuer.certificateFor(QStringLiteral("shop.localhost")));
    QVERIFY(issuer.certificateFor(QStringLiteral("api.test")));

    ui::CertificatesPage page(caDir, env);
    page.show(); // the first show reads everything, off the UI thread
    QVERIFY(page.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(page.hasInventory() && !page.isBusy(), 30000);
    const ui::CaSummary &summary = page.inventory().ca;
    QVERIFY(summary.exists);
    QCOMPARE(summary.sha256, ca->sha256Fingerprint());
    QVERIFY2(summary.subject.contains(QStringLiteral("Portico")), qPrintable(summary.subject));
    QVERIFY(summary.permits.contains(QStringLiteral("localhost")));
    QVERIFY(summary.notBefore < summary.notAfter);
    QVERIFY(page.rotateButton()->isEnabled());

    QTableWidget *leaves = page.leavesTable();
    QCOMPARE(leaves->rowCount(), 2);
    QCOMPARE(leaves->item(0, 0)->text(), QStringLiteral("api.test"));
    QCOMPARE(leaves->item(1, 0)->text(), QStringLiteral("shop.localhost"));
    QVERIFY(leaves->item(1, 2)->text().contains(QStringLiteral("day")));

    QTableWidget *stores = page.storesTable();
    QVERIFY(stores->rowCount() >= 2); // system (unavailable here) and the NSS database
    const int nss = rowOfStore(stores, QStringLiteral("nss"));
    QVERIFY(nss >= 0);
    QCOMPARE(stores->item(nss, 2)->text(), QStringLiteral("not trusted"));
    QVERIFY(qobject_cast<QPushButton *>(stores->cellWidget(nss, 3)));
    const int system = rowOfStore(stores, QStringLiteral("system"));
    QVERIFY(system >= 0);
    // Only stores that lack the CA offer a Trust button.
    for (int row = 0; row < stores->rowCount(); ++row) {
        const StoreOutcome outcome = page.inventory().stores[row].outcome;
        const bool offered = stores->cellWidget(row, 3) != nullptr;
        QCOMPARE(offered,
            outcome == StoreOutcome::Missing || outcome == StoreOutcome::Skipped
                || outcome == StoreOutcome::Failed);
    }
}

void tst_UiPages::trustButtonInstallsInThatStoreOnly()
{
    const QString caDir = m_dir.filePath(QStringLiteral("trust/ca"));
    const QString home = m_dir.filePath(QStringLiteral("trust/home"));
    QVERIFY(createNssDatabase(home + QStringLiteral("/.pki/nssdb")));
    QVERIFY(tls::LocalCa::loadOrCreate(caDir, {}));
    tls::trust::StoreEnvironment env;
    env.home = home;
    env.systemRoot = m_dir.filePath(QStringLiteral("trust/root"));
    env.includeJava = false;

    ui::CertificatesPage page(caDir, env);
    page.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(page.hasInventory() && !page.isBusy(), 30000);
    const int nss = rowOfStore(page.storesTable(), QStringLiteral("nss"));
    QVERIFY(nss >= 0);
    auto *trust = qobject_cast<QPushButton *>(page.storesTable()->cellWidget(nss, 3));
    QVERIFY(trust);
    QSignalSpy changed(&page, &ui::CertificatesPage::inventoryChanged);
    trust->click();
    QVERIFY(page.isBusy()); // the UI thread is not held while certutil runs
    QTRY_VERIFY_WITH_TIMEOUT(!page.isBusy(), 30000);
    QCOMPARE(changed.count(), 1);
    QVERIFY2(page.message().contains(QStringLiteral("installed")), qPrintable(page.message()));
    const int after = rowOfStore(page.storesTable(), QStringLiteral("nss"));
    QCOMPARE(page.inventory().stores[after].outcome, StoreOutcome::AlreadyTrusted);
    QCOMPARE(page.storesTable()->item(after, 2)->text(), QStringLiteral("trusted"));
    QVERIFY(!page.storesTable()->cellWidget(after, 3));
}

void tst_UiPages::rotationReplacesTheRoot()
{
    const QString caDir = m_dir.filePath(QStringLiteral("rotate/ca"));
    const QString home = m_dir.filePath(QStringLiteral("rotate/home"));
    QVERIFY(createNssDatabase(home + QStringLiteral("/.pki/nssdb")));
    auto ca = tls::LocalCa::loadOrCreate(caDir, {});
    QVERIFY(ca);
    const QString before = ca->sha256Fingerprint();
    tls::trust::StoreEnvironment env;
    env.home = home;
    env.systemRoot = m_dir.filePath(QStringLiteral("rotate/root"));
    env.includeJava = false;
    ui::CertificatesPage page(caDir, env);
    page.refresh();
    QTRY_VERIFY_WITH_TIMEOUT(page.hasInventory() && !page.isBusy(), 30000);
    page.trustRow(rowOfStore(page.storesTable(), QStringLiteral("nss")));
    QTRY_VERIFY_WITH_TIMEOUT(!page.isBusy(), 30000);

    QSignalSpy rotated(&page, &ui::CertificatesPage::caRotated);
    page.rotateNow();
    QTRY_VERIFY_WITH_TIMEOUT(!page.isBusy(), 60000);
    QCOMPARE(rotated.count(), 1);
    QVERIFY(page.inventory().ca.sha256 != before);
    // The new root went where the old one was trusted.
    const int nss = rowOfStore(page.storesTable(), QStringLiteral("nss"));
    QCOMPARE(page.inventory().stores[nss].outcome, StoreOutcome::AlreadyTrusted);
}

void tst_UiPages::settingsApplyCaptureLimitsToHub()
{
    observe::CaptureHub hub;
    ui::GuiSettings settings;
    ui::SettingsPage page(&hub, settings, QStringLiteral("/usr/bin/portico"));
    QSignalSpy hubChanged(&hub, &observe::CaptureHub::settingsChanged);
    page.bodyCapEdit()->setValue(64); // KiB
    page.budgetEdit()->setValue(32); // MiB
    QCOMPARE(hub.settings()->bodyCap, qint64(1) << 20); // nothing before Apply
    QCOMPARE(page.apply(), QString());
    QCOMPARE(hubChanged.count(), 1);
    QCOMPARE(hub.settings()->bodyCap, qint64(64) * 1024);
    QCOMPARE(hub.settings()->budgetBytes, qint64(32) << 20);

    // A record's body is cut at the new cap by the data plane; the ring's budget applies at once.
    auto big = std::make_shared<observe::ExchangeRecord>();
    big->id = hub.nextId();
    big->state = observe::RecordState::Complete;
    big->responseBody.data = QByteArray(20 << 20, 'x');
    big->responseBody.size = big->responseBody.data.size();
    hub.publish(big);
    auto small = std::make_shared<observe::ExchangeRecord>(*big);
    small->id = hub.nextId();
    small->responseBody.data = QByteArray(20 << 20, 'y');
    hub.publish(small);
    QVERIFY(hub.bytesUsed() <= qint64(32) << 20);

    // Nothing to change: Apply does not touch the hub again.
    QCOMPARE(page.apply(), QString());
    QCOMPARE(hubChanged.count(), 1);
}

void tst_UiPages::settingsPersistAndApplyAtStart()
{
    QFile::remove(ui::GuiSettings::path());
    ui::SettingsPage page(nullptr, ui::GuiSettings::load(), QStringLiteral("/usr/bin/portico"));
    ui::GuiSettings edited = page.edited();
    edited.webPort = 8081;
    edited.websecurePort = 8443;
    edited.extraSuffixes = { QStringLiteral("Internal"), QStringLiteral("*.lan") };
    edited.discovery = QStringLiteral("auto");
    edited.bodyCap = 128 * 1024;
    edited.theme = ui::Theme::Dark;
    page.setEdited(edited);
    QCOMPARE(page.apply(), QString());
    QVERIFY(page.message().contains(QStringLiteral("restart")));

    const ui::GuiSettings loaded = ui::GuiSettings::load();
    QCOMPARE(loaded.webPort, 8081);
    QCOMPARE(
        loaded.extraSuffixes, (QStringList { QStringLiteral("internal"), QStringLiteral("lan") }));
    QCOMPARE(loaded.discovery, QStringLiteral("auto"));
    QCOMPARE(loaded.bodyCap, qint64(128) * 1024);
    QCOMPARE(loaded.theme, ui::Theme::Dark);

    config::StaticConfig config;
    config::EntryPointSpec web, secure;
    web.name = QStringLiteral("web");
    web.port = 80;
    secure.name = QStringLiteral("websecure");
    secure.port = 443;
    config.entryPoints = { web, secure };
    config.portsProvider = config::PortsProviderSpec {};
    ui::applyStartupSettings(loaded, config, false);
    QCOMPARE(config.entryPoints[0].port, quint16(8081));
    QCOMPARE(config.entryPoints[1].port, quint16(8443));
    QCOMPARE(config.portsProvider->publish, QStringLiteral("auto"));
    QCOMPARE(config.capture.bodyCap, qint64(128) * 1024);
    QCOMPARE(config.tlsExtraSuffixes, loaded.extraSuffixes);
    config.entryPoints[0].port = 9000;
    ui::applyStartupSettings(loaded, config, true); // --port on the command line wins
    QCOMPARE(config.entryPoints[0].port, quint16(9000));

    edited.extraSuffixes = { QStringLiteral("bad_suffix!") };
    page.setEdited(edited);
    QVERIFY(!page.apply().isEmpty());
    QVERIFY(page.message().contains(QStringLiteral("bad_suffix!")));
    ui::applyTheme(ui::Theme::System);
}

void tst_UiPages::startAtLoginWritesAutostartEntry()
{
    const QString entry = ui::autostartLocation();
    QVERIFY2(entry.startsWith(m_dir.path()), qPrintable(entry));
    QVERIFY(!QFile::exists(entry));
    ui::SettingsPage page(nullptr, {}, QStringLiteral("/opt/portico dir/portico"));
    page.startAtLoginEdit()->setChecked(true);
    QCOMPARE(page.apply(), QString());
    QFile file(entry);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray content = file.readAll();
    QVERIFY(content.startsWith("[Desktop Entry]\n"));
    QVERIFY2(content.contains("Exec=\"/opt/portico dir/portico\"\n"), content.constData());
    QVERIFY(ui::startsAtLogin());
    page.startAtLoginEdit()->setChecked(false);
    QCOMPARE(page.apply(), QString());
    QVERIFY(!QFile::exists(entry));
}

void tst_UiPages::themeChangesPalette()
{
    ui::applyTheme(ui::Theme::System);
    const QColor system = QApplication::palette().color(QPalette::Window);
    ui::applyTheme(ui::Theme::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() < 100);
    QVERIFY(QApplication::palette().color(QPalette::WindowText).lightness() > 150);
    ui::applyTheme(ui::Theme::Light);
    QVERIFY(QApplication::palette().color(QPalette::Window).lightness() > 150);
    ui::applyTheme(ui::Theme::System);
    QCOMPARE(QApplication::palette().color(QPalette::Window), system);
}

void tst_UiPages::trayMenuCaptureAndDevServers()
{
    ui::CoreStatus status;
    ui::TrayMenu menu(&status);
    QVERIFY(!menu.captureAction());
    menu.setCapture(false);
    QVERIFY(menu.captureAction());
    QCOMPARE(menu.captureAction()->text(), QStringLiteral("Pause request capture"));
    QSignalSpy pause(&menu, &ui::TrayMenu::capturePauseRequested);
    menu.captureAction()->trigger();
    QCOMPARE(pause.count(), 1);
    QCOMPARE(pause.first().first().toBool(), true);
    menu.setCapture(true);
    QCOMPARE(menu.captureAction()->text(), QStringLiteral("Resume request capture"));

    menu.setProposals({ proposal(QStringLiteral("5173-10"), 5173, QStringLiteral("shop")),
        proposal(QStringLiteral("3000-11"), 3000, QStringLiteral("api"), true) });
    QCOMPARE(menu.proposalActions().size(), 1); // published ones are routers already
    QCOMPARE(
        menu.proposalActions().first()->text(), QStringLiteral("Publish :5173 as shop.localhost"));
    QSignalSpy publish(&menu, &ui::TrayMenu::publishRequested);
    menu.proposalActions().first()->trigger();
    QCOMPARE(publish.count(), 1);
    QCOMPARE(publish.first().first().toString(), QStringLiteral("5173-10"));
}

void tst_UiPages::notices()
{
    // Dev servers: new and unpublished ones only, not the ones already running at start.
    ui::Notifier notifier;
    QSignalSpy spy(&notifier, &ui::Notifier::notice);
    notifier.setProposals({ proposal(QStringLiteral("1-1"), 5000, QStringLiteral("old")) });
    QCOMPARE(spy.count(), 0);
    notifier.setProposals({ proposal(QStringLiteral("1-1"), 5000, QStringLiteral("old")),
        proposal(QStringLiteral("2-2"), 5173, QStringLiteral("shop")),
        proposal(QStringLiteral("3-3"), 8000, QStringLiteral("done"), true) });
    QCOMPARE(spy.count(), 1);
    auto notice = spy.takeFirst().first().value<ui::Notice>();
    QCOMPARE(notice.kind, ui::Notice::DevServerFound);
    QCOMPARE(notice.key, QStringLiteral("2-2"));
    QVERIFY(notice.message.contains(QStringLiteral("shop.localhost")));

    // Backends: UP → DOWN is news, DOWN from the start is not.
    control::RuntimeState before, after;
    control::ServiceState service;
    service.name = QStringLiteral("app@file");
    service.usedBy = QStringList { QStringLiteral("app@file") };
    service.serverStatus = { { QStringLiteral("http://127.0.0.1:1"), QStringLiteral("UP") },
        { QStringLiteral("http://127.0.0.1:2"), QStringLiteral("DOWN") } };
    before.services[service.name] = service;
    notifier.setState(before);
    QCOMPARE(spy.count(), 0);
    service.serverStatus[QStringLiteral("http://127.0.0.1:1")] = QStringLiteral("DOWN");
    after.services[service.name] = service;
    notifier.setState(after);
    QCOMPARE(spy.count(), 1);
    notice = spy.takeFirst().first().value<ui::Notice>();
    QCOMPARE(notice.kind, ui::Notice::BackendDown);
    QCOMPARE(notice.key, QStringLiteral("app@file"));
    QVERIFY(notice.message.contains(QStringLiteral("http://127.0.0.1:1")));
    QVERIFY(!notice.message.contains(QStringLiteral("http://127.0.0.1:2")));

    // CA trust: said once, naming the stores that lack it.
    tls::trust::StoreResult nss { QStringLiteral("nss"), QStringLiteral("Chromium NSS"), {},
        StoreOutcome::Missing, {}, 0 };
    tls::trust::StoreResult system { QStringLiteral("system"), QStringLiteral("System"), {},
        StoreOutcome::AlreadyTrusted, {}, 0 };
    notifier.setTrust({ system });
    QCOMPARE(spy.count(), 0);
    notifier.setTrust({ system, nss });
    notifier.setTrust({ system, nss });
    QCOMPARE(spy.count(), 1);
    notice = spy.takeFirst().first().value<ui::Notice>();
    QCOMPARE(notice.kind, ui::Notice::CaUntrusted);
    QVERIFY(notice.message.contains(QStringLiteral("Chromium NSS")));
}

void tst_UiPages::pageShortcuts()
{
    ui::CoreStatus status;
    ui::MainWindow window(&status);
    auto *requests = new QLabel(QStringLiteral("requests"));
    auto *certificates = new QLabel(QStringLiteral("certificates"));
    window.addPage(requests, QStringLiteral("Requests"));
    window.addPage(certificates, QStringLiteral("Certificates"));
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(window.pages()->currentWidget(), certificates);
    QTest::keyClick(&window, Qt::Key_2, Qt::ControlModifier);
    QCOMPARE(window.pages()->currentWidget(), requests);
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(window.pages()->currentIndex(), 0);
}

QTEST_MAIN(tst_UiPages)
#include "tst_ui_pages.moc"
