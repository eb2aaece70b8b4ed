// tst_config: the dynamic (file-provider) configuration.

#include "tests/config/tst_config.h"

#include <QTest>

using namespace portico;
using namespace portico::config;
using namespace portico::testing;
using std::chrono::milliseconds;

void tst_Config::dynamicEveryField()
{
    const QByteArray yaml = R"yaml(
http:
  routers:
    api:
      rule: "Host(`api.localhost`) && PathPrefix(`/v1`)"
      service: api-svc
      middlewares: [strip, auth@file]
      priority: 42
      entryPoints: [web, websecure]
      ruleSyntax: v3
      observability: {accessLogs: false}
      tls:
        options: modern
        certResolver: local
        domains:
          - main: api.localhost
            sans: [www.api.localhost]
  services:
    api-svc:
      loadBalancer:
        servers:
          - url: http://127.0.0.1:8080
            weight: 3
          - url: "http://[::1]:8081/base"
            preservePath: true
        passHostHeader: false
        strategy: wrr
        serversTransport: mytransport
        responseForwarding: {flushInterval: -1}
        healthCheck:
          scheme: https
          mode: http
          path: /health
          method: HEAD
          status: 204
          port: 9000
          interval: 10s
          unhealthyInterval: 2s
          timeout: 3s
          hostname: example.localhost
          followRedirects: false
          headers: {X-Check: "1"}
        sticky:
          cookie: {name: lb, secure: true, httpOnly: true, sameSite: strict, maxAge: 60, path: /app, domain: localhost}
  middlewares:
    strip:
      stripPrefix:
        prefixes: ["/v1"]
)yaml";
    const DynamicConfig c = parseDynamicConfig(yaml, QStringLiteral("d.yaml"));
    QVERIFY2(allErrors(c).isEmpty(), qPrintable(allErrors(c).join(u'\n')));
    QCOMPARE(c.routers.size(), size_t(1));
    const RouterSpec &r = c.routers.front();
    QCOMPARE(r.name, QStringLiteral("api"));
    QCOMPARE(r.rule, QStringLiteral("Host(`api.localhost`) && PathPrefix(`/v1`)"));
    QCOMPARE(r.service, QStringLiteral("api-svc"));
    QCOMPARE(r.middlewares, strings({ "strip", "auth@file" }));
    QCOMPARE(r.priority, qint64(42));
    QCOMPARE(r.entryPoints, strings({ "web", "websecure" }));
    QVERIFY(r.tls);
    QCOMPARE(r.tls->options, QStringLiteral("modern"));
    QCOMPARE(r.tls->certResolver, QStringLiteral("local"));
    QCOMPARE(r.tls->domains.size(), size_t(1));
    QCOMPARE(r.tls->domains[0].main, QStringLiteral("api.localhost"));
    QCOMPARE(r.tls->domains[0].sans, strings({ "www.api.localhost" }));

    QCOMPARE(c.services.size(), size_t(1));
    QVERIFY(c.services[0].loadBalancer);
    const LoadBalancerSpec &lb = *c.services[0].loadBalancer;
    QCOMPARE(lb.servers.size(), size_t(2));
    QCOMPARE(lb.servers[0].url, QStringLiteral("http://127.0.0.1:8080"));
    QCOMPARE(lb.servers[0].weight, 3);
    QVERIFY(!lb.servers[0].preservePath);
    QCOMPARE(lb.servers[1].weight, 1);
    QVERIFY(lb.servers[1].preservePath);
    QVERIFY(!lb.passHostHeader);
    QCOMPARE(lb.strategy, QStringLiteral("wrr"));
    QCOMPARE(lb.serversTransport, QStringLiteral("mytransport"));
    QCOMPARE(lb.flushInterval, milliseconds(-1000));
    QVERIFY(lb.healthCheck);
    const HealthCheckSpec &hc = *lb.healthCheck;
    QCOMPARE(hc.scheme, QStringLiteral("https"));
    QCOMPARE(hc.mode, QStringLiteral("http"));
    QCOMPARE(hc.path, QStringLiteral("/health"));
    QCOMPARE(hc.method, QStringLiteral("HEAD"));
    QCOMPARE(hc.status, 204);
    QCOMPARE(hc.port, 9000);
    QCOMPARE(hc.interval, milliseconds(10000));
    QCOMPARE(hc.unhealthyInterval, milliseconds(2000));
    QCOMPARE(hc.timeout, milliseconds(3000));
    QCOMPARE(hc.hostname, QStringLiteral("example.localhost"));
    QVERIFY(!hc.followRedirects);
    QCOMPARE(hc.headers.size(), size_t(1));
    QCOMPARE(hc.headers[0].first, QStringLiteral("X-Check"));
    QCOMPARE(hc.headers[0].second, QStringLiteral("1"));
    QVERIFY(lb.stickyCookie);
    const StickyCookieSpec &sc = *lb.stickyCookie;
    QCOMPARE(sc.name, QStringLiteral("lb"));
    QVERIFY(sc.secure && sc.httpOnly);
    QCOMPARE(sc.sameSite, QStringLiteral("strict"));
    QCOMPARE(sc.maxAge, 60);
    QCOMPARE(sc.path, QStringLiteral("/app"));
    QCOMPARE(sc.domain, QStringLiteral("localhost"));

    QCOMPARE(c.middlewares.size(), size_t(1));
    QCOMPARE(c.middlewares[0].kind, QStringLiteral("stripPrefix"));
}

void tst_Config::dynamicOrigins()
{
    const QByteArray yaml = "http:\n"
                            "  routers:\n"
                            "    api:\n"
                            "      Rule: Host(`a`)\n"
                            "      service: s\n"
                            "  services:\n"
                            "    s:\n"
                            "      loadBalancer:\n"
                            "        servers:\n"
                            "          - url: http://127.0.0.1:1\n";
    const DynamicConfig c = parseDynamicConfig(yaml, QStringLiteral("dev.yaml"));
    QVERIFY(allErrors(c).isEmpty());
    const Origin &router = c.routers.front().origin;
    QCOMPARE(router.where.toString(), QStringLiteral("dev.yaml:3:5: http.routers.api"));
    QCOMPARE(router.at(QStringLiteral("rule")).toString(),
        QStringLiteral("dev.yaml:4:7: http.routers.api.rule"));
    QCOMPARE(router.at(QStringLiteral("service")).toString(),
        QStringLiteral("dev.yaml:5:7: http.routers.api.service"));
    QCOMPARE(router.at(QStringLiteral("priority")).toString(), router.where.toString());
    const Origin &service = c.services.front().origin;
    QCOMPARE(service.at(QStringLiteral("loadBalancer.servers[0].url")).toString(),
        QStringLiteral("dev.yaml:10:13: http.services.s.loadBalancer.servers[0].url"));
}

void tst_Config::dynamicErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("errors");
    QTest::newRow("router unknown key")
        << QByteArray("http:\n  routers:\n    r:\n      rule: Path(`/`)\n      service: s\n"
                      "      midlewares: [a]\n")
        << strings({ "d.yaml:6:7: http.routers.r.midlewares: unknown key \"midlewares\" (did "
                     "you mean \"middlewares\"?)" });
    QTest::newRow("router missing rule and service")
        << QByteArray("http:\n  routers:\n    r:\n      priority: 1\n")
        << strings({ "d.yaml:3:5: http.routers.r: missing \"rule\"",
               "d.yaml:3:5: http.routers.r: missing \"service\"" });
    QTest::newRow("router rule is a list")
        << QByteArray("http:\n  routers:\n    r:\n      rule: [a]\n      service: s\n")
        << strings({ "d.yaml:4:13: http.routers.r.rule: expected a string, got a list" });
    QTest::newRow("priority too large")
        << QByteArray("http:\n  routers:\n    r:\n      rule: Path(`/`)\n      service: s\n"
                      "      priority: 9223372036854775807\n")
        << strings({ "d.yaml:6:17: http.routers.r.priority: value 9223372036854775807 is out "
                     "of range (expected -9223372036854775807 to 9223372036854774807)" });
    QTest::newRow("v2 rule syntax")
        << QByteArray("http:\n  routers:\n    r:\n      rule: Path(`/`)\n      service: s\n"
                      "      ruleSyntax: v2\n")
        << strings({ "d.yaml:6:19: http.routers.r.ruleSyntax: rule syntax \"v2\" is not "
                     "supported (only the v3 syntax is supported; remove ruleSyntax)" });
    QTest::newRow("weighted service")
        << QByteArray("http:\n  services:\n    s:\n      weighted:\n        services: []\n")
        << strings({ "d.yaml:4:7: http.services.s.weighted: \"weighted\" is not supported yet" });
    QTest::newRow("two service kinds")
        << QByteArray("http:\n  services:\n    s:\n      loadBalancer: {servers: []}\n"
                      "      mirroring: {}\n")
        << strings({ "d.yaml:3:5: http.services.s: more than one service kind (a service is "
                     "exactly one of: loadBalancer, weighted, mirroring, failover, "
                     "highestRandomWeight)",
               "d.yaml:5:7: http.services.s.mirroring: \"mirroring\" is not supported yet" });
    QTest::newRow("misspelled service kind")
        << QByteArray("http:\n  services:\n    s:\n      loadbalancr: {}\n")
        << strings({ "d.yaml:3:5: http.services.s: missing service kind (for example "
                     "loadBalancer: {servers: [{url: \"http://127.0.0.1:8080\"}]})",
               "d.yaml:4:7: http.services.s.loadbalancr: unknown key \"loadbalancr\" (did "
               "you mean \"loadBalancer\"?)" });
    QTest::newRow("bad server url")
        << QByteArray("http:\n  services:\n    s:\n      loadBalancer:\n        servers:\n"
                      "          - url: 127.0.0.1:8080\n")
        << strings({ "d.yaml:6:18: http.services.s.loadBalancer.servers[0].url: invalid server "
                     "URL \"127.0.0.1:8080\" (expected a URL such as \"http://127.0.0.1:8080\")" });
    QTest::newRow("server without url")
        << QByteArray("http:\n  services:\n    s:\n      loadBalancer:\n        servers:\n"
                      "          - weight: 2\n")
        << strings({ "d.yaml:6:13: http.services.s.loadBalancer.servers[0]: missing \"url\"" });
    QTest::newRow("unsupported strategy")
        << QByteArray("http:\n  services:\n    s:\n      loadBalancer:\n        strategy: p2c\n")
        << strings({ "d.yaml:5:19: http.services.s.loadBalancer.strategy: load-balancing "
                     "strategy \"p2c\" is not supported yet (use \"wrr\")" });
    QTest::newRow("bad health check interval")
        << QByteArray("http:\n  services:\n    s:\n      loadBalancer:\n        healthCheck:\n"
                      "          interval: soon\n")
        << strings({ "d.yaml:6:21: http.services.s.loadBalancer.healthCheck.interval: invalid "
                     "duration \"soon\" (expected a duration such as \"100ms\" or \"1m30s\", or "
                     "a number of seconds)" });
    QTest::newRow("middleware with two kinds")
        << QByteArray("http:\n  middlewares:\n    m:\n      stripPrefix: {}\n      addPrefix: {}\n")
        << strings({ "d.yaml:5:7: http.middlewares.m.addPrefix: more than one middleware kind: "
                     "\"stripPrefix\" and \"addPrefix\" (define one middleware per kind and "
                     "chain them in the router)" });
    QTest::newRow("middleware without kind")
        << QByteArray("http:\n  middlewares:\n    m: {}\n")
        << strings({ "d.yaml:3:5: http.middlewares.m: no middleware kind given" });
    QTest::newRow("udp section") << QByteArray("udp:\n  routers: {}\n")
                                 << strings({ "d.yaml:1:1: udp: \"udp\" is not supported yet" });
    QTest::newRow("unknown http section")
        << QByteArray("http:\n  router: {}\n")
        << strings({ "d.yaml:2:3: http.router: unknown key \"router\" (did you mean "
                     "\"routers\"?)" });
    QTest::newRow("duplicate router name")
        << QByteArray("http:\n  routers:\n    r: {rule: Path(`/`), service: s}\n"
                      "    r: {rule: Path(`/x`), service: s}\n")
        << strings({ "d.yaml:4:5: http.routers.r: duplicate name \"r\"" });
    QTest::newRow("routers is a list")
        << QByteArray("http:\n  routers:\n    - r\n")
        << strings({ "d.yaml:3:5: http.routers: expected a mapping, got a list" });
    QTest::newRow("two documents")
        << QByteArray("http: {}\n---\nhttp: {}\n")
        << strings({ "d.yaml:2:1: more than one YAML document (only the first document is "
                     "read; remove the \"---\" separator)" });
}

void tst_Config::dynamicErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, errors);
    const DynamicConfig c = parseDynamicConfig(yaml, QStringLiteral("d.yaml"));
    QCOMPARE(allErrors(c), errors);
}

void tst_Config::dynamicEmptyDocuments_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("comments only") << QByteArray("# nothing yet\n   # really\n");
    QTest::newRow("empty http") << QByteArray("http:\n");
    QTest::newRow("empty sections") << QByteArray("http:\n  routers:\n  services: {}\n");
    QTest::newRow("document marker") << QByteArray("---\n");
}

void tst_Config::dynamicEmptyDocuments()
{
    QFETCH(QByteArray, yaml);
    const Expected<DynamicConfig> c = tryParseDynamicConfig(yaml, QStringLiteral("d.yaml"));
    QVERIFY(c.ok());
    QVERIFY(c->routers.empty() && c->services.empty() && c->middlewares.empty());
    QVERIFY2(c->errors.empty(), qPrintable(messages(c->errors).join(u'\n')));
}

void tst_Config::yamlSyntaxErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QString>("error");
    QTest::newRow("unterminated quote") << QByteArray("http:\n  routers:\n    r: {rule: \"x\n")
                                        << "d.yaml:4:1: invalid YAML: end of map flow not found";
    QTest::newRow("bad indentation")
        << QByteArray("http:\n  routers:\n    r:\n      rule: x\n     service: s\n")
        << "d.yaml:5:6: invalid YAML: end of map not found";
    // yaml-cpp 0.7 loops forever on this one unless the loader guards against it.
    QTest::newRow("stray comma") << QByteArray(",\n  a\n")
                                 << "d.yaml:1:1: invalid YAML: unexpected character";
    QTest::newRow("stray comma after comment")
        << QByteArray("# header\n,\n") << "d.yaml:2:1: invalid YAML: unexpected character";
    QTest::newRow("closing bracket")
        << QByteArray("]\n") << "d.yaml:1:1: invalid YAML: illegal flow end";
    QTest::newRow("too deep") << QByteArray(600, '[')
                              << "d.yaml:1:1: invalid YAML: nested too deeply (at most 500 levels)";
}

void tst_Config::yamlSyntaxErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, error);
    const Expected<DynamicConfig> c = tryParseDynamicConfig(yaml, QStringLiteral("d.yaml"));
    QVERIFY(!c.ok());
    QCOMPARE(c.error().toString(), error);
    const DynamicConfig wrapped = parseDynamicConfig(yaml, QStringLiteral("d.yaml"));
    QCOMPARE(messages(wrapped.errors), QStringList { error });
    QVERIFY(wrapped.routers.empty());
    const StaticConfigResult staticResult = parseStaticConfig(yaml, QStringLiteral("d.yaml"));
    QCOMPARE(messages(staticResult.errors), QStringList { error });
}

void tst_Config::middlewareOptionsKeepTheirNode()
{
    const QByteArray yaml = "http:\n  middlewares:\n    strip:\n      StripPrefix:\n"
                            "        prefixes: [\"/api\"]\n";
    const DynamicConfig c = parseDynamicConfig(yaml, QStringLiteral("d.yaml"));
    QVERIFY(allErrors(c).isEmpty());
    const MiddlewareSpec &m = c.middlewares.front();
    QCOMPARE(m.kind, QStringLiteral("StripPrefix")); // as written; the registry matches kinds
    QVERIFY(m.options.isMap());
    QCOMPARE(m.options.path(), QStringLiteral("http.middlewares.strip.StripPrefix"));
    const Node prefixes = m.options.find(QStringLiteral("PREFIXES"));
    QVERIFY(prefixes.isSequence());
    QCOMPARE(prefixes.location().toString(),
        QStringLiteral("d.yaml:5:19: http.middlewares.strip.StripPrefix.PREFIXES"));
    QCOMPARE(m.origin.at(QStringLiteral("StripPrefix")).line, 4);
}
