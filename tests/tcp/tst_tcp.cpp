// TCP routers (Traefik's `tcp` section): ClientHello peeking, TCP rules, config errors, the API
// objects, and the data plane with real clients (openssl s_client, curl) and real backends.

#include "tests/tcp/tst_tcp.h"

#include "core/config/loader.h"
#include "core/control/api/tcp_json.h"
#include "core/control/api/traefik_endpoints.h"
#include "core/control/control_plane.h"
#include "core/control/table_builder.h"
#include "core/proxy/tcp_client_hello.h"
#include "core/proxy/tcp_routing.h"
#include "core/proxy/tcp_service.h"
#include "core/rules/tcp_rule.h"
#include "tests/testkit/testkit.h"

#include <QJsonDocument>
#include <QTest>

#include <openssl/ssl.h>

using namespace portico;

namespace {

/// A real ClientHello as OpenSSL's client writes it (memory BIOs, no socket).
QByteArray clientHello(const QByteArray &sni, const QList<QByteArray> &alpn)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl = SSL_new(ctx);
    BIO *in = BIO_new(BIO_s_mem());
    BIO *out = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl, in, out);
    if (!sni.isEmpty())
        SSL_set_tlsext_host_name(ssl, sni.constData());
    QByteArray wire;
    for (const QByteArray &p : alpn)
        wire += char(p.size()) + p;
    if (!wire.isEmpty())
        SSL_set_alpn_protos(
            ssl, reinterpret_cast<const unsigned char *>(wire.constData()), unsigned(wire.size()));
    SSL_connect(ssl);
    QByteArray hello(int(BIO_ctrl_pending(out)), Qt::Uninitialized);
    BIO_read(out, hello.data(), int(hello.size()));
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    return hello;
}

/// The same handshake message re-framed into records of at most `size` bytes (RFC 8446 §5.1
/// allows a handshake message to span records).
QByteArray fragmented(const QByteArray &hello, int size)
{
    const QByteArray message = hello.mid(5);
    QByteArray out;
    for (qsizetype pos = 0; pos < message.size(); pos += size) {
        const QByteArray part = message.mid(pos, size);
        out += hello.left(3) + char(part.size() >> 8) + char(part.size() & 0xff) + part;
    }
    return out;
}

using Status = proxy::ClientHelloInfo::Status;

/// A provider that reports one fixed YAML document, as the file provider would.
class YamlProvider final : public provider::Provider
{
public:
    explicit YamlProvider(QByteArray yaml)
        : m_yaml(std::move(yaml))
    { }
    QString name() const override { return QStringLiteral("file"); }
    void start() override
    {
        Q_EMIT snapshotReady(config::parseDynamicConfig(m_yaml, QStringLiteral("d.yaml")));
    }

private:
    QByteArray m_yaml;
};

} // namespace

// ---- ClientHello peeking (RFC 8446 §4.1.2, RFC 6066 §3, RFC 7301) ----

void TestTcp::clientHello_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("serverName");
    QTest::addColumn<QByteArrayList>("alpn");
    QTest::addColumn<bool>("malformed");

    const QByteArray full = ::clientHello("db.localhost", { "h2", "http/1.1" });
    const QByteArrayList h2 { "h2", "http/1.1" };
    QTest::newRow("sni and alpn (RFC 6066 §3, RFC 7301 §3.1)")
        << full << int(Status::Tls) << QByteArray("db.localhost") << h2 << false;
    QTest::newRow("server name lower-cased")
        << ::clientHello("DB.Localhost", {}) << int(Status::Tls) << QByteArray("db.localhost")
        << QByteArrayList {} << false;
    QTest::newRow("no sni, no alpn")
        << ::clientHello({}, {}) << int(Status::Tls) << QByteArray() << QByteArrayList {} << false;
    QTest::newRow("hello fragmented over records of 64 bytes (RFC 8446 §5.1)")
        << fragmented(full, 64) << int(Status::Tls) << QByteArray("db.localhost") << h2 << false;
    QTest::newRow("hello followed by more bytes") << full + QByteArray(300, 'z') << int(Status::Tls)
                                                  << QByteArray("db.localhost") << h2 << false;
    QTest::newRow("plain http") << QByteArray("GET / HTTP/1.1\r\n") << int(Status::Plain)
                                << QByteArray() << QByteArrayList {} << false;
    QTest::newRow("one plain byte")
        << QByteArray("P") << int(Status::Plain) << QByteArray() << QByteArrayList {} << false;
    QTest::newRow("nothing yet") << QByteArray() << int(Status::NeedMore) << QByteArray()
                                 << QByteArrayList {} << false;
    QTest::newRow("sslv2 hello is tls without a name")
        << QByteArray("\x80\x2e\x01\x00\x02", 5) << int(Status::Tls) << QByteArray()
        << QByteArrayList {} << true;
    QByteArray serverHello = full;
    serverHello[5] = 2; // HandshakeType.server_hello
    QTest::newRow("handshake that is no client hello")
        << serverHello << int(Status::Tls) << QByteArray() << QByteArrayList {} << true;
    QByteArray broken = full;
    broken[5 + 4 + 2 + 32] = char(0xff); // session id length beyond the message
    QTest::newRow("length field beyond the message")
        << broken << int(Status::Tls) << QByteArray() << QByteArrayList {} << true;
    QTest::newRow("oversized record") << QByteArray("\x16\x03\x01\xff\xff", 5) << int(Status::Tls)
                                      << QByteArray() << QByteArrayList {} << true;
}

void TestTcp::clientHello()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, status);
    QFETCH(QByteArray, serverName);
    QFETCH(QByteArrayList, alpn);
    QFETCH(bool, malformed);
    const proxy::ClientHelloInfo info = proxy::peekClientHello(bytes);
    QCOMPARE(int(info.status), status);
    QCOMPARE(info.serverName, serverName);
    QCOMPARE(QByteArrayList(info.alpn.begin(), info.alpn.end()), alpn);
    QCOMPARE(info.malformed, malformed);
}

void TestTcp::clientHelloPrefixesNeedMore()
{
    // However the hello arrives in pieces, no prefix is mistaken for a complete one.
    for (const QByteArray &hello : { ::clientHello("a.localhost", { "h2" }),
             fragmented(::clientHello("a.localhost", { "h2" }), 50) }) {
        for (qsizetype n = 1; n < hello.size(); ++n) {
            const auto info = proxy::peekClientHello(QByteArrayView(hello).first(n));
            if (info.status != Status::NeedMore)
                QFAIL(qPrintable(QStringLiteral("prefix of %1 bytes decided").arg(n)));
        }
        QCOMPARE(proxy::peekClientHello(hello).serverName, QByteArray("a.localhost"));
    }
}

// ---- TCP rules (Traefik v3 pkg/muxer/tcp) ----

void TestTcp::tcpRule_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QByteArray>("sni");
    QTest::addColumn<QByteArrayList>("alpn");
    QTest::addColumn<QString>("ip");
    QTest::addColumn<bool>("matches");

    const QByteArrayList none;
    const QString lo = QStringLiteral("127.0.0.1");
    QTest::newRow("HostSNI exact")
        << s("HostSNI(`db.localhost`)") << QByteArray("db.localhost") << none << lo << true;
    QTest::newRow("HostSNI case-insensitive, trailing dot")
        << s("HostSNI(`DB.localhost.`)") << QByteArray("db.localhost") << none << lo << true;
    QTest::newRow("HostSNI other name")
        << s("HostSNI(`db.localhost`)") << QByteArray("web.localhost") << none << lo << false;
    QTest::newRow("HostSNI never matches without sni")
        << s("HostSNI(`db.localhost`)") << QByteArray() << none << lo << false;
    QTest::newRow("HostSNI * matches without sni")
        << s("HostSNI(`*`)") << QByteArray() << none << lo << true;
    QTest::newRow("hostsni lower-case spelling")
        << s("hostsni(`*`)") << QByteArray("x") << none << lo << true;
    QTest::newRow("HostSNIRegexp") << s("HostSNIRegexp(`^db-[0-9]+\\.localhost$`)")
                                   << QByteArray("db-42.localhost") << none << lo << true;
    QTest::newRow("HostSNIRegexp no match") << s("HostSNIRegexp(`^db-[0-9]+\\.localhost$`)")
                                            << QByteArray("db-x.localhost") << none << lo << false;
    QTest::newRow("ALPN offered") << s("ALPN(`h2`)") << QByteArray("a")
                                  << QByteArrayList { "http/1.1", "h2" } << lo << true;
    QTest::newRow("ALPN not offered")
        << s("ALPN(`h2`)") << QByteArray("a") << QByteArrayList { "http/1.1" } << lo << false;
    QTest::newRow("ClientIP CIDR")
        << s("ClientIP(`127.0.0.0/8`)") << QByteArray() << none << lo << true;
    QTest::newRow("ClientIP outside")
        << s("ClientIP(`10.0.0.0/8`)") << QByteArray() << none << lo << false;
    QTest::newRow("ClientIP v6") << s("ClientIP(`::1`)") << QByteArray() << none << s("::1")
                                 << true;
    QTest::newRow("&& and ||") << s("HostSNI(`a.localhost`) && (ALPN(`h2`) || ClientIP(`::1`))")
                               << QByteArray("a.localhost") << QByteArrayList { "h2" } << lo
                               << true;
    QTest::newRow("negation") << s("HostSNI(`*`) && !ClientIP(`127.0.0.1`)") << QByteArray() << none
                              << lo << false;
}

void TestTcp::tcpRule()
{
    QFETCH(QString, rule);
    QFETCH(QByteArray, sni);
    QFETCH(QByteArrayList, alpn);
    QFETCH(QString, ip);
    QFETCH(bool, matches);
    const auto parsed = rules::parseTcpRule(rule);
    QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
    const std::vector<QByteArray> protocols(alpn.begin(), alpn.end());
    rules::RequestFacts facts;
    facts.host = sni;
    facts.path = "/";
    facts.clientIp = QHostAddress(ip);
    facts.alpn = &protocols;
    QCOMPARE(parsed->matches(facts), matches);
}

void TestTcp::tcpRuleErrors_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("hint");

    QTest::newRow("misspelt matcher")
        << s("HostSni(`a`)") << 1 << s("unknown TCP matcher \"HostSni\"")
        << s("did you mean \"HostSNI\"?");
    QTest::newRow("http matcher Host")
        << s("Host(`a.localhost`)") << 1 << s("unknown TCP matcher \"Host\"")
        << s("\"Host\" is an HTTP matcher; TCP routers match the TLS "
             "server name with HostSNI(`...`)");
    QTest::newRow("http matcher PathPrefix")
        << s("HostSNI(`*`) && PathPrefix(`/`)") << 17 << s("unknown TCP matcher \"PathPrefix\"")
        << s("\"PathPrefix\" is an HTTP matcher; TCP rules know HostSNI, HostSNIRegexp, ClientIP, "
             "ALPN");
    QTest::newRow("wildcard HostSNI") << s("HostSNI(`*.example.com`)") << 9
                                      << s("invalid HostSNI value \"*.example.com\": not a valid "
                                           "hostname or IP")
                                      << s("HostSNI takes no wildcards; use "
                                           "HostSNIRegexp(`^[a-z0-9-]+\\.example\\.com$`)");
    QTest::newRow("two hosts in one HostSNI (v2 syntax)")
        << s("HostSNI(`a`, `b`)") << 1 << s("HostSNI expects exactly 1 argument, got 2")
        << s("combine several values with \"||\", e.g. HostSNI(`a`) || HostSNI(`b`)");
    QTest::newRow("acme-tls/1 refused")
        << s("ALPN(`acme-tls/1`)") << 6
        << s("invalid ALPN protocol \"acme-tls/1\": it is not allowed")
        << s("acme-tls/1 is reserved for ACME TLS-ALPN challenges "
             "(RFC 8737)");
    QTest::newRow("bad regexp") << s("HostSNIRegexp(`(`)") << 15 << QString() << QString();
    QTest::newRow("bad cidr") << s("ClientIP(`10.0.0.0/33`)") << 10 << QString() << QString();
    QTest::newRow("empty rule") << s("") << 1 << s("empty rule")
                                << s("write a rule such as HostSNI(`db.localhost`)");
    QTest::newRow("unquoted value")
        << s("HostSNI(db)") << 9 << s("expected a string literal or \")\", got \"db\"")
        << s("quote values with backticks: `db`");
}

void TestTcp::tcpRuleErrors()
{
    QFETCH(QString, rule);
    QFETCH(int, column);
    QFETCH(QString, message);
    QFETCH(QString, hint);
    const auto parsed = rules::parseTcpRule(rule);
    QVERIFY(!parsed);
    QCOMPARE(parsed.error().where.column, column);
    if (!message.isEmpty()) {
        QCOMPARE(parsed.error().message, message);
        QCOMPARE(parsed.error().hint, hint);
    }
}

void TestTcp::weightedSchedule()
{
    proxy::TcpTarget a, b, c;
    a.address = QStringLiteral("a");
    b.address = QStringLiteral("b");
    c.address = QStringLiteral("c");
    const auto ab = proxy::TcpBalancer::servers({ a, b });
    QCOMPARE(ab->pick()->address, QStringLiteral("a"));
    QCOMPARE(ab->pick()->address, QStringLiteral("b"));
    QCOMPARE(ab->pick()->address, QStringLiteral("a"));
    const auto weighted = proxy::TcpBalancer::weighted({ { proxy::TcpBalancer::servers({ a }), 3 },
        { proxy::TcpBalancer::servers({ b }), 1 }, { proxy::TcpBalancer::servers({ c }), 0 } });
    QString sequence;
    std::map<QString, int> counts;
    for (int i = 0; i < 400; ++i) {
        const QString picked = weighted->pick()->address;
        ++counts[picked];
        if (i < 8)
            sequence += picked;
    }
    QCOMPARE(counts[QStringLiteral("a")], 300);
    QCOMPARE(counts[QStringLiteral("b")], 100);
    QCOMPARE(counts[QStringLiteral("c")], 0);
    QCOMPARE(sequence, QStringLiteral("aabaaaba")); // smooth: b interleaved, never bursts of 3
    QVERIFY(!proxy::TcpBalancer::servers({})->pick());
}

void TestTcp::decision_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected"); // router name, "http" or "wait"

    QTest::newRow("plain bytes: plain catch-all") << QByteArray("hello") << s("plain");
    QTest::newRow("tls pass.localhost: passthrough router")
        << ::clientHello("pass.localhost", {}) << s("pass");
    QTest::newRow("tls web.localhost: the HTTPS router's host wins")
        << ::clientHello("web.localhost", {}) << s("http");
    QTest::newRow("tls wildcard HTTPS host wins")
        << ::clientHello("x.wild.localhost", {}) << s("http");
    QTest::newRow("tls unknown name: tls catch-all by priority")
        << ::clientHello("other.localhost", {}) << s("catchall");
    QTest::newRow("incomplete hello: wait")
        << ::clientHello("pass.localhost", {}).left(20) << s("wait");
}

void TestTcp::decision()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const QByteArray yaml = R"y(
http:
  routers:
    web: {rule: "Host(`web.localhost`) || Host(`*.wild.localhost`)", service: up, tls: {}}
  services:
    up: {loadBalancer: {servers: [{url: "http://127.0.0.1:1"}]}}
tcp:
  routers:
    plain: {rule: "HostSNI(`*`)", service: s}
    pass: {rule: "HostSNI(`pass.localhost`)", service: s, tls: {passthrough: true}}
    catchall: {rule: "HostSNI(`*`)", service: s, tls: {passthrough: true}, priority: 1}
    claimed: {rule: "HostSNI(`web.localhost`) || HostSNI(`x.wild.localhost`)", service: s, tls: {passthrough: true}}
  services:
    s: {loadBalancer: {servers: [{address: "127.0.0.1:1"}]}}
)y";
    const control::TableBuilder builder({ testing::entryPoint(QStringLiteral("web")) });
    const auto built = builder.build(
        { { QStringLiteral("file"), config::parseDynamicConfig(yaml, QStringLiteral("d.yaml")) } },
        1);
    QVERIFY(built.table->tcp);
    const proxy::TcpEntryPointRoutes *routes
        = built.table->tcp->forEntryPoint(QStringLiteral("web"));
    QVERIFY(routes);
    QVERIFY(!routes->decidesAtAccept());
    const auto d = routes->decide(proxy::peekClientHello(bytes), QHostAddress::LocalHost);
    const QString got = d.kind == proxy::TcpDecision::Kind::Wait ? QStringLiteral("wait")
        : d.kind == proxy::TcpDecision::Kind::Http               ? QStringLiteral("http")
                                                   : d.route->router.section(u'@', 0, 0);
    QCOMPARE(got, expected);
}

// ---- configuration errors: file:line:col, did-you-mean, per-router failure ----

void TestTcp::configErrors_data()
{
    QTest::addColumn<QByteArray>("tcp");
    QTest::addColumn<QStringList>("errors");

    const QByteArray service
        = "  services:\n    s: {loadBalancer: {servers: [{address: \"127.0.0.1:9\"}]}}\n";
    QTest::newRow("misspelt matcher")
        << "  routers:\n    r: {rule: \"HostSni(`*`)\", service: s}\n" + service
        << sl({ "d.yaml:3:9: tcp.routers.r.rule: invalid rule at column 1: unknown TCP matcher "
                "\"HostSni\" (did you mean \"HostSNI\"?)" });
    QTest::newRow("http rule on a tcp router")
        << "  routers:\n    r: {rule: \"Host(`a.localhost`)\", service: s}\n" + service
        << sl({ "d.yaml:3:9: tcp.routers.r.rule: invalid rule at column 1: unknown TCP matcher "
                "\"Host\" (\"Host\" is an HTTP matcher; TCP routers match the TLS server name "
                "with HostSNI(`...`))" });
    QTest::newRow("unknown service with hint")
        << "  routers:\n    r: {rule: \"HostSNI(`*`)\", service: ss}\n" + service
        << sl({ "d.yaml:3:31: tcp.routers.r.service: the service \"ss@file\" does not exist "
                "(did you mean \"s@file\"?)" });
    QTest::newRow("misspelt key")
        << "  routers:\n    r: {rules: \"HostSNI(`*`)\", service: s}\n" + service
        << sl({ "d.yaml:3:5: tcp.routers.r: missing \"rule\"",
               "d.yaml:3:9: tcp.routers.r.rules: unknown key \"rules\" (did you mean \"rule\"?)" });
    QTest::newRow("url instead of address")
        << "  routers:\n    r: {rule: \"HostSNI(`*`)\", service: s}\n  services:\n    s: "
           "{loadBalancer: {servers: [{url: \"http://127.0.0.1:9\"}]}}\n"_qba
        << sl({ "d.yaml:3:31: tcp.routers.r.service: the service \"s@file\" is in error",
               "d.yaml:5:34: tcp.services.s.loadBalancer.servers[0]: missing \"address\" (TCP "
               "servers use address: host:port instead of url)" });
    QTest::newRow("address with a scheme")
        << "  routers:\n    r: {rule: \"HostSNI(`*`)\", service: s}\n  services:\n    s: "
           "{loadBalancer: {servers: [{address: \"http://127.0.0.1:9\"}]}}\n"_qba
        << sl({ "d.yaml:3:31: tcp.routers.r.service: the service \"s@file\" is in error",
               "d.yaml:5:44: tcp.services.s.loadBalancer.servers[0].address: invalid server "
               "address \"http://127.0.0.1:9\" (TCP servers take host:port without a scheme, "
               "e.g. \"127.0.0.1:5432\")" });
    QTest::newRow("unknown entry point is a warning")
        << "  routers:\n    r: {rule: \"HostSNI(`*`)\", service: s, entryPoints: [web, wbe]}\n"
            + service
        << sl({ "d.yaml:3:43: tcp.routers.r.entryPoints: entryPoint \"wbe\" doesn't exist (did "
                "you mean \"web\"?)" });
    QTest::newRow("HostSNI without tls never matches")
        << "  routers:\n    r: {rule: \"HostSNI(`db.localhost`)\", service: s}\n" + service
        << sl({ "d.yaml:3:9: tcp.routers.r.rule: HostSNI never matches a router without tls: "
                "plain TCP connections carry no server name (add tls: {passthrough: true} (or "
                "tls: {}) or use HostSNI(`*`))" });
    QTest::newRow("weighted names an unknown service")
        << "  routers:\n    r: {rule: \"HostSNI(`*`)\", service: w}\n  services:\n    w: "
           "{weighted: {services: [{name: s, weight: 2}, {name: t}]}}\n"
            + service.mid(12)
        << sl({ "d.yaml:3:31: tcp.routers.r.service: the service \"w@file\" is in error",
               "d.yaml:5:9: tcp.services.w.weighted: the service \"t@file\" does not exist (did "
               "you mean \"s@file\"?)" });
    QTest::newRow("weighted cycle")
        << "  routers:\n    r: {rule: \"HostSNI(`*`)\", service: w}\n  services:\n    w: "
           "{weighted: {services: [{name: v}]}}\n    v: {weighted: {services: [{name: w}]}}\n"_qba
        << sl({ "d.yaml:3:31: tcp.routers.r.service: the service \"w@file\" is in error",
               "d.yaml:6:9: tcp.services.v.weighted: the service \"w@file\" is in error",
               "d.yaml:5:9: tcp.services.w.weighted: weighted services refer to each other in a "
               "cycle through \"v@file\"" });
    QTest::newRow("weighted refers to itself")
        << "  services:\n    w: {weighted: {services: [{name: w}]}}\n"_qba
        << sl({ "d.yaml:3:9: tcp.services.w.weighted: weighted service \"w@file\" refers to "
                "itself" });
    QTest::newRow("bad sourceRange")
        << "  routers:\n    r: {rule: \"HostSNI(`*`)\", service: s, middlewares: [m]}\n  "
           "middlewares:\n    m: {ipAllowList: {sourceRange: [\"10.0.0.0/99\"]}}\n"
            + service
        << sl({ "d.yaml:3:43: tcp.routers.r.middlewares: middleware \"m@file\" is in error",
               "d.yaml:5:23: tcp.middlewares.m.ipAllowList.sourceRange: invalid sourceRange "
               "\"10.0.0.0/99\" (expected an IP or a CIDR such as 192.168.1.0/24)" });
    QTest::newRow("unsupported proxyProtocol")
        << "  services:\n    s: {loadBalancer: {servers: [{address: \"127.0.0.1:9\"}], "
           "proxyProtocol: {version: 2}}}\n"_qba
        << sl({ "d.yaml:3:61: tcp.services.s.loadBalancer.proxyProtocol: \"proxyProtocol\" is "
                "not supported yet" });
}

void TestTcp::configErrors()
{
    QFETCH(QByteArray, tcp);
    QFETCH(QStringList, errors);
    const QByteArray yaml = "tcp:\n" + tcp;
    const control::TableBuilder builder({ testing::entryPoint(QStringLiteral("web")) });
    const auto built = builder.build(
        { { QStringLiteral("file"), config::parseDynamicConfig(yaml, QStringLiteral("d.yaml")) } },
        1);
    QStringList got;
    for (const Error &e : built.state.allErrors())
        got << e.toString();
    if (got != errors)
        qWarning().noquote() << yaml << s("\n") << got.join(u'\n');
    QCOMPARE(got, errors);
}

void TestTcp::badRouterDoesNotStopOthers()
{
    const QByteArray yaml = R"y(
tcp:
  routers:
    bad: {rule: "HostSNI(`*`", service: s}
    good: {rule: "HostSNI(`*`)", service: s}
    warned: {rule: "HostSNI(`*`)", service: s, entryPoints: [web, nope]}
  services:
    s: {loadBalancer: {servers: [{address: "127.0.0.1:9"}]}}
)y";
    const control::TableBuilder builder({ testing::entryPoint(QStringLiteral("web")) });
    const auto built = builder.build(
        { { QStringLiteral("file"), config::parseDynamicConfig(yaml, QStringLiteral("d.yaml")) } },
        1);
    const auto &routers = built.state.tcpRouters;
    QCOMPARE(routers.at(QStringLiteral("bad@file")).status, control::Status::Disabled);
    QCOMPARE(routers.at(QStringLiteral("bad@file")).errors.front().toString(),
        QStringLiteral("d.yaml:4:11: tcp.routers.bad.rule: invalid rule at column 12: expected "
                       "\",\" or \")\", got end of rule"));
    QCOMPARE(routers.at(QStringLiteral("good@file")).status, control::Status::Enabled);
    QCOMPARE(routers.at(QStringLiteral("warned@file")).status, control::Status::Warning);
    const auto *routes = built.table->tcp->forEntryPoint(QStringLiteral("web"));
    QCOMPARE(routes->plainRoutes.size(), size_t(2));
    QCOMPARE(built.state.tcpServices.at(QStringLiteral("s@file")).usedBy,
        sl({ "bad@file", "good@file", "warned@file" }));
}

void TestTcp::routerJson()
{
    const QByteArray yaml = R"y(
tcp:
  routers:
    db: {rule: "HostSNI(`db.localhost`)", service: s, entryPoints: [web], tls: {passthrough: true}}
  services:
    s: {loadBalancer: {servers: [{address: "127.0.0.1:9"}]}}
  middlewares:
    m: {ipAllowList: {sourceRange: ["127.0.0.1/32"]}}
)y";
    const control::TableBuilder builder({ testing::entryPoint(QStringLiteral("web")) });
    const auto built = builder.build(
        { { QStringLiteral("file"), config::parseDynamicConfig(yaml, QStringLiteral("d.yaml")) } },
        1);
    const auto json
        = [](const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); };
    QCOMPARE(
        json(control::api::tcpRouterJson(built.state.tcpRouters.at(QStringLiteral("db@file")))),
        QByteArray(R"y({"entryPoints":["web"],"name":"db@file","priority":23,"priorityStr":"23",)y"
                   R"y("provider":"file","rule":"HostSNI(`db.localhost`)","service":"s",)y"
                   R"y("status":"enabled","tls":{"passthrough":true},"using":["web"]})y"));
    QCOMPARE(
        json(control::api::tcpServiceJson(built.state.tcpServices.at(QStringLiteral("s@file")))),
        QByteArray(
            R"y({"loadBalancer":{"servers":[{"address":"127.0.0.1:9"}],"terminationDelay":100},)y"
            R"y("name":"s@file","provider":"file","serverStatus":{"127.0.0.1:9":"UP"},)y"
            R"y("status":"enabled","type":"loadbalancer","usedBy":["db@file"]})y"));
    QCOMPARE(json(control::api::tcpMiddlewareJson(
                 built.state.tcpMiddlewares.at(QStringLiteral("m@file")))),
        QByteArray(R"y({"ipAllowList":{"sourceRange":["127.0.0.1/32"]},"name":"m@file",)y"
                   R"y("provider":"file","status":"enabled","type":"ipallowlist"})y"));
    QJsonObject raw;
    control::api::addTcpRawData(raw, built.state);
    QCOMPARE(raw.keys(), sl({ "tcpMiddlewares", "tcpRouters", "tcpServices" }));
}

void TestTcp::apiEndpoints_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("query");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("routers list, sorted by name")
        << s("/api/tcp/routers") << QString() << 200
        << R"y([{"entryPoints":["web"],"error":["invalid rule at column 1: unknown TCP matcher \"Host\" (\"Host\" is an HTTP matcher; TCP routers match the TLS server name with HostSNI(`...`))"],"name":"bad@file","priority":19,"priorityStr":"19","provider":"file","rule":"Host(`x.localhost`)","service":"s","status":"disabled","using":["web"]},{"entryPoints":["web"],"name":"db@file","priority":23,"priorityStr":"23","provider":"file","rule":"HostSNI(`db.localhost`)","service":"s","status":"enabled","tls":{"passthrough":true},"using":["web"]}])y"_qba;
    QTest::newRow("router by name")
        << s("/api/tcp/routers/db@file") << QString() << 200
        << R"y({"entryPoints":["web"],"name":"db@file","priority":23,"priorityStr":"23","provider":"file","rule":"HostSNI(`db.localhost`)","service":"s","status":"enabled","tls":{"passthrough":true},"using":["web"]})y"_qba;
    QTest::newRow("unknown router") << s("/api/tcp/routers/nope@file") << QString() << 404
                                    << R"y({"message":"router not found: nope@file"})y"_qba;
    QTest::newRow("status filter") << s("/api/tcp/routers") << s("status=enabled") << 200
                                   << R"y([{"entryPoints":["web"],"name":"db@file")y"_qba;
    QTest::newRow("services")
        << s("/api/tcp/services") << QString() << 200
        << R"y([{"loadBalancer":{"servers":[{"address":"127.0.0.1:9"}],"terminationDelay":100},"name":"s@file","provider":"file","serverStatus":{"127.0.0.1:9":"UP"},"status":"enabled","type":"loadbalancer","usedBy":["bad@file","db@file"]}])y"_qba;
    QTest::newRow("overview counts tcp")
        << s("/api/overview") << QString() << 200
        << R"y("tcp":{"middlewares":{"errors":0,"total":0,"warnings":0},"routers":{"errors":1,"total":2,"warnings":0},"services":{"errors":0,"total":1,"warnings":0}})y"_qba;
}

void TestTcp::apiEndpoints()
{
    QFETCH(QString, path);
    QFETCH(QString, query);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    config::StaticConfig staticConfig;
    staticConfig.entryPoints.push_back(testing::entryPoint(QStringLiteral("web")));
    control::ControlPlane plane(staticConfig);
    plane.addProvider(std::make_unique<YamlProvider>(R"y(
tcp:
  routers:
    db: {rule: "HostSNI(`db.localhost`)", service: s, entryPoints: [web], tls: {passthrough: true}}
    bad: {rule: "Host(`x.localhost`)", service: s, entryPoints: [web]}
  services:
    s: {loadBalancer: {servers: [{address: "127.0.0.1:9"}]}}
)y"_qba));
    plane.start();
    QTRY_COMPARE(plane.state().tcpRouters.size(), size_t(2));
    control::api::ApiRouter router;
    control::api::registerTraefikEndpoints(router, plane);
    const auto match = router.match("GET", path);
    QVERIFY(match.handler);
    control::api::ApiRequest request;
    request.method = "GET";
    request.path = path;
    request.query = QUrlQuery(query);
    request.captures = match.captures;
    const control::api::ApiResponse response = (*match.handler)(request);
    QCOMPARE(response.status, status);
    QVERIFY2(response.body.contains(body), response.body.constData());
}

QTEST_GUILESS_MAIN(TestTcp)
