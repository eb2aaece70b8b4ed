// Docker labels → dynamic configuration, as Traefik's Docker provider builds it, checked against
// inspect documents captured from podman's Docker-compatible API (fixtures/*.json).
#include "core/provider/docker/container_config.h"
#include "core/provider/docker/default_rule.h"
#include "core/provider/docker/docker_provider.h"
#include "core/provider/docker/engine_endpoint.h"
#include "core/provider/docker/snapshot_merge.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;
using namespace portico::provider::docker;

namespace {

ContainerInfo fixture(const QString &name)
{
    QFile file(QStringLiteral(PORTICO_DOCKER_FIXTURES "/") + name + QStringLiteral(".json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    const std::optional<ContainerInfo> info
        = parseContainerInfo(QJsonDocument::fromJson(file.readAll()).object());
    if (!info)
        qFatal("bad fixture %s", qPrintable(name));
    return *info;
}

/// `key=value` adds or replaces a label, `-key` removes one.
void applyLabels(ContainerInfo &info, const QStringList &labels)
{
    for (const QString &label : labels) {
        if (label.startsWith(u'-'))
            info.labels.erase(label.mid(1));
        else
            info.labels[label.section(u'=', 0, 0)] = label.section(u'=', 1);
    }
}

/// `exposedByDefault=false`, `network=x`, `defaultRule=…`, `allowEmptyServices=true`.
config::DockerProviderSpec makeSpec(const QStringList &options)
{
    config::DockerProviderSpec spec;
    for (const QString &option : options) {
        const QString key = option.section(u'=', 0, 0), value = option.section(u'=', 1);
        if (key == QLatin1String("exposedByDefault"))
            spec.exposedByDefault = value == QLatin1String("true");
        else if (key == QLatin1String("network"))
            spec.network = value;
        else if (key == QLatin1String("defaultRule"))
            spec.defaultRule = value;
        else if (key == QLatin1String("allowEmptyServices"))
            spec.allowEmptyServices = value == QLatin1String("true");
        else if (key == QLatin1String("useBindPortIP"))
            spec.useBindPortIP = value == QLatin1String("true");
    }
    return spec;
}

/// A QStringList from string literals (QT_NO_CAST_FROM_ASCII forbids the implicit way).
QStringList L(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out.append(QString::fromUtf8(item));
    return out;
}

QString marker(const config::Origin &origin)
{
    return origin.errors.empty() ? QString() : QStringLiteral(" [errors]");
}

/// One line per object, in a form rows can spell out.
QStringList summary(const config::DynamicConfig &c)
{
    QStringList out;
    for (const auto &r : c.routers) {
        QString line
            = QStringLiteral("router %1 rule=%2 service=%3").arg(r.name, r.rule, r.service);
        if (!r.middlewares.isEmpty())
            line += QStringLiteral(" mw=") + r.middlewares.join(u',');
        if (!r.entryPoints.isEmpty())
            line += QStringLiteral(" ep=") + r.entryPoints.join(u',');
        if (r.priority)
            line += QStringLiteral(" prio=") + QString::number(r.priority);
        if (r.tls)
            line += QStringLiteral(" tls")
                + (r.tls->certResolver.isEmpty() ? QString() : u'=' + r.tls->certResolver);
        out.append(line + marker(r.origin));
    }
    for (const auto &s : c.services) {
        QString line = QStringLiteral("service ") + s.name;
        if (s.loadBalancer) {
            for (const auto &server : s.loadBalancer->servers)
                line += u' ' + server.url;
            if (!s.loadBalancer->passHostHeader)
                line += QStringLiteral(" nopasshost");
            if (s.loadBalancer->stickyCookie)
                line += QStringLiteral(" sticky");
            if (s.loadBalancer->healthCheck)
                line += QStringLiteral(" hc=") + s.loadBalancer->healthCheck->path;
        }
        out.append(line + marker(s.origin));
    }
    for (const auto &m : c.middlewares)
        out.append(QStringLiteral("middleware %1 %2").arg(m.name, m.kind) + marker(m.origin));
    if (!c.errors.empty())
        out.append(QStringLiteral("errors=%1").arg(c.errors.size()));
    return out;
}

QStringList allErrors(const config::DynamicConfig &c)
{
    QStringList out;
    for (const auto &e : c.errors)
        out.append(e.toString());
    for (const auto &r : c.routers)
        for (const auto &e : r.origin.errors)
            out.append(e.toString());
    for (const auto &s : c.services)
        for (const auto &e : s.origin.errors)
            out.append(e.toString());
    for (const auto &m : c.middlewares)
        for (const auto &e : m.origin.errors)
            out.append(e.toString());
    return out;
}

} // namespace

class tst_ProviderDocker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labels_data();
    void labels();
    void normalize_data();
    void normalize();
    void defaultRule_data();
    void defaultRule();
    void endpoint_data();
    void endpoint();
    void replicasShareOneService();
    void conflictingRoutersAreDisabled();
    void badContainerLeavesOthersServing();
    void missingEngineWarnsOnce();
};

void tst_ProviderDocker::labels_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QStringList>("expected"); // empty = the container is not routed
    QTest::addColumn<QString>("error"); // a substring of one error, empty = no error at all

    QTest::newRow("explicit router, default service on the published loopback port")
        << "web1" << QStringList {} << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=fx-web1",
               "service fx-web1 http://127.0.0.1:18481" })
        << QString();
    QTest::newRow("compose names, no exposed port: routes disabled with the reason")
        << "compose" << QStringList {} << QStringList {}
        << L({ "router whoami-demo rule=Host(`whoami-demo.localhost`) "
               "service=whoami-demo [errors]",
               "service whoami-demo [errors]" })
        << QStringLiteral("container \"fx-compose\": no port to route to");
    QTest::newRow("port label on an unpublished port: the container IP")
        << "compose" << L({ "traefik.http.services.whoami-demo.loadbalancer.server.port=8080" })
        << QStringList {}
        << L({ "router whoami-demo rule=Host(`whoami-demo.localhost`) "
               "service=whoami-demo",
               "service whoami-demo http://10.88.0.3:8080" })
        << QString();
    QTest::newRow("traefik.docker.network picks the network, lowest exposed port")
        << "multi" << QStringList {} << QStringList {}
        << L({ "router fx-multi rule=Host(`fx-multi.localhost`) service=fx-multi",
               "service fx-multi http://10.89.0.2:8080" })
        << QString();
    QTest::newRow("provider network when there is no label")
        << "multi" << L({ "-traefik.docker.network" }) << L({ "network=podman" })
        << L({ "router fx-multi rule=Host(`fx-multi.localhost`) service=fx-multi",
               "service fx-multi http://10.88.0.4:8080" })
        << QString();
    QTest::newRow("port published on every interface goes through loopback")
        << "multi" << L({ "traefik.http.services.app.loadbalancer.server.port=9090" })
        << QStringList {}
        << L({ "router fx-multi rule=Host(`fx-multi.localhost`) service=app",
               "service app http://127.0.0.1:42647" })
        << QString();
    QTest::newRow("server scheme")
        << "web1" << L({ "traefik.http.services.s.loadbalancer.server.scheme=https" })
        << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=s",
               "service s https://127.0.0.1:18481" })
        << QString();
    QTest::newRow("server url label")
        << "web1" << L({ "traefik.http.services.s.loadbalancer.server.url=http://10.1.2.3:81" })
        << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=s", "service s http://10.1.2.3:81" })
        << QString();
    QTest::newRow("server url with a port is refused")
        << "web1"
        << L({ "traefik.http.services.s.loadbalancer.server.url=http://10.1.2.3:81",
               "traefik.http.services.s.loadbalancer.server.port=81" })
        << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=s [errors]", "service s [errors]" })
        << QStringLiteral("container \"fx-web1\" label "
                          "\"traefik.http.services.s.loadbalancer.server.url\": defining scheme "
                          "or port is not allowed when URL is defined");
    QTest::newRow("bad port label")
        << "web1" << L({ "traefik.http.services.s.loadbalancer.server.port=eighty" })
        << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=s [errors]", "service s [errors]" })
        << QStringLiteral("container \"fx-web1\" label "
                          "\"traefik.http.services.s.loadbalancer.server.port\": invalid port "
                          "\"eighty\"");
    QTest::newRow("exposedByDefault false drops an unlabelled container")
        << "compose" << QStringList {} << L({ "exposedByDefault=false" }) << QStringList {}
        << QString();
    QTest::newRow("exposedByDefault false, traefik.enable=true keeps it")
        << "compose"
        << L({ "traefik.enable=true",
               "traefik.http.services.whoami-demo.loadbalancer.server.port=80" })
        << L({ "exposedByDefault=false" })
        << L({ "router whoami-demo rule=Host(`whoami-demo.localhost`) "
               "service=whoami-demo",
               "service whoami-demo http://10.88.0.3:80" })
        << QString();
    QTest::newRow("traefik.enable=false (Go bool spelling F)")
        << "web1" << L({ "traefik.enable=F" }) << QStringList {} << QStringList {} << QString();
    QTest::newRow("invalid traefik.enable disables the routes")
        << "web1" << L({ "traefik.enable=yes" }) << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=fx-web1 [errors]",
               "service fx-web1 http://127.0.0.1:18481", "errors=1" })
        << QStringLiteral("container \"fx-web1\" label \"traefik.enable\": invalid boolean "
                          "\"yes\"");
    QTest::newRow("paused container is left out")
        << "paused" << QStringList {} << QStringList {} << QStringList {} << QString();
    QTest::newRow("health check still starting is left out")
        << "health" << QStringList {} << QStringList {} << QStringList {} << QString();
    QTest::newRow("allowEmptyServices keeps a starting container without servers")
        << "health" << QStringList {} << L({ "allowEmptyServices=true" })
        << L({ "router fx-health rule=Host(`fx-health.localhost`) service=fx-health",
               "service fx-health" })
        << QString();
    QTest::newRow("middleware from labels, chained by the router")
        << "web1"
        << L({ "traefik.http.middlewares.strip.stripprefix.prefixes=/api,/v1",
               "traefik.http.routers.web.middlewares=strip" })
        << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=fx-web1 mw=strip",
               "service fx-web1 http://127.0.0.1:18481", "middleware strip stripprefix" })
        << QString();
    QTest::newRow("field names are case-insensitive")
        << "web1"
        << L({ "traefik.http.routers.web.EntryPoints=web, websecure",
               "traefik.http.routers.web.PRIORITY=7" })
        << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=fx-web1 ep=web,websecure prio=7",
               "service fx-web1 http://127.0.0.1:18481" })
        << QString();
    QTest::newRow("tls=true and tls.certresolver (allowEmpty section)")
        << "web1"
        << L({ "traefik.http.routers.web.tls=true",
               "traefik.http.routers.web.tls.certresolver=local" })
        << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=fx-web1 tls=local",
               "service fx-web1 http://127.0.0.1:18481" })
        << QString();
    QTest::newRow("passhostheader, sticky cookie, health check")
        << "web1"
        << L({ "traefik.http.services.s.loadbalancer.passhostheader=false",
               "traefik.http.services.s.loadbalancer.sticky.cookie=true",
               "traefik.http.services.s.loadbalancer.healthcheck.path=/health",
               "traefik.http.services.s.loadbalancer.healthcheck.interval=5s" })
        << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=s",
               "service s http://127.0.0.1:18481 nopasshost sticky hc=/health" })
        << QString();
    QTest::newRow("two services and no router: no default router")
        << "web1"
        << L({ "-traefik.http.routers.web.rule",
               "traefik.http.services.a.loadbalancer.server.port=80",
               "traefik.http.services.b.loadbalancer.server.port=80" })
        << QStringList {}
        << L({ "service a http://127.0.0.1:18481", "service b http://127.0.0.1:18481" })
        << QString();
    QTest::newRow("router without service and two services")
        << "web1"
        << L({ "traefik.http.services.a.loadbalancer.server.port=80",
               "traefik.http.services.b.loadbalancer.server.port=80" })
        << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service= [errors]",
               "service a http://127.0.0.1:18481", "service b http://127.0.0.1:18481" })
        << QStringLiteral("router \"web\" cannot be linked automatically with multiple "
                          "services: [a, b]");
    QTest::newRow("unknown router key, with did-you-mean")
        << "web1" << L({ "traefik.http.routers.web.rulle=Host(`x`)" }) << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=fx-web1 [errors]",
               "service fx-web1 http://127.0.0.1:18481" })
        << QStringLiteral("container \"fx-web1\" label \"traefik.http.routers.web.rulle\": "
                          "unknown key \"rulle\"");
    QTest::newRow("unknown section under http")
        << "web1" << L({ "traefik.http.routres.x.rule=Host(`x`)" }) << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=fx-web1 [errors]",
               "service fx-web1 http://127.0.0.1:18481", "errors=1" })
        << QStringLiteral(
               "container \"fx-web1\" label \"traefik.http.routres.x.rule\": unknown key "
               "\"routres\" (did you mean \"routers\"?)");
    QTest::newRow("empty label segment")
        << "web1" << L({ "traefik.http.routers..rule=x" }) << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=fx-web1 [errors]",
               "service fx-web1 http://127.0.0.1:18481", "errors=1" })
        << QStringLiteral("label \"traefik.http.routers..rule\": empty segment");
    QTest::newRow("tcp labels are reported, http keeps serving")
        << "web1" << L({ "traefik.tcp.routers.db.rule=HostSNI(`*`)" }) << QStringList {}
        << L({ "router web rule=Host(`web.localhost`) service=fx-web1",
               "service fx-web1 http://127.0.0.1:18481", "errors=1" })
        << QStringLiteral("tcp, udp and tls labels are not supported yet");
    QTest::newRow("defaultRule with labels and pipes")
        << "compose" << L({ "app=shop", "traefik.http.services.s.loadbalancer.server.port=80" })
        << L({ "defaultRule=Host(`{{ index .Labels \"app\" }}.{{ .Name | upper }}.test`)" })
        << L({ "router whoami-demo rule=Host(`shop.WHOAMI-DEMO.test`) service=s",
               "service s http://10.88.0.3:80" })
        << QString();
    QTest::newRow("defaultRule with an unsupported function")
        << "web1" << L({ "-traefik.http.routers.web.rule" })
        << L({ "defaultRule=Host(`{{ sha1sum .Name }}`)" })
        << L({ "router fx-web1 rule= service=fx-web1 [errors]",
               "service fx-web1 http://127.0.0.1:18481" })
        << QStringLiteral("defaultRule: unsupported template function \"sha1sum\"");
}

void tst_ProviderDocker::labels()
{
    QFETCH(QString, fixture);
    QFETCH(QStringList, labels);
    QFETCH(QStringList, options);
    QFETCH(QStringList, expected);
    QFETCH(QString, error);
    ContainerInfo info = ::fixture(fixture);
    applyLabels(info, labels);
    const std::optional<ContainerRoutes> routes = containerConfig(info, makeSpec(options));
    if (expected.isEmpty()) {
        if (routes)
            QFAIL(qPrintable(summary(routes->config).join(u'\n')));
        return;
    }
    QVERIFY(routes);
    QCOMPARE(summary(routes->config), expected);
    const QStringList errors = allErrors(routes->config);
    if (error.isEmpty()) {
        QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    } else {
        const bool found = std::any_of(
            errors.begin(), errors.end(), [&](const QString &e) { return e.contains(error); });
        QVERIFY2(found, qPrintable(errors.join(u'\n')));
    }
}

void tst_ProviderDocker::normalize_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("punctuation") << "/my_app.v2"
                                 << "my-app-v2";
    QTest::newRow("compose") << "whoami_demo"
                             << "whoami-demo";
    QTest::newRow("runs of separators") << "/--a__b--"
                                        << "a-b";
    QTest::newRow("case kept, unicode letters") << "Café_Ünï"
                                                << "Café-Ünï";
}

void tst_ProviderDocker::normalize()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(normalizeName(input), expected);
}

void tst_ProviderDocker::defaultRule_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // "error: …" for a failure
    QTest::newRow("portico default") << "Host(`{{ normalize .Name }}.localhost`)"
                                     << "Host(`web-1.localhost`)";
    QTest::newRow("traefik default") << "Host(`{{ normalize .Name }}`)"
                                     << "Host(`web-1`)";
    QTest::newRow("container name, trim markers") << "Host(`{{- .ContainerName -}}`)"
                                                  << "Host(`web_1`)";
    QTest::newRow("labels field") << "Host(`{{ .Labels.app }}.test`)"
                                  << "Host(`shop.test`)";
    QTest::newRow("index and default") << "{{ index .Labels \"none\" | default \"x\" }}"
                                       << "x";
    QTest::newRow("replace") << "{{ replace \"_\" \".\" .ContainerName }}"
                             << "web.1";
    QTest::newRow("unknown field") << "{{ .Image }}"
                                   << "error: unsupported template value";
    QTest::newRow("unclosed") << "Host(`{{ .Name `)"
                              << "error: unclosed action";
    QTest::newRow("wrong arity") << "{{ lower }}"
                                 << "error: \"lower\" takes 1 argument(s)";
}

void tst_ProviderDocker::defaultRule()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    RuleTemplateData data { QStringLiteral("web-1"), QStringLiteral("web_1"),
        { { QStringLiteral("app"), QStringLiteral("shop") } } };
    const Expected<QString> rendered = renderDefaultRule(text, data);
    if (expected.startsWith(QLatin1String("error: "))) {
        QVERIFY(!rendered);
        QVERIFY2(rendered.error().message.contains(expected.mid(7)),
            qPrintable(rendered.error().toString()));
    } else {
        QVERIFY2(rendered, qPrintable(rendered ? QString() : rendered.error().toString()));
        QCOMPARE(*rendered, expected);
    }
}

void tst_ProviderDocker::endpoint_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // local:<path>, tcp:<host>:<port> or error
    QTest::newRow("unix socket") << "unix:///var/run/docker.sock"
                                 << "local:/var/run/docker.sock";
    QTest::newRow("podman socket") << "unix:///tmp/podman.sock"
                                   << "local:/tmp/podman.sock";
    QTest::newRow("windows named pipe") << "npipe:////./pipe/docker_engine"
                                        << "local:\\\\.\\pipe\\docker_engine";
    QTest::newRow("tcp") << "tcp://127.0.0.1:2375"
                         << "tcp:127.0.0.1:2375";
    QTest::newRow("http") << "http://docker.internal:2375"
                          << "tcp:docker.internal:2375";
    QTest::newRow("tcp without port") << "tcp://127.0.0.1"
                                      << "error";
    QTest::newRow("ssh is not supported") << "ssh://me@host"
                                          << "error";
}

void tst_ProviderDocker::endpoint()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const Expected<EngineEndpoint> e = parseEndpoint(text);
    if (expected == QLatin1String("error")) {
        QVERIFY(!e);
        QVERIFY(e.error().toString().contains(
            QStringLiteral("invalid docker endpoint \"%1\"").arg(text)));
        return;
    }
    QVERIFY(e);
    const QString got = e->kind == EngineEndpoint::Kind::Local
        ? QStringLiteral("local:") + e->path
        : QStringLiteral("tcp:%1:%2").arg(e->host).arg(e->port);
    QCOMPARE(got, expected);
}

void tst_ProviderDocker::replicasShareOneService()
{
    // Two compose replicas of one service: one router, one service with both servers.
    std::vector<ContainerRoutes> all;
    for (const char *ip : { "10.88.0.3", "10.88.0.9" }) {
        ContainerInfo info = fixture(QStringLiteral("compose"));
        info.id += QLatin1String(ip);
        info.networks.front().ipv4 = QLatin1String(ip);
        applyLabels(info,
            { QStringLiteral("traefik.http.services.whoami-demo.loadbalancer.server.port=80") });
        all.push_back(*containerConfig(info, {}));
    }
    const config::DynamicConfig merged = mergeContainers(all);
    QCOMPARE(summary(merged),
        L({ "router whoami-demo rule=Host(`whoami-demo.localhost`) service=whoami-demo",
            "service whoami-demo http://10.88.0.3:80 http://10.88.0.9:80" }));
}

void tst_ProviderDocker::conflictingRoutersAreDisabled()
{
    ContainerInfo a = fixture(QStringLiteral("web1"));
    ContainerInfo b = fixture(QStringLiteral("compose"));
    applyLabels(b,
        { QStringLiteral("traefik.http.routers.web.rule=Host(`other.localhost`)"),
            QStringLiteral("traefik.http.routers.web.service=fx-web1"),
            QStringLiteral("traefik.http.services.fx-web1.loadbalancer.server.port=80") });
    const config::DynamicConfig merged
        = mergeContainers({ *containerConfig(a, {}), *containerConfig(b, {}) });
    QCOMPARE(merged.routers.size(), size_t(1));
    QVERIFY(!merged.routers.front().origin.errors.empty());
    QVERIFY(merged.routers.front().origin.errors.front().message.contains(
        QStringLiteral("router \"web\" defined multiple times with different configurations")));
}

void tst_ProviderDocker::badContainerLeavesOthersServing()
{
    ContainerInfo good = fixture(QStringLiteral("web1"));
    ContainerInfo bad = fixture(QStringLiteral("multi"));
    applyLabels(bad,
        { QStringLiteral("traefik.http.routers.bad.rule=Host(`bad.localhost`)"),
            QStringLiteral("traefik.http.routers.bad.priority=high") });
    const config::DynamicConfig merged
        = mergeContainers({ *containerConfig(good, {}), *containerConfig(bad, {}) });
    QCOMPARE(merged.routers.size(), size_t(2));
    for (const auto &router : merged.routers) {
        if (router.name == QLatin1String("web"))
            QVERIFY(router.origin.errors.empty());
        else
            QVERIFY(!router.origin.errors.empty());
    }
}

namespace {
int g_providerWarnings = 0;
QtMessageHandler g_previousHandler = nullptr;

void countWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && message.startsWith(QLatin1String("docker:")))
        ++g_providerWarnings;
    g_previousHandler(type, context, message);
}
} // namespace

void tst_ProviderDocker::missingEngineWarnsOnce()
{
    // An absent engine is retried with back-off: one warning and one failure report, not a
    // flood, however many attempts fail.
    QTemporaryDir dir;
    config::DockerProviderSpec spec;
    spec.endpoint = QStringLiteral("unix://") + dir.filePath(QStringLiteral("absent.sock"));
    DockerProvider provider(spec);
    provider.setBackoff(std::chrono::milliseconds(5), std::chrono::milliseconds(20));
    QSignalSpy failed(&provider, &DockerProvider::snapshotFailed);
    g_providerWarnings = 0;
    g_previousHandler = qInstallMessageHandler(countWarnings);
    provider.start();
    QTest::qWait(600); // many retry rounds at 5-20 ms
    qInstallMessageHandler(g_previousHandler);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(g_providerWarnings, 1);
    QVERIFY(!provider.engineReachable());
    const auto errors = failed.front().front().value<std::vector<Error>>();
    QVERIFY2(errors.front().toString().contains(QStringLiteral("absent.sock")),
        qPrintable(errors.front().toString()));
}

QTEST_GUILESS_MAIN(tst_ProviderDocker)
#include "tst_provider_docker.moc"
