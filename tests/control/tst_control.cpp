#include "core/config/loader.h"
#include "core/control/table_builder.h"

#include <QTest>

using namespace portico;
using namespace portico::control;

namespace {

config::EntryPointSpec entryPoint(const char *name, bool asDefault, QStringList middlewares = {})
{
    config::EntryPointSpec ep;
    ep.name = QString::fromLatin1(name);
    ep.asDefault = asDefault;
    ep.middlewares = std::move(middlewares);
    return ep;
}

std::vector<config::EntryPointSpec> defaultEntryPoints()
{
    return { entryPoint("web", true), entryPoint("admin", false) };
}

TableBuilder::Result buildFrom(const QByteArray &yaml, const Snapshots &extra = {})
{
    Snapshots snapshots = extra;
    snapshots[QStringLiteral("file")]
        = config::parseDynamicConfig(yaml, QStringLiteral("dyn.yaml"));
    return TableBuilder(defaultEntryPoints()).build(snapshots, 1);
}

/// Name of the router the table picks for a request, or "-" when none matches.
QString routeFor(const TableBuilder::Result &built, const QString &entryPoint, const char *host,
    const char *path = "/")
{
    const proxy::EntryPointRoutes *routes = built.table->forEntryPoint(entryPoint);
    if (!routes)
        return QStringLiteral("-");
    HeaderList headers;
    rules::RequestFacts facts;
    facts.host = host;
    facts.method = "GET";
    facts.path = path;
    facts.headers = &headers;
    facts.clientIp = QHostAddress::LocalHost;
    const int id = routes->rules.match(facts);
    return id < 0 ? QStringLiteral("-") : routes->routes[size_t(id)].router;
}

QString errorsOf(const ObjectState &object)
{
    QStringList out;
    for (const Error &e : object.errors)
        out << e.toString();
    return out.join(u'\n');
}

const char *const kService = "  services:\n"
                             "    svc:\n"
                             "      loadBalancer:\n"
                             "        servers: [{url: \"http://127.0.0.1:3000\"}]\n";

QByteArray withService(const char *routers)
{
    return QByteArray("http:\n") + kService + routers;
}

} // namespace

class tst_Control : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void routerStatus_data();
    void routerStatus();
    void badObjectsDoNotStopOthers();
    void routing_data();
    void routing();
    void providerPrecedenceBreaksTies();
    void entryPointMiddlewaresComeFirst();
    void balancersAreReusedWhenUnchanged();
    void serviceErrorsArePositioned();
};

void tst_Control::routerStatus_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("router");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("error");

    QTest::newRow("valid") << withService(
        "  routers:\n    r: {rule: \"Host(`a.localhost`)\", service: svc}\n")
                           << "r@file"
                           << "enabled"
                           << "";
    QTest::newRow("bad rule names the column")
        << withService("  routers:\n    r: {rule: \"Hots(`a`)\", service: svc}\n") << "r@file"
        << "disabled"
        << "dyn.yaml:7:9: http.routers.r.rule: invalid rule at column 1";
    QTest::newRow("bad rule hint")
        << withService("  routers:\n    r: {rule: \"Hots(`a`)\", service: svc}\n") << "r@file"
        << "disabled"
        << "invalid rule at column 1: unknown matcher \"Hots\" (did you mean \"Host\"?)";
    QTest::newRow("missing service")
        << withService("  routers:\n    r: {rule: \"Path(`/`)\", service: nope}\n") << "r@file"
        << "disabled"
        << "the service \"nope@file\" does not exist";
    QTest::newRow("missing middleware") << withService(
        "  routers:\n    r: {rule: \"Path(`/`)\", service: svc, middlewares: [gone]}\n")
                                        << "r@file"
                                        << "disabled"
                                        << "middleware \"gone@file\" does not exist";
    QTest::newRow("unknown entry point among valid ones")
        << withService(
               "  routers:\n    r: {rule: \"Path(`/`)\", service: svc, entryPoints: [web, webb]}\n")
        << "r@file"
        << "warning"
        << "entryPoint \"webb\" doesn't exist (did you mean \"web\"?)";
    QTest::newRow("only unknown entry points") << withService(
        "  routers:\n    r: {rule: \"Path(`/`)\", service: svc, entryPoints: [nope]}\n")
                                               << "r@file"
                                               << "disabled"
                                               << "the router has no valid entry point";
    QTest::newRow("priority too high")
        << withService("  routers:\n    r: {rule: \"Path(`/`)\", service: svc, priority: "
                       "9223372036854775000}\n")
        << "r@file"
        << "disabled"
        << "http.routers.r.priority: value 9223372036854775000 is out of range";
    QTest::newRow("service in error") << QByteArray(
        "http:\n  services:\n    svc:\n      loadBalancer:\n        servers: [{url: \"ftp://x\"}]\n"
        "  routers:\n    r: {rule: \"Path(`/`)\", service: svc}\n")
                                      << "r@file"
                                      << "disabled"
                                      << "the service \"svc@file\" is in error";
    QTest::newRow("cross-provider reference")
        << withService("  routers:\n    r: {rule: \"Path(`/`)\", service: svc@docker}\n")
        << "r@file"
        << "disabled"
        << "the service \"svc@docker\" does not exist";
}

void tst_Control::routerStatus()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, router);
    QFETCH(QString, status);
    QFETCH(QString, error);
    const auto built = buildFrom(yaml);
    const auto it = built.state.routers.find(router);
    QVERIFY2(it != built.state.routers.end(), qPrintable(router));
    QCOMPARE(statusName(it->second.status), status);
    if (error.isEmpty())
        QVERIFY2(it->second.errors.empty(), qPrintable(errorsOf(it->second)));
    else
        QVERIFY2(errorsOf(it->second).contains(error), qPrintable(errorsOf(it->second)));
}

void tst_Control::badObjectsDoNotStopOthers()
{
    const auto built = buildFrom(
        withService("  routers:\n"
                    "    good: {rule: \"Host(`good.localhost`)\", service: svc}\n"
                    "    bad: {rule: \"Host(`bad.localhost`) &&\", service: svc}\n"
                    "    orphan: {rule: \"Host(`orphan.localhost`)\", service: none}\n"));
    QCOMPARE(routeFor(built, QStringLiteral("web"), "good.localhost"), QStringLiteral("good@file"));
    QCOMPARE(routeFor(built, QStringLiteral("web"), "bad.localhost"), QStringLiteral("-"));
    QCOMPARE(routeFor(built, QStringLiteral("web"), "orphan.localhost"), QStringLiteral("-"));
    QCOMPARE(built.state.allErrors().size(), size_t(2));
}

void tst_Control::routing_data()
{
    QTest::addColumn<QByteArray>("routers");
    QTest::addColumn<QString>("entryPoint");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");

    const QByteArray overlap
        = "  routers:\n"
          "    wide: {rule: \"PathPrefix(`/`)\", service: svc}\n"
          "    api: {rule: \"Host(`a.localhost`) && PathPrefix(`/api`)\", service: svc}\n"
          "    host: {rule: \"Host(`a.localhost`)\", service: svc}\n";
    QTest::newRow("longest rule wins") << overlap << "web"
                                       << "a.localhost"
                                       << "/api/x"
                                       << "api@file";
    QTest::newRow("host beats catch-all") << overlap << "web"
                                          << "a.localhost"
                                          << "/"
                                          << "host@file";
    QTest::newRow("catch-all for other hosts") << overlap << "web"
                                               << "b.localhost"
                                               << "/"
                                               << "wide@file";
    QTest::newRow("not on non-default entry point") << overlap << "admin"
                                                    << "a.localhost"
                                                    << "/"
                                                    << "-";

    const QByteArray explicitPriority
        = "  routers:\n"
          "    low: {rule: \"Host(`a.localhost`)\", service: svc, priority: 1}\n"
          "    high: {rule: \"PathPrefix(`/`)\", service: svc, priority: 100}\n";
    QTest::newRow("explicit priority wins") << explicitPriority << "web"
                                            << "a.localhost"
                                            << "/"
                                            << "high@file";

    const QByteArray explicitLow
        = "  routers:\n"
          "    one: {rule: \"Host(`a.localhost`)\", service: svc, priority: 1}\n"
          "    dflt: {rule: \"PathPrefix(`/`)\", service: svc}\n";
    QTest::newRow("explicit 1 loses to any default") << explicitLow << "web"
                                                     << "a.localhost"
                                                     << "/"
                                                     << "dflt@file";

    const QByteArray tie = "  routers:\n"
                           "    bbb: {rule: \"Path(`/x`)\", service: svc}\n"
                           "    aaa: {rule: \"Path(`/x`)\", service: svc}\n";
    QTest::newRow("equal priority: name order") << tie << "web"
                                                << "x"
                                                << "/x"
                                                << "aaa@file";

    const QByteArray pinned
        = "  routers:\n"
          "    adm: {rule: \"PathPrefix(`/`)\", service: svc, entryPoints: [admin]}\n";
    QTest::newRow("explicit entry point") << pinned << "admin"
                                          << "a"
                                          << "/"
                                          << "adm@file";
    QTest::newRow("not on default when pinned") << pinned << "web"
                                                << "a"
                                                << "/"
                                                << "-";
}

void tst_Control::routing()
{
    QFETCH(QByteArray, routers);
    QFETCH(QString, entryPoint);
    QFETCH(QString, host);
    QFETCH(QString, path);
    QFETCH(QString, expected);
    const auto built = buildFrom(withService(routers.constData()));
    const QByteArray h = host.toLatin1(), p = path.toLatin1();
    QCOMPARE(routeFor(built, entryPoint, h.constData(), p.constData()), expected);
}

void tst_Control::providerPrecedenceBreaksTies()
{
    Snapshots snapshots;
    snapshots[QStringLiteral("docker")] = config::parseDynamicConfig(
        withService("  routers:\n    zzz: {rule: \"Path(`/x`)\", service: svc}\n"),
        QStringLiteral("d.yaml"));
    const auto built = buildFrom(
        withService("  routers:\n    aaa: {rule: \"Path(`/x`)\", service: svc}\n"), snapshots);
    QCOMPARE(routeFor(built, QStringLiteral("web"), "h", "/x"), QStringLiteral("zzz@docker"));
}

void tst_Control::entryPointMiddlewaresComeFirst()
{
    const QByteArray yaml
        = withService("  routers:\n"
                      "    r: {rule: \"PathPrefix(`/`)\", service: svc, middlewares: [own]}\n"
                      "  middlewares:\n"
                      "    own: {addPrefix: {prefix: /own}}\n"
                      "    ep: {addPrefix: {prefix: /ep}}\n");
    Snapshots snapshots;
    snapshots[QStringLiteral("file")]
        = config::parseDynamicConfig(yaml, QStringLiteral("dyn.yaml"));
    const auto built = TableBuilder({ entryPoint("web", true, { QStringLiteral("ep@file") }) })
                           .build(snapshots, 1);
    const auto *routes = built.table->forEntryPoint(QStringLiteral("web"));
    QVERIFY(routes);
    QCOMPARE(routes->routes.size(), size_t(1));
    QCOMPARE(routes->routes[0].middlewareNames,
        (QStringList { QStringLiteral("ep@file"), QStringLiteral("own@file") }));
    QCOMPARE(routes->routes[0].middlewares.size(), size_t(2));
}

void tst_Control::balancersAreReusedWhenUnchanged()
{
    const QByteArray yaml
        = withService("  routers:\n    r: {rule: \"PathPrefix(`/`)\", service: svc}\n");
    Snapshots snapshots;
    snapshots[QStringLiteral("file")]
        = config::parseDynamicConfig(yaml, QStringLiteral("dyn.yaml"));
    const TableBuilder builder(defaultEntryPoints());
    const auto first = builder.build(snapshots, 1);
    const auto second = builder.build(snapshots, 2, first.balancers);
    QCOMPARE(second.balancers.at(QStringLiteral("svc@file")),
        first.balancers.at(QStringLiteral("svc@file")));

    QByteArray changed = yaml;
    changed.replace("3000", "3001");
    snapshots[QStringLiteral("file")]
        = config::parseDynamicConfig(changed, QStringLiteral("dyn.yaml"));
    const auto third = builder.build(snapshots, 3, second.balancers);
    QVERIFY(third.balancers.at(QStringLiteral("svc@file"))
        != second.balancers.at(QStringLiteral("svc@file")));
}

void tst_Control::serviceErrorsArePositioned()
{
    const QByteArray yaml
        = "http:\n  services:\n    svc:\n      loadBalancer:\n        servers:\n"
          "          - url: \"http://127.0.0.1:1\"\n          - url: \"ftp://x\"\n";
    const auto built = buildFrom(yaml);
    const auto &service = built.state.services.at(QStringLiteral("svc@file"));
    QCOMPARE(statusName(service.status), QStringLiteral("disabled"));
    QVERIFY2(
        errorsOf(service).startsWith(QStringLiteral("dyn.yaml:")), qPrintable(errorsOf(service)));
    QVERIFY2(errorsOf(service).contains(QStringLiteral("servers[1].url")),
        qPrintable(errorsOf(service)));
}

QTEST_APPLESS_MAIN(tst_Control)
#include "tst_control.moc"
