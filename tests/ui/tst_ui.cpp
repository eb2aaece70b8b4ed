// The desktop app's widgets against a real core: the services model and page, the tray menu, the
// window's banner and shortcuts, and the single-instance handshake. Runs offscreen.
#include "tests/ui/live_core.h"
#include "ui/services/router_detail.h"
#include "ui/services/router_text.h"
#include "ui/services/services_model.h"
#include "ui/services/services_page.h"
#include "ui/shell/main_window.h"
#include "ui/shell/single_instance.h"
#include "ui/shell/status_icon.h"
#include "ui/tray/tray_menu.h"

#include <QAbstractItemView>
#include <QHeaderView>
#include <QSignalSpy>
#include <QTableView>
#include <QTcpServer>
#include <QTest>
#include <QUuid>

using namespace portico;
using ui::ServicesModel;

namespace {

QString cell(const ServicesModel &model, const QString &router, int column)
{
    const int row = model.rowOf(router);
    return row < 0 ? QStringLiteral("<no row>") : model.index(row, column).data().toString();
}

control::RouterState router(const QString &rule, control::Status status = control::Status::Enabled)
{
    control::RouterState r;
    r.name = QStringLiteral("r@file");
    r.spec.rule = rule;
    r.status = status;
    r.using_ = QStringList { QStringLiteral("web") };
    return r;
}

} // namespace

class tst_Ui : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void routerUrl_data();
    void routerUrl();
    void menuLabelEscapesMnemonics();
    void modelShowsRoutersOfRealCore();
    void detailShowsErrorsAndServerHealth();
    void configEditUpdatesModelAndKeepsSelection();
    void unreadableConfigShowsBannerUntilFixed();
    void trayMenuListsRouters();
    void portInUseIsShownNotFatal();
    void closeHidesToTrayOrQuits();
    void shortcutsCloseAndQuit();
    void widgetsHaveAccessibleNames();
    void secondInstanceActivatesFirst();
};

void tst_Ui::routerUrl_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("url");
    const int enabled = int(control::Status::Enabled);
    QTest::newRow("host") << "Host(`shop.localhost`)" << enabled << 8080
                          << "http://shop.localhost:8080/";
    QTest::newRow("port 80 left out")
        << "Host(`shop.localhost`)" << enabled << 80 << "http://shop.localhost/";
    QTest::newRow("host and path prefix") << "Host(`a.localhost`) && PathPrefix(`/api`)" << enabled
                                          << 81 << "http://a.localhost:81/api";
    QTest::newRow("first host of an alternative")
        << "Host(`a.localhost`) || Host(`b.test`)" << enabled << 81 << "http://a.localhost:81/";
    QTest::newRow("path only: any host")
        << "PathPrefix(`/docs`)" << enabled << 81 << "http://localhost:81/docs";
    QTest::newRow("double-quoted argument")
        << "Host(\"q.localhost\")" << enabled << 81 << "http://q.localhost:81/";
    QTest::newRow("pattern only: no URL")
        << "HostRegexp(`^.+\\.localhost$`)" << enabled << 81 << "";
    QTest::newRow("disabled router: no URL")
        << "Host(`a.localhost`)" << int(control::Status::Disabled) << 81 << "";
    QTest::newRow("entry point not bound: no URL") << "Host(`a.localhost`)" << enabled << 0 << "";
}

void tst_Ui::routerUrl()
{
    QFETCH(QString, rule);
    QFETCH(int, status);
    QFETCH(int, port);
    QFETCH(QString, url);
    std::map<QString, quint16> ports;
    if (port > 0)
        ports[QStringLiteral("web")] = quint16(port);
    QCOMPARE(ui::routerUrl(router(rule, control::Status(status)), ports).toString(), url);
}

void tst_Ui::menuLabelEscapesMnemonics()
{
    QCOMPARE(ui::menuLabel(QStringLiteral("a && b")), QStringLiteral("a &&&& b"));
    QCOMPARE(ui::menuLabel(QStringLiteral("abcdef"), 4), QStringLiteral("abc") + QChar(0x2026));
}

void tst_Ui::modelShowsRoutersOfRealCore()
{
    testkit::LiveCore core;
    ServicesModel model;
    QObject::connect(&core.status, &ui::CoreStatus::changed, &model,
        [&] { model.setState(core.status.state(), core.status.ports()); });
    QVERIFY(core.start().ok());

    QTRY_COMPARE(model.rowCount(), 2);
    const QString app = QStringLiteral("app@file"), broken = QStringLiteral("broken@file");
    QCOMPARE(model.router(0).name, app); // ordered by qualified name
    QCOMPARE(cell(model, app, ServicesModel::Status), QStringLiteral("enabled"));
    QCOMPARE(cell(model, app, ServicesModel::Url),
        QStringLiteral("http://app.localhost:%1/").arg(core.port()));
    QCOMPARE(cell(model, app, ServicesModel::Provider), QStringLiteral("file"));
    QCOMPARE(cell(model, app, ServicesModel::Service), QStringLiteral("app@file"));
    QCOMPARE(cell(model, app, ServicesModel::Errors), QString());

    QCOMPARE(cell(model, broken, ServicesModel::Status), QStringLiteral("disabled"));
    QCOMPARE(cell(model, broken, ServicesModel::Url), QString());
    QCOMPARE(cell(model, broken, ServicesModel::Rule), QStringLiteral("Hots(`x.localhost`)"));
    const QString errors = cell(model, broken, ServicesModel::Errors);
    QVERIFY2(errors.startsWith(QStringLiteral("routes.yaml:7:")), qPrintable(errors));
    QVERIFY2(errors.contains(QStringLiteral("unknown matcher \"Hots\"")), qPrintable(errors));
    const QString tooltip
        = model.index(model.rowOf(broken), ServicesModel::Errors).data(Qt::ToolTipRole).toString();
    QVERIFY2(tooltip.startsWith(core.routesPath() + QStringLiteral(":7:")), qPrintable(tooltip));
    QCOMPARE(core.status.health(), ui::Health::Error); // a disabled router is an error at a glance
}

void tst_Ui::detailShowsErrorsAndServerHealth()
{
    testkit::LiveCore core;
    ui::ServicesPage page(&core.status);
    QVERIFY(core.start().ok());
    QTRY_COMPARE(page.model()->rowCount(), 2);

    QVERIFY(page.selectRouter(QStringLiteral("broken@file")));
    const QStringList errors = page.detail()->errorLines();
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().startsWith(core.routesPath() + QStringLiteral(":7:")),
        qPrintable(errors.first()));

    QVERIFY(page.selectRouter(QStringLiteral("app@file")));
    QCOMPARE(page.detail()->errorLines(), QStringList { QStringLiteral("No errors") });
    // Health checks run every 50 ms: the closed port goes DOWN, the live backend stays UP.
    const QStringList expected { core.upUrl() + QStringLiteral(" — UP"),
        core.downUrl() + QStringLiteral(" — DOWN") };
    const auto servers = [&page] {
        QStringList lines = page.detail()->serverLines();
        lines.sort();
        return lines;
    };
    QStringList sorted = expected;
    sorted.sort();
    QTRY_COMPARE(servers(), sorted);
}

void tst_Ui::configEditUpdatesModelAndKeepsSelection()
{
    testkit::LiveCore core;
    ui::ServicesPage page(&core.status);
    QVERIFY(core.start().ok());
    QTRY_COMPARE(page.model()->rowCount(), 2);
    QVERIFY(page.selectRouter(QStringLiteral("broken@file")));

    QByteArray fixed = core.routes(QStringLiteral("Host(`x.localhost`)"));
    fixed.replace("  services:\n",
        "    extra:\n      rule: \"PathPrefix(`/extra`)\"\n      service: app\n  services:\n");
    core.writeRoutes(fixed);

    QTRY_COMPARE(page.model()->rowCount(), 3);
    const QString broken = QStringLiteral("broken@file");
    QCOMPARE(cell(*page.model(), broken, ServicesModel::Status), QStringLiteral("enabled"));
    QCOMPARE(cell(*page.model(), broken, ServicesModel::Errors), QString());
    QCOMPARE(cell(*page.model(), QStringLiteral("extra@file"), ServicesModel::Url),
        QStringLiteral("http://localhost:%1/extra").arg(core.port()));
    // The rows were reset (a router was added): the selection follows the router by name.
    QCOMPARE(page.table()->currentIndex().data(ServicesModel::RouterNameRole).toString(), broken);
    QCOMPARE(page.detail()->errorLines(), QStringList { QStringLiteral("No errors") });
    QCOMPARE(core.status.health(), ui::Health::Running);
}

void tst_Ui::unreadableConfigShowsBannerUntilFixed()
{
    testkit::LiveCore core;
    ui::MainWindow window(&core.status);
    QVERIFY(core.start().ok());
    QTRY_COMPARE(window.servicesPage()->model()->rowCount(), 2);
    QCOMPARE(window.bannerText(), QString());

    core.writeRoutes("http:\n  routers: [unclosed\n");
    QTRY_VERIFY(window.bannerText().contains(QStringLiteral("routes.yaml")));
    QCOMPARE(core.status.health(), ui::Health::Error);
    QCOMPARE(window.servicesPage()->model()->rowCount(), 2); // the last good configuration stays

    core.writeRoutes(core.routes(QStringLiteral("Host(`x.localhost`)")));
    QTRY_COMPARE(window.bannerText(), QString());
    QTRY_COMPARE(core.status.health(), ui::Health::Running);
}

void tst_Ui::trayMenuListsRouters()
{
    testkit::LiveCore core;
    ui::TrayMenu menu(&core.status);
    QVERIFY(core.start().ok());
    QTRY_COMPARE(menu.routerActions().size(), 2);

    const QList<QAction *> routers = menu.routerActions();
    QCOMPARE(routers[0]->text(), QStringLiteral("app@file — Host(`app.localhost`)"));
    QVERIFY(routers[0]->isEnabled());
    QCOMPARE(routers[1]->text(), QStringLiteral("broken@file — Hots(`x.localhost`)"));
    QVERIFY(!routers[1]->isEnabled());
    QVERIFY2(routers[1]->toolTip().contains(QStringLiteral("unknown matcher \"Hots\"")),
        qPrintable(routers[1]->toolTip()));
    QVERIFY(routers[1]->toolTip().contains(core.routesPath() + QStringLiteral(":7:")));

    QVERIFY(routers[0]->isCheckable() && routers[0]->isChecked()); // serving (tst_ui_services)
    QSignalSpy urls(&menu, &ui::TrayMenu::openUrlRequested);
    QCOMPARE(menu.openActions().size(), 1);
    menu.openActions()[0]->trigger();
    QCOMPARE(urls.count(), 1);
    QCOMPARE(urls.first().first().toUrl(),
        QUrl(QStringLiteral("http://app.localhost:%1/").arg(core.port())));

    QStringList texts;
    for (QAction *action : menu.actions())
        texts << action->text();
    QVERIFY2(texts.first().startsWith(QStringLiteral("Portico — 2 routers (1 disabled)")),
        qPrintable(texts.first()));
    QCOMPARE(texts.mid(texts.size() - 2),
        (QStringList { QStringLiteral("Open window"), QStringLiteral("Quit") }));
    QSignalSpy quit(&menu, &ui::TrayMenu::quitRequested);
    menu.actions().last()->trigger();
    QCOMPARE(quit.count(), 1);
}

void tst_Ui::portInUseIsShownNotFatal()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    config::EntryPointSpec taken;
    taken.name = QStringLiteral("web");
    taken.host = QStringLiteral("127.0.0.1");
    taken.port = occupant.serverPort();
    taken.address = QStringLiteral("127.0.0.1:%1").arg(taken.port);
    testkit::LiveCore core(taken);
    ui::MainWindow window(&core.status);
    ui::TrayMenu menu(&core.status);

    QVERIFY(!core.start().ok());
    QCOMPARE(core.status.health(), ui::Health::Error);
    const QString port = QString::number(taken.port);
    QVERIFY2(window.bannerText().contains(port), qPrintable(window.bannerText()));
    QVERIFY2(menu.actions().first()->text().contains(QStringLiteral("not serving")),
        qPrintable(menu.actions().first()->text()));
    // The control plane still runs: the routes are listed, just not served.
    QTRY_COMPARE(window.servicesPage()->model()->rowCount(), 2);
    QCOMPARE(cell(*window.servicesPage()->model(), QStringLiteral("app@file"), ServicesModel::Url),
        QString());
}

void tst_Ui::closeHidesToTrayOrQuits()
{
    ui::CoreStatus status;
    ui::MainWindow window(&status);
    QSignalSpy quit(&window, &ui::MainWindow::quitRequested);
    QSignalSpy hidden(&window, &ui::MainWindow::hiddenToTray);
    window.setHideOnClose(true);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.close();
    QVERIFY(window.isHidden());
    QCOMPARE(hidden.count(), 1);
    QCOMPARE(quit.count(), 0);

    window.setHideOnClose(false); // no tray: closing the window quits Portico
    window.bringToFront();
    QVERIFY(window.isVisible());
    window.close();
    QCOMPARE(quit.count(), 1);
}

void tst_Ui::shortcutsCloseAndQuit()
{
    ui::CoreStatus status;
    ui::MainWindow window(&status);
    window.setHideOnClose(true);
    QSignalSpy quit(&window, &ui::MainWindow::quitRequested);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_Q, Qt::ControlModifier);
    QCOMPARE(quit.count(), 1);
    QTest::keyClick(&window, Qt::Key_W, Qt::ControlModifier);
    QVERIFY(window.isHidden());
}

void tst_Ui::widgetsHaveAccessibleNames()
{
    ui::CoreStatus status;
    ui::MainWindow window(&status);
    const auto views = window.findChildren<QAbstractItemView *>();
    QVERIFY(views.size() >= 3); // routers table, errors list, servers list
    for (QAbstractItemView *view : views) {
        if (qobject_cast<QHeaderView *>(view)) // part of its table
            continue;
        QVERIFY2(!view->accessibleName().isEmpty(), view->metaObject()->className());
    }
}

void tst_Ui::secondInstanceActivatesFirst()
{
    const QString name
        = QStringLiteral("portico-test-") + QUuid::createUuid().toString(QUuid::Id128);
    ui::SingleInstance second(name);
    QVERIFY(!second.activateRunning(200)); // nobody runs yet

    ui::SingleInstance first(name);
    QVERIFY2(first.listen(), qPrintable(first.errorString()));
    QSignalSpy activated(&first, &ui::SingleInstance::activationRequested);
    QVERIFY(second.activateRunning());
    QTRY_COMPARE(activated.count(), 1);
}

QTEST_MAIN(tst_Ui)
#include "tst_ui.moc"
