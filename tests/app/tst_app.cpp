#include "tests/app/portico_process.h"
#include "tests/testkit/http_server.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <unistd.h>

using namespace portico;
using portico::testkit::PorticoProcess;

namespace {

/// A keep-alive backend answering `ok`, or for `/slow` after `slowMs` (counted in slowRequests).
struct Backend
{
    Backend()
        : server([this](const testkit::ReceivedRequest &request, QTcpSocket *socket) {
            if (request.target != "/slow") {
                testkit::HttpServer::respond(socket, 200, "ok");
                return;
            }
            ++slowRequests;
            QTimer::singleShot(
                slowMs, socket, [socket] { testkit::HttpServer::respond(socket, 200, "ok"); });
        })
    {
        server.listen();
    }
    quint16 port() const { return server.port(); }

    int slowMs = 400;
    int slowRequests = 0;
    testkit::HttpServer server;
};

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(content);
    return path;
}

/// Replaces a file the way editors do: write a temporary file, then rename it over the target.
void replaceFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString temp = writeFile(dir, name + QStringLiteral(".tmp"), content);
    ::rename(
        QFile::encodeName(temp).constData(), QFile::encodeName(dir.filePath(name)).constData());
}

QByteArray routes(quint16 backend, int extraRouters)
{
    QByteArray yaml = "http:\n  services:\n    backend:\n      loadBalancer:\n        servers:\n"
                      "          - url: http://127.0.0.1:"
        + QByteArray::number(backend)
        + "\n  routers:\n    main: {rule: \"PathPrefix(`/`)\", service: backend}\n";
    for (int i = 1; i <= extraRouters; ++i)
        yaml += "    r" + QByteArray::number(i) + ": {rule: \"Host(`r" + QByteArray::number(i)
            + ".localhost`)\", service: backend}\n";
    return yaml;
}

/// `curl -s -o /dev/null -w %{http_code}` with a Host header; returns the status (0 on failure).
int curlStatus(quint16 port, const QByteArray &host, const QString &path = QStringLiteral("/"))
{
    QProcess curl;
    curl.start(QStringLiteral("curl"),
        { QStringLiteral("-s"), QStringLiteral("-o"), QStringLiteral("/dev/null"),
            QStringLiteral("-w"), QStringLiteral("%{http_code}"), QStringLiteral("-H"),
            QStringLiteral("Host: ") + QString::fromLatin1(host),
            QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path) });
    while (!curl.waitForFinished(10))
        QCoreApplication::processEvents();
    return curl.readAllStandardOutput().toInt();
}

/// Starts `portico serve` on a free loopback port with `dir` as its file provider and waits until
/// the `main` router answers; returns the port, or 0 when that did not happen.
quint16 serveDirectory(PorticoProcess &portico, const QTemporaryDir &dir)
{
    portico.start(
        { QStringLiteral("serve"), QStringLiteral("--entryPoints.web.address=127.0.0.1:0"),
            QStringLiteral("--providers.file.directory=") + dir.path() });
    const quint16 port = portico.waitListening(QStringLiteral("web"));
    // Polled from here, not from inside waitUntil's timer: curlStatus runs the event loop itself
    // (the backend answers from this thread), and a loop nested in a timer callback may not
    // deliver the backend's socket events.
    QDeadlineTimer deadline(10000);
    while (port != 0 && !deadline.hasExpired()) {
        if (curlStatus(port, "main.localhost") == 200)
            return port;
    }
    return 0;
}

} // namespace

class tst_App : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void helpAndUnknownVerb();
    void checkReportsEveryErrorWithPosition();
    void checkAcceptsValidConfig();
    void serveDefaultsTo404AndStopsOnSigterm();
    void addressInUseExplainsTheFix();
    void privilegedPortExplainsTheFix();
    void configuredButNotYetEffectiveSectionsAreNamed();
    void reloadUnderLoadLosesNoRequest();
    void shutdownFinishesInFlightRequests();
    void serveMapsNoGuiLibrary();
    void guiWithoutTheDesktopAppSaysSo();
};

void tst_App::helpAndUnknownVerb()
{
    const auto help = PorticoProcess::run({ QStringLiteral("help") });
    QCOMPARE(help.first, 0);
    QVERIFY(help.second.contains(QStringLiteral("portico serve")));
    const auto bogus = PorticoProcess::run({ QStringLiteral("bogus") });
    QCOMPARE(bogus.first, 2);
    QVERIFY(bogus.second.contains(QStringLiteral("unknown command \"bogus\"")));
}

void tst_App::checkReportsEveryErrorWithPosition()
{
    QTemporaryDir dir;
    const QString dyn = writeFile(dir, QStringLiteral("dyn.yaml"),
        "http:\n"
        "  routers:\n"
        "    bad:\n"
        "      rule: \"Hots(`a.localhost`)\"\n"
        "      service: svc\n"
        "    orphan: {rule: \"Path(`/`)\", service: nope}\n"
        "  services:\n"
        "    svc: {loadBalancer: {servers: [{url: \"http://127.0.0.1:1\"}]}}\n");
    const QString conf = writeFile(dir, QStringLiteral("static.yaml"),
        "entryPoints:\n  web: {address: \"127.0.0.1:0\"}\nproviders:\n  file:\n    filename: "
            + dyn.toUtf8() + "\n");
    const auto [code, output]
        = PorticoProcess::run({ QStringLiteral("check"), QStringLiteral("--config"), conf });
    QCOMPARE(code, 1);
    QVERIFY2(output.contains(dyn + QStringLiteral(":4:")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("did you mean \"Host\"?")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("the service \"nope@file\" does not exist")),
        qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("2 error(s)")), qPrintable(output));

    const QString badStatic = writeFile(
        dir, QStringLiteral("bad-static.yaml"), "entryPoints:\n  web: {adress: \":80\"}\n");
    const auto [code2, output2]
        = PorticoProcess::run({ QStringLiteral("check"), QStringLiteral("--config"), badStatic });
    QCOMPARE(code2, 1);
    QVERIFY2(output2.contains(QStringLiteral("did you mean \"address\"?")), qPrintable(output2));
}

void tst_App::checkAcceptsValidConfig()
{
    QTemporaryDir dir;
    const QString dyn = writeFile(dir, QStringLiteral("dyn.yaml"), routes(8080, 1));
    const auto [code, output] = PorticoProcess::run(
        { QStringLiteral("check"), QStringLiteral("--entryPoints.web.address=127.0.0.1:0"),
            QStringLiteral("--providers.file.filename=") + dyn });
    QVERIFY2(code == 0, qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("r1@file [enabled] Host(`r1.localhost`)")),
        qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("configuration OK")), qPrintable(output));
}

void tst_App::serveDefaultsTo404AndStopsOnSigterm()
{
    PorticoProcess portico;
    portico.start(
        { QStringLiteral("serve"), QStringLiteral("--entryPoints.web.address=127.0.0.1:0") });
    const quint16 port = portico.waitListening(QStringLiteral("web"));
    QVERIFY2(port != 0, qPrintable(portico.output()));
    QCOMPARE(curlStatus(port, "anything.localhost"), 404);
    portico.terminate();
    QCOMPARE(portico.waitExit(), 0);
    QVERIFY2(portico.output().contains(QStringLiteral("SIGTERM received")),
        qPrintable(portico.output()));
}

void tst_App::addressInUseExplainsTheFix()
{
    QTcpServer occupant;
    QVERIFY(occupant.listen(QHostAddress::LocalHost, 0));
    const auto [code, output] = PorticoProcess::run({ QStringLiteral("serve"),
        QStringLiteral("--entryPoints.web.address=127.0.0.1:%1").arg(occupant.serverPort()) });
    QCOMPARE(code, 1);
    QVERIFY2(output.contains(QStringLiteral("address already in use")), qPrintable(output));
}

void tst_App::privilegedPortExplainsTheFix()
{
    if (::geteuid() != 0)
        QSKIP("needs root to drop to an unprivileged user with setpriv");
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("setpriv"),
        { QStringLiteral("--reuid=65534"), QStringLiteral("--regid=65534"),
            QStringLiteral("--clear-groups"), QStringLiteral("--inh-caps=-all"),
            QStringLiteral(PORTICO_BINARY), QStringLiteral("serve") });
    QVERIFY(p.waitForFinished(15000));
    const QString output = QString::fromUtf8(p.readAll());
    QCOMPARE(p.exitCode(), 1);
    QVERIFY2(output.contains(QStringLiteral("permission denied")), qPrintable(output));
    QVERIFY2(output.contains(QStringLiteral("setcap")), qPrintable(output));
}

void tst_App::configuredButNotYetEffectiveSectionsAreNamed()
{
    QTemporaryDir dir;
    const QString conf = writeFile(dir, QStringLiteral("static.yaml"),
        "entryPoints:\n  web: {address: \"127.0.0.1:0\"}\naccessLog: {}\napi: {}\n");
    PorticoProcess portico;
    portico.start({ QStringLiteral("serve"), QStringLiteral("--config"), conf });
    QVERIFY2(portico.waitListening(QStringLiteral("web")) != 0, qPrintable(portico.output()));
    QTRY_VERIFY_WITH_TIMEOUT(
        portico.output().contains(QStringLiteral("note: api.dashboard is valid")), 5000);
    QVERIFY2(!portico.output().contains(QStringLiteral("note: accessLog")),
        qPrintable(portico.output())); // written since the inspector landed
    portico.terminate();
    QCOMPARE(portico.waitExit(), 0);
}

void tst_App::reloadUnderLoadLosesNoRequest()
{
    Backend backend;
    QTemporaryDir dir;
    writeFile(dir, QStringLiteral("routes.yaml"), routes(backend.port(), 0));
    PorticoProcess portico;
    const quint16 port = serveDirectory(portico, dir);
    QVERIFY2(port != 0, qPrintable(portico.output()));

    QProcess wrk;
    wrk.setProcessChannelMode(QProcess::MergedChannels);
    wrk.start(QStringLiteral("wrk"),
        { QStringLiteral("-t1"), QStringLiteral("-c20"), QStringLiteral("-d4s"),
            QStringLiteral("http://127.0.0.1:%1/").arg(port) });
    QVERIFY(wrk.waitForStarted());
    // Each edit adds a router; wait until it serves before the next one, so every reload counts.
    for (int i = 1; i <= 8 && wrk.state() == QProcess::Running; ++i) {
        replaceFile(dir, QStringLiteral("routes.yaml"), routes(backend.port(), i));
        const QByteArray host = "r" + QByteArray::number(i) + ".localhost";
        QTRY_COMPARE_WITH_TIMEOUT(curlStatus(port, host), 200, 5000);
    }
    QVERIFY(wrk.state() == QProcess::Running); // the reloads happened under load
    QTRY_VERIFY_WITH_TIMEOUT(wrk.state() == QProcess::NotRunning, 15000);
    const QString report = QString::fromUtf8(wrk.readAll());
    QVERIFY2(report.contains(QStringLiteral("requests in")), qPrintable(report));
    QVERIFY2(!report.contains(QStringLiteral("Non-2xx")), qPrintable(report));
    QVERIFY2(!report.contains(QStringLiteral("Socket errors")), qPrintable(report));
    portico.terminate();
    QCOMPARE(portico.waitExit(), 0);
}

void tst_App::shutdownFinishesInFlightRequests()
{
    Backend backend;
    backend.slowMs = 700;
    QTemporaryDir dir;
    writeFile(dir, QStringLiteral("routes.yaml"), routes(backend.port(), 0));
    PorticoProcess portico;
    const quint16 port = serveDirectory(portico, dir);
    QVERIFY2(port != 0, qPrintable(portico.output()));

    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(client.waitForConnected(5000));
    client.write("GET /slow HTTP/1.1\r\nHost: main.localhost\r\n\r\n");
    QVERIFY(client.waitForBytesWritten(5000));
    // The signal arrives while the request waits at the backend.
    QTRY_COMPARE_WITH_TIMEOUT(backend.slowRequests, 1, 5000);
    portico.terminate();
    QByteArray response;
    QTRY_VERIFY_WITH_TIMEOUT((response += client.readAll()).endsWith("ok"), 10000);
    QVERIFY(response.startsWith("HTTP/1.1 200"));
    QCOMPARE(portico.waitExit(), 0);
}

/// The daemon is its own executable's work: the desktop app lives in portico-gui, so `serve`
/// never maps Qt Gui, Widgets or the X11/GL stack (about 6 MiB of its idle RSS).
void tst_App::serveMapsNoGuiLibrary()
{
#if !defined(Q_OS_LINUX)
    QSKIP("reads /proc/PID/maps");
#else
    PorticoProcess portico;
    portico.start(
        { QStringLiteral("serve"), QStringLiteral("--entryPoints.web.address=127.0.0.1:0") });
    QVERIFY2(portico.waitListening(QStringLiteral("web")) != 0, qPrintable(portico.output()));
    QFile maps(QStringLiteral("/proc/%1/maps").arg(portico.processId()));
    QVERIFY(maps.open(QIODevice::ReadOnly));
    const QByteArray mapped = maps.readAll();
    QVERIFY2(mapped.contains("libQt6Core"), mapped.constData());
    for (const char *library : { "libQt6Gui", "libQt6Widgets", "libX11", "libGL", "libxcb" })
        QVERIFY2(!mapped.contains(library), library);
#endif
}

/// `portico` alone hands over to portico-gui next to it; without one it says what to run instead.
void tst_App::guiWithoutTheDesktopAppSaysSo()
{
    QTemporaryDir dir;
    const QString lonely = dir.filePath(QStringLiteral("portico"));
    QVERIFY(QFile::copy(QStringLiteral(PORTICO_BINARY), lonely));
    for (const QStringList &args : { QStringList {}, QStringList { QStringLiteral("gui") } }) {
        QProcess process;
        process.start(lonely, args);
        QVERIFY(process.waitForFinished(15000));
        const QString err = QString::fromLocal8Bit(process.readAllStandardError());
        QCOMPARE(process.exitCode(), 2);
        QVERIFY2(err.contains(QStringLiteral("the desktop app is not installed")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("portico serve")), qPrintable(err));
    }
}

QTEST_MAIN(tst_App)
#include "tst_app.moc"
