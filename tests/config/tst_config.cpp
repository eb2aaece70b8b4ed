// tst_config: scalar parsers and the static configuration (dynamic rows: tst_config_dynamic.cpp).

#include "tests/config/tst_config.h"

#include "core/config/address.h"
#include "core/config/duration.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;
using namespace portico::config;
using namespace portico::testing;
using std::chrono::milliseconds;

namespace portico::testing {

QStringList strings(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

QStringList messages(const std::vector<Error> &errors)
{
    QStringList out;
    for (const Error &e : errors)
        out << e.toString();
    return out;
}

QStringList allErrors(const config::DynamicConfig &c)
{
    QStringList out;
    for (const auto &r : c.routers)
        out << messages(r.origin.errors);
    for (const auto &s : c.services)
        out << messages(s.origin.errors);
    for (const auto &m : c.middlewares)
        out << messages(m.origin.errors);
    return out << messages(c.errors);
}

} // namespace portico::testing

void tst_Config::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("ms");
    QTest::newRow("go milliseconds") << "100ms" << true << qint64(100);
    QTest::newRow("go compound") << "1m30s" << true << qint64(90000);
    QTest::newRow("go all units") << "1h2m3s4ms" << true << qint64(3723004);
    QTest::newRow("go fraction") << "1.5h" << true << qint64(5400000);
    QTest::newRow("bare integer is seconds") << "30" << true << qint64(30000);
    QTest::newRow("zero") << "0" << true << qint64(0);
    QTest::newRow("sub-millisecond rounds up") << "500us" << true << qint64(1);
    QTest::newRow("micro sign") << QStringLiteral("3\u00b5s") << true << qint64(1);
    QTest::newRow("negative") << "-1s" << true << qint64(-1000);
    QTest::newRow("surrounding spaces") << " 2s " << true << qint64(2000);
    QTest::newRow("word") << "abc" << false << qint64(0);
    QTest::newRow("fraction without unit") << "1.5" << false << qint64(0);
    QTest::newRow("empty") << "" << false << qint64(0);
    QTest::newRow("unknown unit") << "10x" << false << qint64(0);
    QTest::newRow("unit without number") << "ms" << false << qint64(0);
    QTest::newRow("days are not go") << "1d" << false << qint64(0);
    QTest::newRow("overflow") << "9999999999999h" << false << qint64(0);
}

void tst_Config::durations()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(qint64, ms);
    const Expected<milliseconds> d = parseDuration(text);
    QCOMPARE(d.ok(), ok);
    if (ok)
        QCOMPARE(d->count(), ms);
    else
        QCOMPARE(d.error().message, QStringLiteral("invalid duration \"%1\"").arg(text));
}

void tst_Config::addresses_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("error");
    QTest::newRow("port only") << ":80"
                               << "" << 80 << "";
    QTest::newRow("ipv4") << "127.0.0.1:8080"
                          << "127.0.0.1" << 8080 << "";
    QTest::newRow("ipv6 in brackets") << "[::1]:443"
                                      << "::1" << 443 << "";
    QTest::newRow("name") << "localhost:80"
                          << "localhost" << 80 << "";
    QTest::newRow("tcp suffix") << ":8080/tcp"
                                << "" << 8080 << "";
    QTest::newRow("tcp suffix upper-case") << "[::]:81/TCP"
                                           << "::" << 81 << "";
    QTest::newRow("port zero") << ":0"
                               << "" << 0 << "";
    QTest::newRow("udp") << ":53/udp"
                         << "" << 0 << "udp entry points are not supported";
    QTest::newRow("other protocol")
        << ":53/sctp"
        << "" << 0 << "invalid address \":53/sctp\": unknown protocol \"sctp\"";
    QTest::newRow("ipv6 without brackets")
        << "::1:80"
        << "" << 0 << "invalid address \"::1:80\": IPv6 addresses must be in brackets";
    QTest::newRow("missing port") << "80"
                                  << "" << 0 << "invalid address \"80\": missing port";
    QTest::newRow("empty port") << "localhost:"
                                << "" << 0 << "invalid address \"localhost:\": bad port \"\"";
    QTest::newRow("port out of range")
        << ":70000"
        << "" << 0 << "invalid address \":70000\": port 70000 is out of range";
    QTest::newRow("port not a number") << ":http"
                                       << "" << 0 << "invalid address \":http\": bad port \"http\"";
    QTest::newRow("negative port") << ":-1"
                                   << "" << 0 << "invalid address \":-1\": bad port \"-1\"";
    QTest::newRow("not ipv6 in brackets")
        << "[foo]:80"
        << "" << 0 << "invalid address \"[foo]:80\": \"foo\" is not an IPv6 address";
}

void tst_Config::addresses()
{
    QFETCH(QString, text);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, error);
    const Expected<ListenAddress> a = parseListenAddress(text);
    QCOMPARE(a.ok(), error.isEmpty());
    if (a) {
        QCOMPARE(a->host, host);
        QCOMPARE(int(a->port), port);
    } else {
        QCOMPARE(a.error().message, error);
    }
}

void tst_Config::builtinDefault()
{
    const StaticConfig c = builtinStaticConfig();
    QCOMPARE(c.entryPoints.size(), size_t(2));
    const EntryPointSpec &web = c.entryPoints.front();
    QCOMPARE(web.name, QStringLiteral("web"));
    QCOMPARE(web.host, QStringLiteral("localhost"));
    QCOMPARE(web.port, quint16(80));
    QVERIFY(web.asDefault);
    QVERIFY(!web.tls);
    const EntryPointSpec &websecure = c.entryPoints.back();
    QCOMPARE(websecure.name, QStringLiteral("websecure"));
    QCOMPARE(websecure.host, QStringLiteral("localhost"));
    QCOMPARE(websecure.port, quint16(443));
    QVERIFY(websecure.asDefault);
    QVERIFY(websecure.tls);
    QVERIFY(!c.fileProvider);
    QVERIFY(!c.api);
    QVERIFY(!c.accessLog);
    QCOMPARE(c.graceTimeout, milliseconds(10000));
}

void tst_Config::staticDefaults()
{
    const StaticConfigResult r = parseStaticConfig("# nothing here\n", QStringLiteral("s.yaml"));
    QVERIFY2(r.ok(), qPrintable(messages(r.errors).join(u'\n')));
    QCOMPARE(r.config.file, QStringLiteral("s.yaml"));
    QCOMPARE(r.config.entryPoints.size(), size_t(1));
    QCOMPARE(r.config.entryPoints.front().name, QStringLiteral("web"));
    QCOMPARE(r.config.serversTransport.maxIdleConnsPerHost, 200);
    QCOMPARE(r.config.serversTransport.dialTimeout, milliseconds(30000));
    QCOMPARE(r.config.log.level, QStringLiteral("ERROR"));
    QCOMPARE(r.config.engineThreads, 0);
}

void tst_Config::staticEveryField()
{
    const QByteArray yaml = R"yaml(
entryPoints:
  web:
    address: "127.0.0.1:8080"
    asDefault: true
    forwardedHeaders:
      trustedIPs: ["10.0.0.0/8", "::1"]
      insecure: true
    transport:
      respondingTimeouts: {readTimeout: 5s, writeTimeout: 10, idleTimeout: 1m}
      lifeCycle: {graceTimeOut: 3s}
    http:
      maxHeaderBytes: 4096
      middlewares: [auth@file, compress]
  alt:
    address: "[::1]:0"
    transport: {lifeCycle: {graceTimeOut: 7s}}
serversTransport:
  insecureSkipVerify: true
  maxIdleConnsPerHost: 7
  forwardingTimeouts: {dialTimeout: 1s, responseHeaderTimeout: 2s, idleConnTimeout: 3s}
providers:
  providersThrottleDuration: 2s
  file: {directory: /etc/portico/dynamic, watch: false}
api: {insecure: true, dashboard: false, debug: true, basePath: /traefik}
log: {level: debug, format: json, filePath: /tmp/p.log, noColor: true}
accessLog:
  filePath: /tmp/access.log
  format: genericCLF
  bufferingSize: 100
  filters: {statusCodes: ["200", "300-302"], retryAttempts: true, minDuration: 10ms}
portico: {engineThreads: 3}
)yaml";
    const StaticConfigResult r = parseStaticConfig(yaml, QStringLiteral("s.yaml"));
    QVERIFY2(r.ok(), qPrintable(messages(r.errors).join(u'\n')));
    const StaticConfig &c = r.config;
    QCOMPARE(c.entryPoints.size(), size_t(2));
    const EntryPointSpec &web = c.entryPoints[0];
    QCOMPARE(web.host, QStringLiteral("127.0.0.1"));
    QCOMPARE(web.port, quint16(8080));
    QVERIFY(web.asDefault);
    QCOMPARE(web.forwardedHeaders.trustedIPs, strings({ "10.0.0.0/8", "::1" }));
    QVERIFY(web.forwardedHeaders.insecure);
    QCOMPARE(web.respondingTimeouts.readTimeout, milliseconds(5000));
    QCOMPARE(web.respondingTimeouts.writeTimeout, milliseconds(10000));
    QCOMPARE(web.respondingTimeouts.idleTimeout, milliseconds(60000));
    QCOMPARE(web.maxHeaderBytes, qint64(4096));
    QCOMPARE(web.middlewares, strings({ "auth@file", "compress" }));
    QCOMPARE(web.where.toString(), QStringLiteral("s.yaml:3:3: entryPoints.web"));
    QCOMPARE(c.entryPoints[1].host, QStringLiteral("::1"));
    QVERIFY(!c.entryPoints[1].asDefault);
    QCOMPARE(c.graceTimeout, milliseconds(7000)); // the longest of all entry points
    QVERIFY(c.serversTransport.insecureSkipVerify);
    QCOMPARE(c.serversTransport.maxIdleConnsPerHost, 7);
    QCOMPARE(c.serversTransport.dialTimeout, milliseconds(1000));
    QCOMPARE(c.serversTransport.responseHeaderTimeout, milliseconds(2000));
    QCOMPARE(c.serversTransport.idleConnTimeout, milliseconds(3000));
    QVERIFY(c.fileProvider);
    QCOMPARE(c.fileProvider->directory, QStringLiteral("/etc/portico/dynamic"));
    QVERIFY(!c.fileProvider->watch);
    QVERIFY(c.api);
    QVERIFY(c.api->insecure && !c.api->dashboard && c.api->debug);
    QCOMPARE(c.api->basePath, QStringLiteral("/traefik"));
    QCOMPARE(c.log.level, QStringLiteral("DEBUG"));
    QCOMPARE(c.log.format, QStringLiteral("json"));
    QCOMPARE(c.log.filePath, QStringLiteral("/tmp/p.log"));
    QVERIFY(c.log.noColor);
    QVERIFY(c.accessLog);
    QCOMPARE(c.accessLog->filePath, QStringLiteral("/tmp/access.log"));
    QCOMPARE(c.accessLog->format, QStringLiteral("genericCLF"));
    QCOMPARE(c.accessLog->bufferingSize, 100);
    QCOMPARE(c.accessLog->statusCodes, strings({ "200", "300-302" }));
    QVERIFY(c.accessLog->retryAttempts);
    QCOMPARE(c.accessLog->minDuration, milliseconds(10));
    QCOMPARE(c.engineThreads, 3);
}

void tst_Config::staticErrors_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<QStringList>("errors");
    QTest::newRow("unknown key with hint")
        << QByteArray("entryPoints:\n  web:\n    adress: \":80\"\n")
        << strings({ "s.yaml:2:3: entryPoints.web: missing \"address\" (for example address: "
                     "\":8080\")",
               "s.yaml:3:5: entryPoints.web.adress: unknown key \"adress\" (did you mean "
               "\"address\"?)" });
    QTest::newRow("keys are case-insensitive")
        << QByteArray("ENTRYPOINTS:\n  web:\n    Address: \":80\"\n    asdefault: true\n")
        << strings({});
    QTest::newRow("unknown top-level section")
        << QByteArray("entrypoint:\n  web: {}\n")
        << strings({ "s.yaml:1:1: entrypoint: unknown key \"entrypoint\" (did you mean "
                     "\"entryPoints\"?)" });
    QTest::newRow("unsupported section")
        << QByteArray("tracing:\n  otlp: {}\n")
        << strings({ "s.yaml:1:1: tracing: \"tracing\" is not supported yet" });
    QTest::newRow("unsupported provider")
        << QByteArray("providers:\n  swarm: {}\n")
        << strings({ "s.yaml:2:3: providers.swarm: \"swarm\" is not supported yet" });
    QTest::newRow("entry point redirection without a target")
        << QByteArray("entryPoints:\n  web:\n    address: \":80\"\n    http:\n      redirections:\n"
                      "        entryPoint:\n          scheme: https\n")
        << strings({ "s.yaml:7:11: entryPoints.web.http.redirections.entryPoint: missing \"to\" "
                     "(for example to: websecure)" });
    QTest::newRow("udp entry point")
        << QByteArray("entryPoints:\n  dns:\n    address: \":53/udp\"\n")
        << strings({ "s.yaml:3:14: entryPoints.dns.address: udp entry points are not supported" });
    QTest::newRow("port out of range")
        << QByteArray("entryPoints:\n  web:\n    address: \":65536\"\n")
        << strings({ "s.yaml:3:14: entryPoints.web.address: invalid address \":65536\": port "
                     "65536 is out of range (expected \"[host]:port\" such as \":80\" or "
                     "\"127.0.0.1:8080\")" });
    QTest::newRow("list where a string is expected")
        << QByteArray("entryPoints:\n  web:\n    address: [\":80\"]\n")
        << strings({ "s.yaml:3:14: entryPoints.web.address: expected a string, got a list" });
    QTest::newRow("bad duration")
        << QByteArray("entryPoints:\n  web:\n    address: \":80\"\n    transport:\n"
                      "      respondingTimeouts:\n        readTimeout: abc\n")
        << strings({ "s.yaml:6:22: entryPoints.web.transport.respondingTimeouts.readTimeout: "
                     "invalid duration \"abc\" (expected a duration such as \"100ms\" or "
                     "\"1m30s\", or a number of seconds)" });
    QTest::newRow("invalid trusted IP")
        << QByteArray("entryPoints:\n  web:\n    address: \":80\"\n    forwardedHeaders:\n"
                      "      trustedIPs:\n        - 10.0.0.1\n        - 10.0.0.300\n")
        << strings({ "s.yaml:7:11: entryPoints.web.forwardedHeaders.trustedIPs[1]: invalid IP "
                     "address or CIDR range \"10.0.0.300\" (expected \"10.0.0.1\" or "
                     "\"10.0.0.0/8\")" });
    QTest::newRow("bad boolean")
        << QByteArray("api:\n  insecure: yes please\n")
        << strings({ "s.yaml:2:13: api.insecure: invalid boolean \"yes please\" (expected true "
                     "or false)" });
    QTest::newRow("bad log level")
        << QByteArray("log:\n  level: debg\n")
        << strings({ "s.yaml:2:10: log.level: invalid value \"debg\" (did you mean \"DEBUG\"?)" });
    QTest::newRow("file provider without file")
        << QByteArray("providers:\n  file:\n    watch: true\n")
        << strings({ "s.yaml:2:3: providers.file: neither filename nor directory is defined (set "
                     "providers.file.filename or .directory)" });
    QTest::newRow("duplicate key") << QByteArray("log:\n  level: INFO\n  Level: DEBUG\n")
                                   << strings({ "s.yaml:3:3: log.Level: duplicate key \"Level\"" });
    QTest::newRow("same port twice")
        << QByteArray("entryPoints:\n  a: {address: \":80\"}\n  b: {address: \":80\"}\n")
        << strings({ "s.yaml:3:3: entryPoints.b.address: address \":80\" is already used by "
                     "entry point \"a\"" });
    QTest::newRow("engine threads out of range")
        << QByteArray("portico:\n  engineThreads: -1\n")
        << strings({ "s.yaml:2:18: portico.engineThreads: value -1 is out of range (expected 0 "
                     "to 256)" });
    QTest::newRow("bad status code filter")
        << QByteArray("accessLog:\n  filters:\n    statusCodes: [\"200\", \"5xx\"]\n")
        << strings({ "s.yaml:3:18: accessLog.filters.statusCodes: invalid status code range "
                     "\"5xx\" (expected \"404\" or \"500-599\")" });
    QTest::newRow("bad api basePath")
        << QByteArray("api:\n  basePath: dashboard\n")
        << strings({ "s.yaml:2:13: api.basePath: invalid basePath \"dashboard\" (must be an "
                     "absolute URL path such as \"/traefik\")" });
    QTest::newRow("syntax error")
        << QByteArray("entryPoints: [\n")
        << strings({ "s.yaml:2:1: invalid YAML: end of sequence flow not found" });
    QTest::newRow("not a mapping")
        << QByteArray("- a\n- b\n") << strings({ "s.yaml:1:1: expected a mapping, got a list" });
}

void tst_Config::staticErrors()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QStringList, errors);
    const StaticConfigResult r = parseStaticConfig(yaml, QStringLiteral("s.yaml"));
    QCOMPARE(messages(r.errors), errors);
    QCOMPARE(r.ok(), errors.isEmpty());
}

void tst_Config::loadStaticFromFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("portico.yaml"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("entryPoints:\n  web:\n    address: \":8081\"\n");
    f.close();
    const StaticConfigResult r = loadStaticConfig(path);
    QVERIFY(r.ok());
    QCOMPARE(r.config.file, path);
    QCOMPARE(r.config.entryPoints.front().port, quint16(8081));

    const StaticConfigResult missing = loadStaticConfig(dir.filePath(QStringLiteral("nope.yaml")));
    QVERIFY(!missing.ok());
    QVERIFY2(missing.errors.front().message.startsWith(QLatin1String("cannot read \"")),
        qPrintable(missing.errors.front().message));
}

QTEST_GUILESS_MAIN(tst_Config)
