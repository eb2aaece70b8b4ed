// `portico requests` against a real `portico serve`: real traffic, the real CLI binary.
#include "tests/app/portico_process.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/raw_client.h"
#include "tests/testkit/wait.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;
using namespace portico::testkit;

class tst_ObserveApiCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void listsAsJson();
    void filtersAndTable();
    void badFlagsAreUsageErrors();
    void noRedactShowsSecrets();
    void followPrintsNewRequests();

private:
    int send(const QByteArray &host, const QByteArray &target);
    QJsonArray requestsJson(const QStringList &flags);

    QTemporaryDir m_home;
    QByteArray m_oldHome;
    std::unique_ptr<HttpServer> m_backend;
    std::unique_ptr<PorticoProcess> m_portico;
    quint16 m_port = 0;
};

void tst_ObserveApiCli::initTestCase()
{
    m_oldHome = qgetenv("PORTICO_HOME");
    qputenv("PORTICO_HOME", m_home.path().toUtf8());
    m_backend
        = std::make_unique<HttpServer>([](const ReceivedRequest &request, QTcpSocket *socket) {
              const int status
                  = request.target.startsWith("/status/") ? request.target.mid(8).toInt() : 200;
              HttpServer::respond(socket, status, "hello");
          });
    QVERIFY(m_backend->listen());
    const QString routes = m_home.filePath(QStringLiteral("routes.yaml"));
    QFile file(routes);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("http:\n  routers:\n"
               "    shop: {rule: \"Host(`shop.localhost`)\", service: backend}\n"
               "    blog: {rule: \"Host(`blog.localhost`)\", service: backend}\n"
               "  services:\n    backend:\n      loadBalancer:\n        servers:\n"
               "          - url: "
        + m_backend->url().toUtf8() + "\n");
    file.close();
    m_portico = std::make_unique<PorticoProcess>();
    m_portico->start(
        { QStringLiteral("serve"), QStringLiteral("--entryPoints.web.address=127.0.0.1:0"),
            QStringLiteral("--providers.file.filename=") + routes });
    m_port = m_portico->waitListening(QStringLiteral("web"));
    QVERIFY2(m_port != 0, qPrintable(m_portico->output()));
    QVERIFY(waitUntil([&] { return send("shop.localhost", "/warmup") == 200; }, 10000));
    QVERIFY(waitUntil([&] { return send("blog.localhost", "/warmup") == 200; }, 10000));
}

void tst_ObserveApiCli::cleanupTestCase()
{
    if (m_portico) {
        m_portico->terminate();
        m_portico->waitExit();
    }
    qputenv("PORTICO_HOME", m_oldHome);
}

int tst_ObserveApiCli::send(const QByteArray &host, const QByteArray &target)
{
    RawClient client;
    if (!client.connectTo(m_port))
        return 0;
    client.send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    const auto &responses = client.waitForResponses(1);
    return responses.empty() ? 0 : responses.front().status;
}

QJsonArray tst_ObserveApiCli::requestsJson(const QStringList &flags)
{
    const auto [code, output] = PorticoProcess::run(
        QStringList { QStringLiteral("requests"), QStringLiteral("--json") } + flags);
    if (code != 0)
        qWarning().noquote() << output;
    return QJsonDocument::fromJson(output.toUtf8()).array();
}

void tst_ObserveApiCli::noRedactShowsSecrets()
{
    // The API answers redact=0 only with the token; --no-redact makes the CLI ask for it (and
    // the CLI always sends the token from PORTICO_HOME).
    RawClient client;
    QVERIFY(client.connectTo(m_port));
    client.send("GET /with-secret HTTP/1.1\r\nHost: shop.localhost\r\n"
                "Authorization: Bearer cli-secret-42\r\nConnection: close\r\n\r\n");
    QCOMPARE(client.waitForResponses(1).size(), size_t(1));
    QJsonArray records;
    QVERIFY(waitUntil(
        [&] {
            records = requestsJson({ QStringLiteral("--path"), QStringLiteral("/with-secret") });
            return records.size() == 1
                && records.at(0)[QLatin1String("state")].toString() == QLatin1String("complete");
        },
        10000));
    const QByteArray redacted = QJsonDocument(records).toJson();
    QVERIFY2(!redacted.contains("cli-secret-42"), redacted.constData());
    QVERIFY2(redacted.contains("[redacted]"), redacted.constData());
    const QJsonArray shown = requestsJson({ QStringLiteral("--path"),
        QStringLiteral("/with-secret"), QStringLiteral("--no-redact") });
    QCOMPARE(shown.size(), 1);
    const QByteArray text = QJsonDocument(shown).toJson();
    QVERIFY2(text.contains("Bearer cli-secret-42"), text.constData());
}

void tst_ObserveApiCli::listsAsJson()
{
    QCOMPARE(send("shop.localhost", "/json-me"), 200);
    QJsonArray records;
    QVERIFY(waitUntil(
        [&] {
            records = requestsJson({ QStringLiteral("--host"), QStringLiteral("shop"),
                QStringLiteral("--limit"), QStringLiteral("1") });
            return records.size() == 1
                && records.at(0)[QLatin1String("request")][QLatin1String("target")].toString()
                == QLatin1String("/json-me")
                && records.at(0)[QLatin1String("state")].toString() == QLatin1String("complete");
        },
        10000));
    QCOMPARE(records.at(0)[QLatin1String("router")].toString(), QStringLiteral("shop@file"));
}

void tst_ObserveApiCli::filtersAndTable()
{
    QCOMPARE(send("blog.localhost", "/status/502"), 502);
    QCOMPARE(send("shop.localhost", "/status/404"), 404);
    QVERIFY(waitUntil(
        [&] {
            return requestsJson({ QStringLiteral("--status"), QStringLiteral("4xx"),
                                    QStringLiteral("--path"), QStringLiteral("/status/") })
                       .size()
                == 1;
        },
        10000));
    const QJsonArray errors = requestsJson({ QStringLiteral("--status"), QStringLiteral("5xx"),
        QStringLiteral("--router"), QStringLiteral("blog") });
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0)[QLatin1String("response")][QLatin1String("status")].toInt(), 502);
    // The table (stdout is a pipe here: no colours). The warm-up's 404s (before the routes were
    // loaded) are 4xx too, hence --path above.
    const auto [code, table]
        = PorticoProcess::run({ QStringLiteral("requests"), QStringLiteral("--status=5xx") });
    QCOMPARE(code, 0);
    QVERIFY2(table.contains(QLatin1String("METHOD")), qPrintable(table));
    QVERIFY2(table.contains(QLatin1String("blog.localhost/status/502")), qPrintable(table));
    QVERIFY(table.contains(QLatin1String("502")));
    QVERIFY(!table.contains(QLatin1String("/status/404")));
    QVERIFY(!table.contains(QLatin1String("\x1b[")));
}

void tst_ObserveApiCli::badFlagsAreUsageErrors()
{
    const auto [code, output]
        = PorticoProcess::run({ QStringLiteral("requests"), QStringLiteral("--nope") });
    QCOMPARE(code, 2);
    QVERIFY2(output.contains(QLatin1String("--nope")), qPrintable(output));
    const auto [badStatus, message] = PorticoProcess::run(
        { QStringLiteral("requests"), QStringLiteral("--status"), QStringLiteral("oops") });
    QCOMPARE(badStatus, 1);
    QVERIFY2(message.contains(QLatin1String("oops")), qPrintable(message));
}

void tst_ObserveApiCli::followPrintsNewRequests()
{
    QProcess follow;
    follow.setProcessChannelMode(QProcess::MergedChannels);
    follow.start(QStringLiteral(PORTICO_BINARY),
        { QStringLiteral("requests"), QStringLiteral("--follow"), QStringLiteral("--json"),
            QStringLiteral("--host"), QStringLiteral("shop"), QStringLiteral("--limit"),
            QStringLiteral("1") });
    QByteArray output;
    // The backlog line (the newest shop record) shows the stream is subscribed.
    QVERIFY(waitUntil(
        [&] {
            output += follow.readAll();
            return output.count('\n') >= 1;
        },
        10000));
    QCOMPARE(send("blog.localhost", "/followed-not"), 200);
    QCOMPARE(send("shop.localhost", "/followed"), 200);
    QVERIFY2(waitUntil(
                 [&] {
                     output += follow.readAll();
                     return output.contains("/followed\"");
                 },
                 10000),
        output.constData());
    QVERIFY(!output.contains("/followed-not"));
    const QList<QByteArray> lines = output.trimmed().split('\n');
    QCOMPARE(QJsonDocument::fromJson(lines.last()).object()[QLatin1String("state")].toString(),
        QStringLiteral("complete"));
    follow.terminate();
    QVERIFY(follow.waitForFinished(5000));
}

QTEST_GUILESS_MAIN(tst_ObserveApiCli)
#include "tst_observe_api_cli.moc"
