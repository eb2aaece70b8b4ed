// TLS facts of records: version, cipher, handshake time on the connection's first exchange.
#include "core/config/loader.h"
#include "core/control/table_builder.h"
#include "tests/observe_capture/tst_observe_capture.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/wait.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QThread>

using namespace portico;
using namespace portico::testkit;

namespace {

constexpr char kDynamic[] = "http:\n"
                            "  routers:\n"
                            "    app:\n"
                            "      rule: Host(`app.localhost`)\n"
                            "      service: app\n"
                            "      tls: {}\n"
                            "  services:\n"
                            "    app:\n"
                            "      loadBalancer:\n"
                            "        servers:\n"
                            "          - url: %1\n";

/// A TLS entry point with the local CA (issuing on a "control" thread) publishing into a hub.
struct TlsCapture
{
    QTemporaryDir home;
    QThread control;
    observe::CaptureHub hub;
    observe::RecordBatch finished;
    std::unique_ptr<proxy::ProxyServer> server = std::make_unique<proxy::ProxyServer>();
    quint16 port = 0;

    explicit TlsCapture(const QString &upstream)
    {
        QObject::connect(&hub, &observe::CaptureHub::exchangesFinished, &hub,
            [this](const observe::RecordBatch &b) {
                finished.insert(finished.end(), b.begin(), b.end());
            });
        control.start();
        server->setCaptureHub(&hub);
        if (!server->useLocalCa(home.filePath(QStringLiteral("ca")), &control))
            return;
        config::EntryPointSpec ep = loopbackEntryPoint(QStringLiteral("websecure"));
        ep.tls = config::RouterTlsSpec {};
        ep.asDefault = true;
        if (!server->listen({ ep }, {}, 1))
            return;
        ep.port = port = server->port(ep.name);
        const QByteArray yaml = QString::fromLatin1(kDynamic).arg(upstream).toUtf8();
        const control::TableBuilder builder({ ep });
        server->setRoutingTable(
            builder
                .build({ { QStringLiteral("file"),
                           config::parseDynamicConfig(yaml, QStringLiteral("dyn.yaml")) } },
                    1)
                .table);
    }
    ~TlsCapture()
    {
        server.reset(); // engines first: the issuer lives on `control`
        control.quit();
        control.wait();
    }
};

} // namespace

void tst_ObserveCapture::tlsFacts_data()
{
    QTest::addColumn<QString>("httpFlag");
    QTest::addColumn<int>("protocol");
    QTest::newRow("http/1.1") << QStringLiteral("--http1.1") << int(observe::Protocol::Http1);
    QTest::newRow("h2 by alpn") << QStringLiteral("--http2") << int(observe::Protocol::Http2);
}

void tst_ObserveCapture::tlsFacts()
{
    QFETCH(QString, httpFlag);
    QFETCH(int, protocol);
    HttpServer backend(echoHandler());
    QVERIFY(backend.listen());
    TlsCapture f(backend.url());
    QVERIFY(f.port != 0);
    const QString authority = QStringLiteral("app.localhost:%1").arg(f.port);
    QProcess curl;
    // Two URLs on one command line: curl reuses the connection for the second.
    curl.start(QStringLiteral("curl"),
        { QStringLiteral("-sS"), httpFlag, QStringLiteral("--cacert"),
            f.home.filePath(QStringLiteral("ca/ca.pem")), QStringLiteral("--resolve"),
            authority + QStringLiteral(":127.0.0.1"),
            QStringLiteral("https://%1/one").arg(authority),
            QStringLiteral("https://%1/two").arg(authority) });
    QVERIFY(waitUntil([&] { return curl.state() == QProcess::NotRunning; }, 30000));
    QVERIFY2(curl.exitCode() == 0, curl.readAllStandardError().constData());
    QVERIFY(waitUntil([&] { return f.finished.size() >= 2; }));
    const observe::ExchangeRecord &first = *f.finished[0];
    const observe::ExchangeRecord &second = *f.finished[1];
    QCOMPARE(int(first.protocol), protocol);
    QVERIFY(first.tls);
    QCOMPARE(first.scheme, QByteArray("https"));
    QCOMPARE(first.tlsVersion, QByteArray("1.3"));
    QVERIFY2(first.tlsCipher.startsWith("TLS_"), first.tlsCipher.constData());
    QVERIFY(first.timing.clientTls > 0);
    QCOMPARE(first.host, QByteArray("app.localhost"));
    QCOMPARE(first.router, QStringLiteral("app@file"));
    // The same connection: TLS facts again, but the handshake belonged to the first exchange.
    QCOMPARE(second.tlsVersion, QByteArray("1.3"));
    QCOMPARE(second.timing.clientTls, qint64(-1));
    QCOMPARE(second.target, QByteArray("/two"));
}
