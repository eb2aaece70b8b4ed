// TLS termination in the proxy, end to end with real clients: openssl s_client (SNI, chain,
// ALPN, name constraints), curl with the CA, parallel first handshakes, plain and TLS routers on
// one entry point, entry-point redirections, user certificates, and headless Chromium.

#include "core/tls/local_ca.h"
#include "tests/testkit/wait.h"
#include "tests/tls_proxy/tls_proxy_fixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>

using namespace portico;
using namespace portico::testing;

namespace {

HeaderList contentType(const char *type)
{
    HeaderList headers;
    headers.add("Content-Type", type);
    return headers;
}

const QByteArray kRoutes = R"yaml(
http:
  routers:
    app:
      rule: "Host(`app.localhost`) || Host(`shop.test`) || Host(`fresh.localhost`)"
      service: app
    anything:
      rule: "PathPrefix(`/`)"
      priority: 1
      service: app
  services:
    app:
      loadBalancer:
        servers: [{url: "%UPSTREAM%"}]
)yaml";

/// `openssl s_client` against an entry point; `name` empty sends no SNI.
ProcessResult sClient(quint16 port, const QString &name, const QStringList &extra)
{
    QStringList args { QStringLiteral("s_client"), QStringLiteral("-connect"),
        QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-showcerts") };
    if (name.isEmpty())
        args << QStringLiteral("-noservername");
    else
        args << QStringLiteral("-servername") << name;
    args << extra;
    return run(QStringLiteral("openssl"), args, "Q\n");
}

QByteArray subjectLine(const QByteArray &sClientOutput)
{
    for (const QByteArray &line : sClientOutput.split('\n')) {
        if (line.startsWith("subject="))
            return line.trimmed();
    }
    return {};
}

/// The status code of a curl -i response, whatever HTTP version was negotiated.
QByteArray statusOf(const QByteArray &response)
{
    const QList<QByteArray> words = response.left(response.indexOf('\r')).split(' ');
    return words.size() >= 2 && words[0].startsWith("HTTP/") ? words[1] : QByteArray();
}

bool hasTool(const char *name)
{
    return !QStandardPaths::findExecutable(QString::fromLatin1(name)).isEmpty();
}

} // namespace

class tst_TlsProxy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void certificateBySni_data();
    void certificateBySni();
    void curlWithTheCa();
    void concurrentFirstHandshakes();
    void plainAndTlsRoutersShareAnEntryPoint_data();
    void plainAndTlsRoutersShareAnEntryPoint();
    void plainHttpOnTlsOnlyEntryPoint();
    void garbageAndStalledHandshakesAreClosed();
    void entryPointRedirection_data();
    void entryPointRedirection();
    void userCertificateWins();
    void caRotationReachesTheRunningProxy();
    void badCertificateFileIsReported();
    void tlsOptionsPerRouter();
    void chromiumTrustsTheLeaf();
};

void tst_TlsProxy::initTestCase()
{
    if (!hasTool("openssl") || !hasTool("curl"))
        QSKIP("openssl and curl are needed");
}

void tst_TlsProxy::certificateBySni_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QStringList>("verify");
    QTest::addColumn<QByteArray>("subject");
    QTest::addColumn<bool>("trusted");

    const auto host = [](const char *n) {
        return QStringList { QStringLiteral("-verify_hostname"), QString::fromLatin1(n) };
    };
    QTest::newRow("localhost subdomain gets its own leaf")
        << QStringLiteral("app.localhost") << host("app.localhost")
        << QByteArray("subject=O = Portico development certificate, CN = app.localhost") << true;
    QTest::newRow(".test name (RFC 6761) gets its own leaf")
        << QStringLiteral("shop.test") << host("shop.test")
        << QByteArray("subject=O = Portico development certificate, CN = shop.test") << true;
    QTest::newRow("no SNI: a leaf for the local address 127.0.0.1")
        << QString() << QStringList { QStringLiteral("-verify_ip"), QStringLiteral("127.0.0.1") }
        << QByteArray("subject=O = Portico development certificate") << true;
    QTest::newRow("name outside the constraints: default certificate, untrusted")
        << QStringLiteral("example.com") << host("example.com")
        << QByteArray("subject=CN = PORTICO DEFAULT CERT") << false;
}

void tst_TlsProxy::certificateBySni()
{
    QFETCH(QString, name);
    QFETCH(QStringList, verify);
    QFETCH(QByteArray, subject);
    QFETCH(bool, trusted);
    TlsProxyFixture f({ entryPoint(QStringLiteral("websecure"), true) }, kRoutes);
    QVERIFY(f.ok());
    const auto r = sClient(f.port(QStringLiteral("websecure")), name,
        QStringList { QStringLiteral("-CAfile"), f.caPath(), QStringLiteral("-alpn"),
            QStringLiteral("http/1.1") }
            + verify);
    QCOMPARE(subjectLine(r.out), subject);
    if (trusted) {
        QVERIFY2(r.out.contains("Verify return code: 0 (ok)"), r.out.constData());
        QVERIFY(r.out.contains("i:CN = Portico Local CA"));
        QVERIFY2(r.out.contains("ALPN protocol: http/1.1"), r.out.constData());
    } else {
        // Self-signed and outside the CA's constraints: no client trusts it.
        QVERIFY2(r.out.contains("Verify return code: "), r.out.constData());
        QVERIFY(!r.out.contains("Verify return code: 0 (ok)"));
        QVERIFY(r.err.contains("self-signed certificate"));
    }
}

void tst_TlsProxy::curlWithTheCa()
{
    TlsProxyFixture f({ entryPoint(QStringLiteral("websecure"), true) }, kRoutes);
    QVERIFY(f.ok());
    const auto r = f.curl(QStringLiteral("https"), QStringLiteral("app.localhost"),
        QStringLiteral("websecure"), QStringLiteral("/hello?x=1"));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(statusOf(r.out) == "200", r.out.constData());
    // X-Forwarded-Proto is https on a TLS connection (Traefik); the port comes from the Host.
    QVERIFY2(r.out.contains(QByteArray("GET /hello?x=1 proto=https port=")
                 + QByteArray::number(f.port(QStringLiteral("websecure")))),
        r.out.constData());
}

void tst_TlsProxy::concurrentFirstHandshakes()
{
    TlsProxyFixture f({ entryPoint(QStringLiteral("websecure"), true) }, kRoutes);
    QVERIFY(f.ok());
    const int before = f.issuedCount();
    std::vector<std::unique_ptr<QProcess>> clients;
    const QString hostPort
        = QStringLiteral("fresh.localhost:%1").arg(f.port(QStringLiteral("websecure")));
    for (int i = 0; i < 20; ++i) {
        auto p = std::make_unique<QProcess>();
        p->start(QStringLiteral("curl"),
            { QStringLiteral("-sS"), QStringLiteral("--max-time"), QStringLiteral("15"),
                QStringLiteral("--cacert"), f.caPath(), QStringLiteral("--resolve"),
                hostPort + QStringLiteral(":127.0.0.1"), QStringLiteral("https://") + hostPort });
        clients.push_back(std::move(p));
    }
    QVERIFY(testkit::waitUntil(
        [&] {
            return std::all_of(clients.begin(), clients.end(),
                [](const auto &p) { return p->state() == QProcess::NotRunning; });
        },
        30000));
    for (const auto &p : clients) {
        QCOMPARE(p->exitCode(), 0);
        QVERIFY(p->readAllStandardOutput().startsWith("GET / proto=https"));
    }
    QCOMPARE(f.issuedCount() - before, 1);
    QVERIFY(QFile::exists(f.home().filePath(QStringLiteral("ca/leaves/fresh.localhost.pem"))));
}

void tst_TlsProxy::plainAndTlsRoutersShareAnEntryPoint_data()
{
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QByteArray>("status");
    QTest::newRow("plain router over http")
        << QStringLiteral("http") << QStringLiteral("plain.localhost") << QByteArray("200");
    QTest::newRow("tls router over http: 404")
        << QStringLiteral("http") << QStringLiteral("secure.localhost") << QByteArray("404");
    QTest::newRow("tls router over https")
        << QStringLiteral("https") << QStringLiteral("secure.localhost") << QByteArray("200");
    QTest::newRow("plain router over https: 404")
        << QStringLiteral("https") << QStringLiteral("plain.localhost") << QByteArray("404");
}

void tst_TlsProxy::plainAndTlsRoutersShareAnEntryPoint()
{
    QFETCH(QString, scheme);
    QFETCH(QString, host);
    QFETCH(QByteArray, status);
    TlsProxyFixture f({ entryPoint(QStringLiteral("web")) }, R"yaml(
http:
  routers:
    plain:
      rule: "Host(`plain.localhost`)"
      service: app
    secure:
      rule: "Host(`secure.localhost`)"
      service: app
      tls: {}
  services:
    app:
      loadBalancer:
        servers: [{url: "%UPSTREAM%"}]
)yaml");
    QVERIFY(f.ok());
    const auto r = f.curl(scheme, host, QStringLiteral("web"));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(statusOf(r.out) == status, r.out.constData());
    if (status == "200")
        QVERIFY(r.out.contains(QByteArray("proto=") + scheme.toLatin1()));
}

void tst_TlsProxy::plainHttpOnTlsOnlyEntryPoint()
{
    // Traefik answers plain HTTP on a TLS entry point from its (empty) plain router set: 404.
    TlsProxyFixture f({ entryPoint(QStringLiteral("websecure"), true) }, kRoutes);
    QVERIFY(f.ok());
    const auto r = f.curl(
        QStringLiteral("http"), QStringLiteral("app.localhost"), QStringLiteral("websecure"));
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("HTTP/1.1 404"), r.out.constData());
    QVERIFY(r.out.endsWith("404 page not found\n"));
}

void tst_TlsProxy::garbageAndStalledHandshakesAreClosed()
{
    auto ep = entryPoint(QStringLiteral("websecure"), true);
    ep.respondingTimeouts.readTimeout = std::chrono::milliseconds(300);
    TlsProxyFixture f({ ep }, kRoutes);
    QVERIFY(f.ok());
    for (const QByteArray &bytes :
        { QByteArray("\x16\x03\x01\x00\x05garbage-not-a-hello", 24), QByteArray("\x16\x03", 2) }) {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, f.port(QStringLiteral("websecure")));
        QVERIFY(s.waitForConnected(3000));
        s.write(bytes);
        // A bad record gets an alert and a close; a stalled hello is closed by the timeout.
        QVERIFY(testkit::waitUntil(
            [&] { return s.state() == QAbstractSocket::UnconnectedState; }, 5000));
        QVERIFY(!s.readAll().contains("HTTP/1.1"));
    }
}

void tst_TlsProxy::entryPointRedirection_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("status");
    // Traefik's redirect rule with permanent (the default of entry-point redirections).
    QTest::newRow("GET: 301") << QByteArray("GET") << QByteArray("301");
    QTest::newRow("POST: 308") << QByteArray("POST") << QByteArray("308");
}

void tst_TlsProxy::entryPointRedirection()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, status);
    auto web = entryPoint(QStringLiteral("web"));
    web.redirection = config::EntryPointSpec::Redirection {};
    web.redirection->to = QStringLiteral("websecure");
    TlsProxyFixture f({ web, entryPoint(QStringLiteral("websecure"), true) }, kRoutes);
    QVERIFY(f.ok());
    const auto r
        = f.curl(QStringLiteral("http"), QStringLiteral("app.localhost"), QStringLiteral("web"),
            QStringLiteral("/a/b?c=d"), { QStringLiteral("-X"), QString::fromLatin1(method) });
    QVERIFY2(r.exitCode == 0, r.err.constData());
    QVERIFY2(r.out.startsWith("HTTP/1.1 " + status), r.out.constData());
    const QByteArray location = QByteArray("Location: https://app.localhost:")
        + QByteArray::number(f.port(QStringLiteral("websecure"))) + "/a/b?c=d";
    QVERIFY2(r.out.contains(location), r.out.constData());
    QVERIFY(f.state().routers.count(QStringLiteral("web-to-websecure@internal")));
    // Following it lands on the TLS entry point with a trusted leaf.
    const auto followed = f.curl(QStringLiteral("http"), QStringLiteral("app.localhost"),
        QStringLiteral("web"), QStringLiteral("/a"),
        { QStringLiteral("-L"), QStringLiteral("--resolve"),
            QStringLiteral("app.localhost:%1:127.0.0.1")
                .arg(f.port(QStringLiteral("websecure"))) });
    QVERIFY2(followed.out.contains("GET /a proto=https"), followed.out + followed.err);
}

void tst_TlsProxy::userCertificateWins()
{
    QTemporaryDir dir;
    const QString cert = dir.filePath(QStringLiteral("user.pem"));
    const QString key = dir.filePath(QStringLiteral("user-key.pem"));
    const auto made = run(QStringLiteral("openssl"),
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
            QStringLiteral("/CN=user-provided"), QStringLiteral("-addext"),
            QStringLiteral("subjectAltName=DNS:app.localhost,DNS:*.mine.test"),
            QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert });
    QVERIFY2(made.exitCode == 0, made.err.constData());
    TlsProxyFixture f({ entryPoint(QStringLiteral("websecure"), true) },
        kRoutes
            + QStringLiteral("tls:\n  certificates:\n    - certFile: %1\n      keyFile: %2\n")
                  .arg(cert, key)
                  .toUtf8());
    QVERIFY(f.ok());
    QVERIFY(f.state().errors.empty());
    const quint16 port = f.port(QStringLiteral("websecure"));
    QCOMPARE(subjectLine(sClient(port, QStringLiteral("app.localhost"), {}).out),
        QByteArray("subject=CN = user-provided"));
    QCOMPARE(subjectLine(sClient(port, QStringLiteral("a.mine.test"), {}).out),
        QByteArray("subject=CN = user-provided"));
    // Names it does not cover still get the local CA's leaf (a wildcard covers one label).
    QCOMPARE(subjectLine(sClient(port, QStringLiteral("a.b.mine.test"), {}).out),
        QByteArray("subject=O = Portico development certificate, CN = a.b.mine.test"));
    QCOMPARE(subjectLine(sClient(port, QStringLiteral("shop.test"), {}).out),
        QByteArray("subject=O = Portico development certificate, CN = shop.test"));
}

void tst_TlsProxy::caRotationReachesTheRunningProxy()
{
    TlsProxyFixture f({ entryPoint(QStringLiteral("websecure"), true) }, kRoutes);
    QVERIFY(f.ok());
    const auto get = [&] {
        return f.curl(
            QStringLiteral("https"), QStringLiteral("app.localhost"), QStringLiteral("websecure"));
    };
    const auto before = get();
    QVERIFY2(before.exitCode == 0, before.err.constData());
    QFile oldCa(f.caPath());
    QVERIFY(oldCa.open(QIODevice::ReadOnly));
    const QByteArray oldPem = oldCa.readAll();

    // `portico ca rotate` in another process does exactly this to the CA directory.
    QSignalSpy changed(f.server().leafService(), &tls::LeafService::caChanged);
    auto ca = tls::LocalCa::loadExisting(QFileInfo(f.caPath()).path(), {});
    QVERIFY(ca.ok());
    QVERIFY(ca->rotate().ok());
    QVERIFY(changed.wait(5000));

    // The cached leaf of the old root is gone: the name gets a leaf of the new one.
    const auto after = get();
    QVERIFY2(after.exitCode == 0, after.err.constData());
    QVERIFY(statusOf(after.out) == "200");
    QTemporaryDir dir;
    const QString oldCaFile = dir.filePath(QStringLiteral("old-ca.pem"));
    QFile write(oldCaFile);
    QVERIFY(write.open(QIODevice::WriteOnly));
    write.write(oldPem);
    write.close();
    const auto withOldCa = f.curl(QStringLiteral("https"), QStringLiteral("app.localhost"),
        QStringLiteral("websecure"), QStringLiteral("/"),
        { QStringLiteral("--cacert"), oldCaFile });
    QVERIFY2(withOldCa.exitCode == 60, withOldCa.err.constData()); // CURLE_PEER_FAILED_VERIFICATION
}

void tst_TlsProxy::badCertificateFileIsReported()
{
    TlsProxyFixture f({ entryPoint(QStringLiteral("websecure"), true) },
        kRoutes
            + "tls:\n  certificates:\n    - certFile: /nonexistent/cert.pem\n"
              "      keyFile: /nonexistent/key.pem\n");
    QVERIFY(f.ok());
    QCOMPARE(f.state().errors.size(), size_t(1));
    const QString message = f.state().errors.front().toString();
    QVERIFY2(message.contains(QLatin1String("tls.certificates[0]"))
            && message.contains(QLatin1String("cannot load the certificate"))
            && message.contains(QLatin1String("/nonexistent/cert.pem")),
        qPrintable(message));
    const auto r = f.curl(
        QStringLiteral("https"), QStringLiteral("app.localhost"), QStringLiteral("websecure"));
    QVERIFY2(statusOf(r.out) == "200", r.out + r.err);
}

void tst_TlsProxy::tlsOptionsPerRouter()
{
    TlsProxyFixture f({ entryPoint(QStringLiteral("websecure"), true) }, R"yaml(
http:
  routers:
    modern:
      rule: "Host(`modern.localhost`)"
      service: app
      tls: {options: tls13}
    classic:
      rule: "Host(`classic.localhost`)"
      service: app
  services:
    app:
      loadBalancer:
        servers: [{url: "%UPSTREAM%"}]
tls:
  options:
    tls13:
      minVersion: VersionTLS13
)yaml");
    QVERIFY(f.ok());
    const quint16 port = f.port(QStringLiteral("websecure"));
    const QStringList tls12 { QStringLiteral("-tls1_2") };
    QVERIFY(sClient(port, QStringLiteral("classic.localhost"), tls12).exitCode == 0);
    QVERIFY(sClient(port, QStringLiteral("modern.localhost"), tls12).exitCode != 0);
    QVERIFY(
        sClient(port, QStringLiteral("modern.localhost"), { QStringLiteral("-tls1_3") }).exitCode
        == 0);
    // An unknown options name disables the router, as Traefik does.
    f.reload(R"yaml(
http:
  routers:
    typo:
      rule: "Host(`typo.localhost`)"
      service: app
      tls: {options: nope}
  services:
    app:
      loadBalancer:
        servers: [{url: "%UPSTREAM%"}]
)yaml");
    const auto &router = f.state().routers.at(QStringLiteral("typo@file"));
    QCOMPARE(router.status, control::Status::Disabled);
    QVERIFY(
        router.errors.front().message.contains(QLatin1String("unknown TLS options: nope@file")));
}

void tst_TlsProxy::chromiumTrustsTheLeaf()
{
    if (!hasTool("chromium") || !hasTool("certutil"))
        QSKIP("chromium and certutil (libnss3-tools) are needed");
    TlsProxyFixture f({ entryPoint(QStringLiteral("websecure"), true) }, kRoutes);
    QVERIFY(f.ok());
    f.upstream().setHandler([](const testkit::ReceivedRequest &r, QTcpSocket *socket) {
        testkit::HttpServer::respond(socket, 200,
            "<html><body><p id=\"x\">served over " + r.headers.value("X-Forwarded-Proto")
                + "</p></body></html>",
            contentType("text/html"));
    });
    QTemporaryDir home;
    const QString nss = home.filePath(QStringLiteral(".pki/nssdb"));
    QVERIFY(QDir().mkpath(nss));
    QCOMPARE(run(QStringLiteral("certutil"),
                 { QStringLiteral("-d"), QStringLiteral("sql:") + nss, QStringLiteral("-N"),
                     QStringLiteral("--empty-password") })
                 .exitCode,
        0);
    QCOMPARE(run(QStringLiteral("certutil"),
                 { QStringLiteral("-d"), QStringLiteral("sql:") + nss, QStringLiteral("-A"),
                     QStringLiteral("-t"), QStringLiteral("C,,"), QStringLiteral("-n"),
                     QStringLiteral("portico-ca"), QStringLiteral("-i"), f.caPath() })
                 .exitCode,
        0);
    const auto r = run(QStringLiteral("chromium"),
        { QStringLiteral("--headless=new"), QStringLiteral("--no-sandbox"),
            QStringLiteral("--disable-gpu"), QStringLiteral("--disable-quic"),
            QStringLiteral("--no-first-run"), QStringLiteral("--disable-background-networking"),
            QStringLiteral("--disable-component-update"), QStringLiteral("--disable-sync"),
            QStringLiteral("--user-data-dir=") + home.filePath(QStringLiteral("ud")),
            QStringLiteral("--dump-dom"),
            QStringLiteral("https://app.localhost:%1/").arg(f.port(QStringLiteral("websecure"))) },
        {}, 60000, { QStringLiteral("HOME=") + home.path() });
    QVERIFY2(r.out.contains("served over https"), r.out + r.err.right(2000));
}

QTEST_GUILESS_MAIN(tst_TlsProxy)
#include "tst_tls_proxy.moc"
