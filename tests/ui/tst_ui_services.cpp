// The Services page's actions and the tray's service toggles against a real core (CoreRuntime on
// its threads, real sockets): pausing from the tray, the table or the keyboard makes a real
// request answer 503 and resuming brings the backend back; aliases added, renamed and removed
// from the page route (or stop routing) real names; a dev server found by discovery is published
// from the page; the explain field says which of overlapping routers wins; errors carry file:line.
#include "app/core_runtime.h"
#include "core/control/explain_text.h"
#include "core/provider/ports/process_info.h"
#include "tests/provider_ports/dev_server_process.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/testkit.h"
#include "tests/testkit/wait.h"
#include "ui/services/alias_editor.h"
#include "ui/services/explain_panel.h"
#include "ui/services/proposals_panel.h"
#include "ui/services/router_detail.h"
#include "ui/services/services_model.h"
#include "ui/services/services_page.h"
#include "ui/shell/core_status.h"
#include "ui/tray/tray_menu.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace portico;
using namespace std::chrono_literals;

namespace {

/// `app` → the backend on app.localhost, and `broken` (an unknown matcher on line 7).
const QByteArray kRoutes = "http:\n"
                           "  routers:\n"
                           "    app:\n"
                           "      rule: \"Host(`app.localhost`)\"\n"
                           "      service: app\n"
                           "    broken:\n"
                           "      rule: \"Hots(`x.localhost`)\"\n"
                           "      service: app\n"
                           "  services:\n"
                           "    app:\n"
                           "      loadBalancer:\n"
                           "        servers:\n"
                           "          - url: BACKEND\n";

/// Two routers for the same host: `site` (everything) and `api` (its /api, a longer rule and so
/// a higher priority).
const QByteArray kOverlapping = "http:\n"
                                "  routers:\n"
                                "    site:\n"
                                "      rule: \"Host(`app.localhost`)\"\n"
                                "      service: app\n"
                                "    api:\n"
                                "      rule: \"Host(`app.localhost`) && PathPrefix(`/api`)\"\n"
                                "      service: app\n"
                                "  services:\n"
                                "    app:\n"
                                "      loadBalancer:\n"
                                "        servers:\n"
                                "          - url: BACKEND\n";

/// A real core as `portico gui` runs it, reading `routes` (BACKEND → a live test backend) and the
/// state file of PORTICO_HOME, with the Services page and the tray menu wired to it the way the
/// shell wires them (queued signals, value types).
class ServicesCore
{
public:
    explicit ServicesCore(const QByteArray &routes, bool discovery = false)
        : m_backend([](const testkit::ReceivedRequest &, QTcpSocket *socket) {
            testkit::HttpServer::respond(socket, 200, "from backend");
        })
    {
        m_backend.listen();
        QSaveFile file(m_dir.filePath(QStringLiteral("routes.yaml")));
        if (file.open(QIODevice::WriteOnly)) {
            file.write(QByteArray(routes).replace("BACKEND", m_backend.url().toUtf8()));
            file.commit();
        }
        config::EntryPointSpec web;
        web.name = QStringLiteral("web");
        web.host = QStringLiteral("127.0.0.1");
        web.address = QStringLiteral("127.0.0.1:0");
        web.asDefault = true;
        config::StaticConfig config;
        config.entryPoints = { web };
        config.fileProvider = config::FileProviderSpec { routesPath(), {}, true };
        if (discovery) {
            config::PortsProviderSpec ports;
            ports.interval = 100ms;
            config.portsProvider = ports;
        }
        config.engineThreads = 1;
        config.graceTimeout = 100ms;
        m_core = std::make_unique<app::CoreRuntime>(config);
        // Only this test's children: other engineers' listeners are none of its business.
        const qint64 self = QCoreApplication::applicationPid();
        m_core->setDiscoveryFilter(
            [self](const provider::ports::ProcessInfo &p) { return p.parentPid == self; });
        QObject::connect(
            m_core.get(), &app::CoreRuntime::stateChanged, &status, &ui::CoreStatus::setState);
        QObject::connect(m_core.get(), &app::CoreRuntime::providerFailed, &status,
            &ui::CoreStatus::setProviderFailed);
    }

    bool start()
    {
        if (!m_core->listen())
            return false;
        status.setListening(m_core->urls(QStringLiteral("web")), m_core->ports());
        m_core->startControl();
        return true;
    }

    /// The page's requests go to the core; the core's answers come back to the page.
    void wire(ui::ServicesPage &page)
    {
        app::CoreRuntime *core = m_core.get();
        page.setDiscoveryEnabled(core->hasDiscovery());
        QObject::connect(&page, &ui::ServicesPage::pauseRequested, core,
            [core](const QString &router, bool paused) { core->setRouterPaused(router, paused); });
        QObject::connect(&page, &ui::ServicesPage::aliasRequested, core,
            [core](const QString &name, const QString &target, const QString &replacing) {
                core->setAlias(name, target, replacing);
            });
        QObject::connect(&page, &ui::ServicesPage::aliasRemovalRequested, core,
            [core](const QString &name) { core->removeAlias(name); });
        QObject::connect(&page, &ui::ServicesPage::publishRequested, core,
            [core](const QString &id, const QString &name) { core->publishProposal(id, name); });
        QObject::connect(&page, &ui::ServicesPage::explainRequested, core,
            [core](const QString &url) { core->explain(url); });
        QObject::connect(core, &app::CoreRuntime::actionFailed, &page,
            &ui::ServicesPage::showActionError, Qt::QueuedConnection);
        QObject::connect(
            core, &app::CoreRuntime::proposalFailed, &page,
            [&page](const QString &id, const Error &error) {
                page.showActionError(QStringLiteral("publish ") + id, error);
            },
            Qt::QueuedConnection);
        QObject::connect(core, &app::CoreRuntime::proposalsChanged, &page,
            &ui::ServicesPage::setProposals, Qt::QueuedConnection);
        QObject::connect(core, &app::CoreRuntime::explained, &page,
            &ui::ServicesPage::showExplanation, Qt::QueuedConnection);
        QObject::connect(core, &app::CoreRuntime::explainFailed, &page,
            &ui::ServicesPage::showExplainError, Qt::QueuedConnection);
    }

    void wire(ui::TrayMenu &menu)
    {
        app::CoreRuntime *core = m_core.get();
        QObject::connect(&menu, &ui::TrayMenu::pauseRequested, core,
            [core](const QString &router, bool paused) { core->setRouterPaused(router, paused); });
        QObject::connect(core, &app::CoreRuntime::actionFailed, &menu, &ui::TrayMenu::resync,
            Qt::QueuedConnection);
    }

    /// The status and body of `GET path` with Host `host` through the proxy.
    QByteArray fetch(const QByteArray &host, const QByteArray &path = "/") const
    {
        testkit::RawClient client;
        if (!client.connectTo(port()))
            return "connect failed";
        client.send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        const auto &responses = client.waitForResponses(1);
        if (responses.empty())
            return "no response";
        return QByteArray::number(responses.front().status) + ' ' + responses.front().body;
    }

    QString routesPath() const { return m_dir.filePath(QStringLiteral("routes.yaml")); }
    quint16 port() const { return m_core->server().port(QStringLiteral("web")); }
    quint16 backendPort() const { return m_backend.port(); }
    app::CoreRuntime &core() const { return *m_core; }

    ui::CoreStatus status;

private:
    QTemporaryDir m_dir;
    testkit::HttpServer m_backend;
    std::unique_ptr<app::CoreRuntime> m_core;
};

bool isServing(const ui::CoreStatus &status, const QString &router)
{
    const auto it = status.state().routers.find(router);
    return it != status.state().routers.end() && !it->second.paused;
}

QAction *routerToggle(const ui::TrayMenu &menu, const QString &router)
{
    for (QAction *action : menu.routerActions()) {
        if (action->text().startsWith(router + QStringLiteral(" — ")))
            return action;
    }
    return nullptr;
}

/// A state of `count` routers `r000@file`…, of which `paused` are paused.
control::RuntimeState manyRouters(int count, const QStringList &paused)
{
    control::RuntimeState state;
    state.generation = 1;
    for (int i = 0; i < count; ++i) {
        control::RouterState router;
        router.name = QStringLiteral("r%1@file").arg(i, 3, 10, QLatin1Char('0'));
        router.provider = QStringLiteral("file");
        router.spec.rule = QStringLiteral("Host(`r%1.localhost`)").arg(i);
        router.using_ = QStringList { QStringLiteral("web") };
        router.service = QStringLiteral("app@file");
        router.paused = paused.contains(router.name);
        state.routers[router.name] = router;
    }
    return state;
}

} // namespace

class tst_UiServices : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void toggleChangesRouting_data();
    void toggleChangesRouting();
    void refusedToggleSaysWhereAndWhy();
    void trayMenuStaysBoundedWithManyRouters();
    void aliasAddRenameRemoveRoutes();
    void aliasRefusalIsShown_data();
    void aliasRefusalIsShown();
    void publishDevServerFromPage();
    void explainOverlappingRouters_data();
    void explainOverlappingRouters();
    void errorsShowFileAndLine();
    void openAndCopyUrl();
    void widgetsHaveAccessibleNames();
    void fitsAt1280x800();

private:
    QTemporaryDir m_home;
};

void tst_UiServices::initTestCase()
{
    QVERIFY(m_home.isValid());
    // One home for the run (its local CA is made once); state.json is removed before each test.
    qputenv("PORTICO_HOME", m_home.path().toUtf8());
}

void tst_UiServices::init()
{
    QFile::remove(m_home.filePath(QStringLiteral("state.json")));
    QFile::remove(m_home.filePath(QStringLiteral("ports.json")));
}

void tst_UiServices::toggleChangesRouting_data()
{
    QTest::addColumn<QString>("from");
    QTest::newRow("tray menu toggle") << QStringLiteral("tray");
    QTest::newRow("table check box") << QStringLiteral("checkbox");
    QTest::newRow("toolbar action") << QStringLiteral("action");
    QTest::newRow("Ctrl+T on the page") << QStringLiteral("shortcut");
}

void tst_UiServices::toggleChangesRouting()
{
    QFETCH(QString, from);
    ServicesCore core(kRoutes);
    ui::ServicesPage page(&core.status);
    ui::TrayMenu menu(&core.status);
    core.wire(page);
    core.wire(menu);
    page.resize(1280, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowActive(&page));
    QVERIFY(core.start());
    const QString app = QStringLiteral("app@file");
    QTRY_VERIFY(routerToggle(menu, app) && routerToggle(menu, app)->isChecked());
    QCOMPARE(core.fetch("app.localhost"), QByteArray("200 from backend"));
    QVERIFY(page.selectRouter(app));

    const auto flip = [&] {
        if (from == u"tray") {
            routerToggle(menu, app)->trigger();
        } else if (from == u"checkbox") {
            const QModelIndex name = page.model()->index(page.model()->rowOf(app), 0);
            const bool serving = name.data(Qt::CheckStateRole).toInt() == Qt::Checked;
            // What the view does when the check box is clicked.
            page.model()->setData(name, serving ? Qt::Unchecked : Qt::Checked, Qt::CheckStateRole);
        } else if (from == u"action") {
            page.toggleAction()->trigger();
        } else {
            page.table()->setFocus();
            QTest::keyClick(page.table(), Qt::Key_T, Qt::ControlModifier);
        }
    };
    flip();
    QTRY_VERIFY(!isServing(core.status, app));
    QVERIFY(core.fetch("app.localhost").startsWith("503 "));
    QVERIFY(!routerToggle(menu, app)->isChecked());
    QVERIFY(!page.toggleAction()->isChecked());
    const QModelIndex status
        = page.model()->index(page.model()->rowOf(app), ui::ServicesModel::Status);
    QCOMPARE(status.data().toString(), QStringLiteral("enabled (paused)"));
    QVERIFY(QFile::exists(m_home.filePath(QStringLiteral("state.json")))); // persisted

    flip();
    QTRY_VERIFY(isServing(core.status, app));
    QCOMPARE(core.fetch("app.localhost"), QByteArray("200 from backend"));
    QVERIFY(routerToggle(menu, app)->isChecked());
    QVERIFY(page.toggleAction()->isChecked());
    QCOMPARE(page.messageText(), QString());
}

void tst_UiServices::refusedToggleSaysWhereAndWhy()
{
    ServicesCore core(kRoutes);
    ui::ServicesPage page(&core.status);
    ui::TrayMenu menu(&core.status);
    core.wire(page);
    core.wire(menu);
    QVERIFY(core.start());
    const QString app = QStringLiteral("app@file");
    QTRY_VERIFY(routerToggle(menu, app) && routerToggle(menu, app)->isChecked());
    // A hand edit broke state.json: pausing is refused (the file is never overwritten).
    const QString statePath = m_home.filePath(QStringLiteral("state.json"));
    QFile file(statePath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\n  \"version\": 1,\n  \"paused\": [oops]\n}\n");
    file.close();

    routerToggle(menu, app)->trigger();
    QVERIFY(!routerToggle(menu, app)->isChecked()); // until the core answers
    QTRY_VERIFY(!page.messageText().isEmpty());
    QVERIFY2(page.messageText().startsWith(QStringLiteral("Could not pause app@file: ")),
        qPrintable(page.messageText()));
    QVERIFY2(page.messageText().contains(statePath + QStringLiteral(":3:")),
        qPrintable(page.messageText()));
    QTRY_VERIFY(routerToggle(menu, app)->isChecked()); // back to what is true
    QVERIFY(isServing(core.status, app));
    QCOMPARE(core.fetch("app.localhost"), QByteArray("200 from backend"));
}

void tst_UiServices::trayMenuStaysBoundedWithManyRouters()
{
    ui::CoreStatus status;
    status.setListening(
        { QStringLiteral("http://127.0.0.1:8080") }, { { QStringLiteral("web"), quint16(8080) } });
    status.setState(manyRouters(200, { QStringLiteral("r150@file") }));
    ui::TrayMenu menu(&status);
    QSignalSpy pause(&menu, &ui::TrayMenu::pauseRequested);
    QSignalSpy services(&menu, &ui::TrayMenu::servicesRequested);
    QSignalSpy urls(&menu, &ui::TrayMenu::openUrlRequested);

    QCOMPARE(menu.routerActions().size(), ui::TrayMenu::maxRouters());
    QVERIFY(menu.actions().size() < 2 * ui::TrayMenu::maxRouters());
    // The paused one comes first, so it can be resumed from here.
    QVERIFY(menu.routerActions().first()->text().startsWith(QStringLiteral("r150@file")));
    QVERIFY(!menu.routerActions().first()->isChecked());
    QVERIFY(menu.routerActions().at(1)->isChecked());
    QVERIFY(menu.moreAction());
    QCOMPARE(menu.moreAction()->text(),
        QStringLiteral("More in window… (%1 more)").arg(200 - ui::TrayMenu::maxRouters()));
    menu.moreAction()->trigger();
    QCOMPARE(services.count(), 1);

    QCOMPARE(menu.openActions().size(), ui::TrayMenu::maxRouters());
    QCOMPARE(menu.openActions().at(1)->text(), QStringLiteral("http://r0.localhost:8080/"));
    menu.openActions().at(1)->trigger();
    QCOMPARE(urls.count(), 1);
    QCOMPARE(urls.first().first().toUrl(), QUrl(QStringLiteral("http://r0.localhost:8080/")));

    menu.routerActions().first()->trigger(); // r150 back on
    QCOMPARE(pause.count(), 1);
    QCOMPARE(pause.first().at(0).toString(), QStringLiteral("r150@file"));
    QCOMPARE(pause.first().at(1).toBool(), false);

    if (const QString shots = qEnvironmentVariable("PORTICO_UI_SHOTS"); !shots.isEmpty())
        QVERIFY(menu.grab().save(QDir(shots).filePath(QStringLiteral("tray-menu-200.png"))));

    status.setState(manyRouters(5, {}));
    QCOMPARE(menu.routerActions().size(), 5);
    QVERIFY(!menu.moreAction());
}

void tst_UiServices::aliasAddRenameRemoveRoutes()
{
    ServicesCore core(kRoutes);
    ui::ServicesPage page(&core.status);
    core.wire(page);
    page.show();
    QVERIFY(QTest::qWaitForWindowActive(&page));
    QVERIFY(core.start());
    QTRY_VERIFY(core.status.hasState());
    QCOMPARE(core.fetch("shop.localhost").left(3), QByteArray("404"));
    ui::AliasEditor *editor = page.aliasEditor();
    const QString target = QStringLiteral("http://127.0.0.1:%1").arg(core.backendPort());

    // Add (Ctrl+N goes to an empty form).
    page.table()->setFocus();
    QTest::keyClick(page.table(), Qt::Key_N, Qt::ControlModifier);
    QCOMPARE(page.tabs()->currentWidget(), editor);
    QVERIFY(editor->nameField()->hasFocus());
    QTest::keyClicks(editor->nameField(), QStringLiteral("shop"));
    editor->targetField()->setText(target);
    QTest::keyClick(editor->targetField(), Qt::Key_Return);
    QTRY_COMPARE(editor->aliasLines(), QStringList { QStringLiteral("shop → ") + target });
    QCOMPARE(core.fetch("shop.localhost"), QByteArray("200 from backend"));
    QVERIFY(page.model()->rowOf(QStringLiteral("shop@state")) >= 0);

    // Rename: select it, change the name.
    QVERIFY(editor->selectAlias(QStringLiteral("shop")));
    QCOMPARE(editor->targetField()->text(), target);
    editor->nameField()->setText(QStringLiteral("store"));
    QCOMPARE(editor->saveButton()->text(), QStringLiteral("Re&name alias"));
    editor->saveButton()->click();
    QTRY_COMPARE(editor->aliasLines(), QStringList { QStringLiteral("store → ") + target });
    QCOMPARE(core.fetch("store.localhost"), QByteArray("200 from backend"));
    QCOMPARE(core.fetch("shop.localhost").left(3), QByteArray("404"));

    // Remove.
    QVERIFY(editor->selectAlias(QStringLiteral("store")));
    editor->removeButton()->click();
    QTRY_COMPARE(editor->aliasLines(), QStringList());
    QCOMPARE(core.fetch("store.localhost").left(3), QByteArray("404"));
    QCOMPARE(page.messageText(), QString());
}

void tst_UiServices::aliasRefusalIsShown_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("name with a space")
        << QStringLiteral("my shop") << QStringLiteral("3000") << QStringLiteral("\"my shop\"");
    QTest::newRow("target neither port nor URL") << QStringLiteral(
        "shop") << QStringLiteral("not-a-port") << QStringLiteral("\"not-a-port\"");
}

void tst_UiServices::aliasRefusalIsShown()
{
    QFETCH(QString, name);
    QFETCH(QString, target);
    QFETCH(QString, quoted);
    ServicesCore core(kRoutes);
    ui::ServicesPage page(&core.status);
    core.wire(page);
    QVERIFY(core.start());
    page.aliasEditor()->nameField()->setText(name);
    page.aliasEditor()->targetField()->setText(target);
    page.aliasEditor()->save();
    QTRY_VERIFY(!page.messageText().isEmpty());
    QVERIFY2(page.messageText().startsWith(QStringLiteral("Could not alias ")),
        qPrintable(page.messageText()));
    QVERIFY2(page.messageText().contains(quoted), qPrintable(page.messageText()));
    QCOMPARE(page.aliasEditor()->aliasLines(), QStringList());
}

void tst_UiServices::publishDevServerFromPage()
{
    QTemporaryDir project;
    {
        QFile package(project.filePath(QStringLiteral("package.json")));
        QVERIFY(package.open(QIODevice::WriteOnly));
        package.write("{\"name\": \"storefront\"}");
        QFile index(project.filePath(QStringLiteral("index.html")));
        QVERIFY(index.open(QIODevice::WriteOnly));
        index.write("<html><head><title>Store</title></head><body>store page</body></html>");
    }
    testkit::DevServerProcess server;
    QVERIFY(server.startHttpServer(project.path()));

    ServicesCore core(kRoutes, true);
    QVERIFY(core.core().hasDiscovery());
    ui::ServicesPage page(&core.status);
    core.wire(page);
    QVERIFY(core.start());
    ui::ProposalsPanel *panel = page.proposalsPanel();
    const QString id = QStringLiteral("%1-%2").arg(server.port()).arg(server.pid());
    QTRY_VERIFY_WITH_TIMEOUT(panel->selectProposal(id), 15000);
    QCOMPARE(panel->nameField()->text(), QStringLiteral("storefront"));
    QCOMPARE(core.fetch("shopfront.localhost").left(3), QByteArray("404"));

    panel->nameField()->setText(QStringLiteral("shopfront"));
    QCOMPARE(panel->publishButton()->text(), QStringLiteral("&Publish as shopfront.localhost"));
    QTest::keyClick(panel->nameField(), Qt::Key_Return);
    QTRY_VERIFY(core.status.state().routers.count(QStringLiteral("shopfront@ports")) == 1);
    QTRY_VERIFY(core.fetch("shopfront.localhost").contains("store page"));
    QTRY_VERIFY(!panel->publishButton()->isEnabled()); // published now
    QCOMPARE(page.messageText(), QString());

    // A refused publication is said in words.
    core.core().publishProposal(QStringLiteral("0-0"), QStringLiteral("x"));
    QTRY_VERIFY(!page.messageText().isEmpty());
    QVERIFY2(page.messageText().contains(QStringLiteral("0-0")), qPrintable(page.messageText()));
}

void tst_UiServices::explainOverlappingRouters_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QString>("winner");
    QTest::addColumn<QStringList>("lines");
    QTest::newRow("/api wins over the catch-all")
        << QByteArray("/api/orders") << QStringLiteral("api@file serves it on web")
        << QStringList { QStringLiteral("  -> api@file serves it"),
               QStringLiteral("    [winner]        api@file"),
               QStringLiteral("    [matched]       site@file") };
    QTest::newRow("elsewhere the catch-all wins")
        << QByteArray("/about") << QStringLiteral("site@file serves it on web")
        << QStringList { QStringLiteral("  -> site@file serves it"),
               QStringLiteral("    [not-matched]   api@file"),
               QStringLiteral("    [winner]        site@file") };
}

void tst_UiServices::explainOverlappingRouters()
{
    QFETCH(QByteArray, path);
    QFETCH(QString, winner);
    QFETCH(QStringList, lines);
    ServicesCore core(kOverlapping);
    ui::ServicesPage page(&core.status);
    core.wire(page);
    page.show();
    QVERIFY(QTest::qWaitForWindowActive(&page));
    QVERIFY(core.start());
    QTRY_COMPARE(page.model()->rowCount(), 2);

    // Ctrl+F filters the table (name, URL, rule, provider); a reload keeps the filter.
    page.table()->setFocus();
    QTest::keyClick(page.table(), Qt::Key_F, Qt::ControlModifier);
    QVERIFY(page.filterField()->hasFocus());
    QTest::keyClicks(page.filterField(), QStringLiteral("/API"));
    QCOMPARE(page.visibleRouterCount(), 1);
    QVERIFY(!page.table()->isRowHidden(page.model()->rowOf(QStringLiteral("api@file"))));
    core.core().setRouterPaused(QStringLiteral("site@file"), true); // a new state: model reset
    QTRY_VERIFY(!isServing(core.status, QStringLiteral("site@file")));
    QCOMPARE(page.visibleRouterCount(), 1);
    page.filterField()->clear();
    QCOMPARE(page.visibleRouterCount(), 2);
    core.core().setRouterPaused(QStringLiteral("site@file"), false);
    QTRY_VERIFY(isServing(core.status, QStringLiteral("site@file")));

    // The field starts from the selected router's URL; Ctrl+E goes to it.
    QVERIFY(page.explainPanel()->urlField()->text().startsWith(
        QStringLiteral("http://app.localhost:")));
    page.table()->setFocus();
    QTest::keyClick(page.table(), Qt::Key_E, Qt::ControlModifier);
    QCOMPARE(page.tabs()->currentWidget(), page.explainPanel());
    QVERIFY(page.explainPanel()->urlField()->hasFocus());
    const QString url
        = QStringLiteral("http://app.localhost:%1").arg(core.port()) + QString::fromUtf8(path);
    page.explainPanel()->urlField()->setText(url);
    QTest::keyClick(page.explainPanel()->urlField(), Qt::Key_Return);
    QTRY_COMPARE(page.explainPanel()->verdict(), winner);

    const QString text = page.explainPanel()->text();
    QVERIFY2(text.startsWith(QStringLiteral("GET %1\n  host \"app.localhost\", path \"%2\"\n")
                                 .arg(url, QString::fromUtf8(path))),
        qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("\nentry point web (")), qPrintable(text));
    for (const QString &line : lines)
        QVERIFY2(text.contains(line), qPrintable(line + QStringLiteral("\n---\n") + text));
    // And the router it names really is the one serving.
    QCOMPARE(core.fetch("app.localhost", path), QByteArray("200 from backend"));

    // A URL the explainer cannot take is answered in words, not silence.
    page.explainPanel()->urlField()->setText(QStringLiteral("ftp://app.localhost/"));
    page.explainPanel()->explainButton()->click();
    QTRY_VERIFY2(page.explainPanel()->verdict().startsWith(QStringLiteral("Cannot explain: ")),
        qPrintable(page.explainPanel()->verdict()));
}

void tst_UiServices::errorsShowFileAndLine()
{
    ServicesCore core(kRoutes);
    ui::ServicesPage page(&core.status);
    ui::TrayMenu menu(&core.status);
    QVERIFY(core.start());
    const QString broken = QStringLiteral("broken@file");
    QTRY_VERIFY(page.model()->rowOf(broken) >= 0);
    QVERIFY(page.selectRouter(broken));
    const QString where = core.routesPath() + QStringLiteral(":7:");
    const QStringList errors = page.detail()->errorLines();
    QVERIFY2(!errors.isEmpty() && errors.first().startsWith(where), qPrintable(errors.join(u'\n')));
    QVERIFY(errors.first().contains(QStringLiteral("unknown matcher \"Hots\"")));
    const QModelIndex cell
        = page.model()->index(page.model()->rowOf(broken), ui::ServicesModel::Errors);
    QVERIFY2(cell.data().toString().startsWith(QStringLiteral("routes.yaml:7:")),
        qPrintable(cell.data().toString()));
    QAction *toggle = routerToggle(menu, broken);
    QVERIFY(toggle && !toggle->isEnabled());
    QVERIFY(!toggle->isChecked()); // it serves nothing
    QCOMPARE(page.model()
                 ->index(page.model()->rowOf(broken), ui::ServicesModel::Name)
                 .data(Qt::CheckStateRole)
                 .toInt(),
        int(Qt::Unchecked));
    QVERIFY(!page.toggleAction()->isEnabled() && !page.toggleAction()->isChecked());
    QVERIFY2(toggle->toolTip().contains(where), qPrintable(toggle->toolTip()));
    // Servers and their health for the good one.
    QVERIFY(page.selectRouter(QStringLiteral("app@file")));
    QTRY_COMPARE(page.detail()->serverLines().size(), 1);
    QVERIFY(page.detail()->serverLines().first().contains(QString::number(core.backendPort())));
}

void tst_UiServices::openAndCopyUrl()
{
    ServicesCore core(kRoutes);
    ui::ServicesPage page(&core.status);
    ui::TrayMenu menu(&core.status);
    core.wire(page);
    QVERIFY(core.start());
    QTRY_VERIFY(page.model()->rowOf(QStringLiteral("app@file")) >= 0);
    const QUrl url(QStringLiteral("http://app.localhost:%1/").arg(core.port()));

    QVERIFY(page.selectRouter(QStringLiteral("broken@file")));
    QVERIFY(!page.openAction()->isEnabled()); // not served: no URL
    QVERIFY(page.selectRouter(QStringLiteral("app@file")));
    QVERIFY(page.openAction()->isEnabled());
    QSignalSpy opened(&page, &ui::ServicesPage::openUrlRequested);
    page.openAction()->trigger();
    QCOMPARE(opened.count(), 1);
    QCOMPARE(opened.first().first().toUrl(), url);
    page.copyUrlAction()->trigger();
    QCOMPARE(QApplication::clipboard()->text(), url.toString());

    QSignalSpy trayOpened(&menu, &ui::TrayMenu::openUrlRequested);
    QCOMPARE(menu.openActions().size(), 1);
    menu.openActions().first()->trigger();
    QCOMPARE(trayOpened.count(), 1);
    QCOMPARE(trayOpened.first().first().toUrl(), url);
}

void tst_UiServices::widgetsHaveAccessibleNames()
{
    ui::CoreStatus status;
    ui::ServicesPage page(&status);
    int checked = 0;
    for (QWidget *widget : page.findChildren<QWidget *>()) {
        const bool interactive = qobject_cast<QLineEdit *>(widget)
            || (qobject_cast<QAbstractButton *>(widget) && !widget->inherits("QToolButton"))
            || (qobject_cast<QAbstractItemView *>(widget) && !qobject_cast<QHeaderView *>(widget));
        // Parts of a line edit (its clear button) or of a view (the table's corner button).
        if (!interactive || widget->parentWidget()->inherits("QLineEdit")
            || widget->parentWidget()->inherits("QAbstractItemView"))
            continue;
        ++checked;
        QVERIFY2(!widget->accessibleName().isEmpty(),
            qPrintable(QStringLiteral("%1 %2").arg(
                QLatin1String(widget->metaObject()->className()), widget->objectName())));
    }
    QVERIFY(checked >= 12);
}

void tst_UiServices::fitsAt1280x800()
{
    ServicesCore core(kOverlapping);
    ui::ServicesPage page(&core.status);
    core.wire(page);
    page.resize(1280, 760); // the window's other 40 px: tabs and status bar
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY(core.start());
    QTRY_COMPARE(page.model()->rowCount(), 2);
    core.core().setAlias(QStringLiteral("shop"), QStringLiteral("5173"));
    QTRY_COMPARE(page.model()->rowCount(), 3);
    page.explainPanel()->explainField();
    QTRY_VERIFY(!page.explainPanel()->text().isEmpty());
    // PORTICO_UI_SHOTS=DIR keeps a picture of each tab to look at.
    const QString shots = qEnvironmentVariable("PORTICO_UI_SHOTS");
    for (int tab = 0; tab < page.tabs()->count(); ++tab) {
        page.tabs()->setCurrentIndex(tab);
        const QSize needed = page.minimumSizeHint();
        QVERIFY2(needed.width() <= 1280 && needed.height() <= 760,
            qPrintable(QStringLiteral("tab %1 needs %2x%3")
                           .arg(tab)
                           .arg(needed.width())
                           .arg(needed.height())));
        if (!shots.isEmpty())
            QVERIFY(
                page.grab().save(QDir(shots).filePath(QStringLiteral("services-%1.png").arg(tab))));
    }
}

QTEST_MAIN(tst_UiServices)
#include "tst_ui_services.moc"
