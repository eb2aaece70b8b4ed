// The real `portico` binary as a user drives it: aliases that survive a restart, pausing with the
// paused page, `portico run` with a child that reads PORT, and the hosts file's managed block.
#include "tests/app/portico_process.h"
#include "tests/testkit/wait.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;
using testkit::PorticoProcess;

namespace {

/// A backend that answers every GET with `hello from <tag> <PORTICO_URL>`, and exits with code 3
/// on `/quit`. Binds $PORT when set (portico run), else a free port it prints.
const char *const kServer = R"(import http.server, os, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("hello from " + sys.argv[1] + " " + os.environ.get("PORTICO_URL", "")).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if self.path == "/quit":
            os._exit(3)
    def log_message(self, *args):
        pass
s = http.server.HTTPServer((os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "0"))), H)
print("port", s.server_address[1], flush=True)
s.serve_forever()
)";

/// (status, body) of `curl http://HOST:PORT/PATH` resolved to 127.0.0.1 (.localhost names do not
/// resolve through glibc here; docs/testing-here.md).
QPair<int, QByteArray> curl(const QString &host, quint16 port,
    const QString &path = QStringLiteral("/"), const QByteArray &accept = "*/*")
{
    QProcess process;
    process.start(QStringLiteral("curl"),
        { QStringLiteral("-s"), QStringLiteral("-H"),
            QStringLiteral("Accept: ") + QString::fromLatin1(accept), QStringLiteral("-w"),
            QStringLiteral("\n%{http_code}"), QStringLiteral("--resolve"),
            QStringLiteral("%1:%2:127.0.0.1").arg(host).arg(port),
            QStringLiteral("http://%1:%2%3").arg(host).arg(port).arg(path) });
    process.waitForFinished(10000);
    const QByteArray out = process.readAllStandardOutput();
    const qsizetype split = out.lastIndexOf('\n');
    return { out.mid(split + 1).toInt(), out.left(split) };
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_StateCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void verbsNeedARunningInstance();
    void aliasPauseAndRestart();
    void runRoutesTheChildWhileItLives();
    void hostsBlockIsIdempotentAndRemovable();

private:
    quint16 startServe();
    QString m_script;
    QTemporaryDir m_home;
    std::unique_ptr<PorticoProcess> m_serve;
};

void tst_StateCli::initTestCase()
{
    QVERIFY(m_home.isValid());
    qputenv("PORTICO_HOME", m_home.path().toUtf8());
    m_script = m_home.filePath(QStringLiteral("server.py"));
    QFile script(m_script);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write(kServer);
}

void tst_StateCli::cleanup()
{
    if (m_serve) {
        m_serve->terminate();
        m_serve->waitExit();
        m_serve.reset();
    }
}

quint16 tst_StateCli::startServe()
{
    QFile::remove(m_home.filePath(QStringLiteral("instance.json")));
    m_serve = std::make_unique<PorticoProcess>();
    m_serve->start(
        { QStringLiteral("serve"), QStringLiteral("--entryPoints.web.address=127.0.0.1:0") });
    const quint16 port = m_serve->waitListening(QStringLiteral("web"));
    const bool ready = port != 0
        && testkit::waitUntil(
            [&] { return QFile::exists(m_home.filePath(QStringLiteral("instance.json"))); }, 10000);
    return ready ? port : 0;
}

void tst_StateCli::verbsNeedARunningInstance()
{
    const auto [code, output] = PorticoProcess::run(
        { QStringLiteral("alias"), QStringLiteral("shop"), QStringLiteral("3000") });
    QCOMPARE(code, 1);
    QVERIFY2(output.contains(QLatin1String("portico is not running")), qPrintable(output));
    const auto usage = PorticoProcess::run({ QStringLiteral("alias"), QStringLiteral("shop") });
    QCOMPARE(usage.first, 2);
}

void tst_StateCli::aliasPauseAndRestart()
{
    QProcess backend;
    backend.start(QStringLiteral("python3"), { m_script, QStringLiteral("backend") });
    QVERIFY(testkit::waitUntil([&] { return backend.canReadLine(); }, 10000));
    const QByteArray backendPort = backend.readLine().trimmed().split(' ').last();

    quint16 web = startServe();
    QVERIFY2(web != 0, qPrintable(m_serve->output()));
    auto r = PorticoProcess::run(
        { QStringLiteral("alias"), QStringLiteral("shop"), QString::fromLatin1(backendPort) });
    QVERIFY2(r.first == 0, qPrintable(r.second));
    QVERIFY2(r.second.contains(QStringLiteral("http://shop.localhost:%1").arg(web)),
        qPrintable(r.second));
    QVERIFY(testkit::waitUntil([&] {
        return curl(QStringLiteral("shop.localhost"), web).second.startsWith("hello from backend");
    }));

    r = PorticoProcess::run(
        { QStringLiteral("alias"), QStringLiteral("bad_name"), QStringLiteral("1") });
    QCOMPARE(r.first, 1);
    QVERIFY2(r.second.contains(QLatin1String("invalid name \"bad_name\"")), qPrintable(r.second));

    r = PorticoProcess::run({ QStringLiteral("list"), QStringLiteral("--json") });
    QCOMPARE(r.first, 0);
    QVERIFY2(r.second.contains(QLatin1String("\"name\": \"shop@state\"")), qPrintable(r.second));

    // Paused: the name answers 503 with a page that says so, in HTML and JSON.
    r = PorticoProcess::run({ QStringLiteral("pause"), QStringLiteral("shop") });
    QVERIFY2(r.first == 0, qPrintable(r.second));
    QVERIFY(testkit::waitUntil(
        [&] { return curl(QStringLiteral("shop.localhost"), web).first == 503; }));
    const auto page = curl(QStringLiteral("shop.localhost"), web);
    QVERIFY2(page.second.contains("<h1>shop is paused in Portico</h1>"), page.second.constData());
    QVERIFY(page.second.contains("portico resume shop@state"));
    QVERIFY(curl(QStringLiteral("shop.localhost"), web, QStringLiteral("/"), "application/json")
                .second.contains("\"paused\":true"));
    QVERIFY(
        PorticoProcess::run({ QStringLiteral("list") }).second.contains(QLatin1String("paused")));

    // Paused survives a restart, and so does the alias; resuming serves again.
    cleanup();
    web = startServe();
    QVERIFY2(web != 0, qPrintable(m_serve->output()));
    QVERIFY(testkit::waitUntil(
        [&] { return curl(QStringLiteral("shop.localhost"), web).first == 503; }));
    r = PorticoProcess::run({ QStringLiteral("resume"), QStringLiteral("shop@state") });
    QVERIFY2(r.first == 0, qPrintable(r.second));
    QVERIFY(testkit::waitUntil(
        [&] { return curl(QStringLiteral("shop.localhost"), web).first == 200; }));

    r = PorticoProcess::run({ QStringLiteral("unalias"), QStringLiteral("shop") });
    QCOMPARE(r.first, 0);
    QVERIFY(testkit::waitUntil(
        [&] { return curl(QStringLiteral("shop.localhost"), web).first == 404; }));
    backend.kill();
    backend.waitForFinished();
}

void tst_StateCli::runRoutesTheChildWhileItLives()
{
    const quint16 web = startServe();
    QVERIFY2(web != 0, qPrintable(m_serve->output()));
    PorticoProcess run;
    run.start({ QStringLiteral("run"), QStringLiteral("--name"), QStringLiteral("app"),
        QStringLiteral("--"), QStringLiteral("python3"), m_script, QStringLiteral("run") });
    QByteArray body;
    QVERIFY2(testkit::waitUntil(
                 [&] {
                     body = curl(QStringLiteral("app.localhost"), web).second;
                     return body.startsWith("hello from run");
                 },
                 10000),
        qPrintable(run.output()));
    // The child saw PORTICO_URL pointing at its own route.
    QCOMPARE(body, QStringLiteral("hello from run http://app.localhost:%1").arg(web).toUtf8());
    QVERIFY(
        PorticoProcess::run({ QStringLiteral("list") }).second.contains(QLatin1String("app@run")));

    curl(QStringLiteral("app.localhost"), web, QStringLiteral("/quit")); // the child exits with 3
    QCOMPARE(run.waitExit(), 3);
    QVERIFY(testkit::waitUntil(
        [&] { return curl(QStringLiteral("app.localhost"), web).first == 404; }));
}

void tst_StateCli::hostsBlockIsIdempotentAndRemovable()
{
    // Without an instance the saved aliases name the hosts.
    QFile state(m_home.filePath(QStringLiteral("state.json")));
    QVERIFY(state.open(QIODevice::WriteOnly));
    state.write(R"({"aliases": {"shop.test": "3000", "plain": "3001", "api.shop.test": "3002"}})");
    state.close();
    const QString hosts = m_home.filePath(QStringLiteral("hosts"));
    const QByteArray original
        = "127.0.0.1 localhost\n::1 localhost\n10.0.0.1 nas"; // no final newline
    QFile file(hosts);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(original);
    file.close();
    qputenv("PORTICO_HOSTS_FILE", hosts.toUtf8());

    auto r = PorticoProcess::run({ QStringLiteral("hosts"), QStringLiteral("sync") });
    QVERIFY2(r.first == 0, qPrintable(r.second));
    const QByteArray synced = readAll(hosts);
    QVERIFY(synced.startsWith(original + '\n'));
    QVERIFY(synced.contains("# BEGIN portico"));
    QVERIFY(synced.contains("\n127.0.0.1 api.shop.test\n::1 api.shop.test\n127.0.0.1 "
                            "shop.test\n::1 shop.test\n# END portico\n"));
    QVERIFY(!synced.contains("plain")); // plain.localhost resolves without help

    r = PorticoProcess::run({ QStringLiteral("hosts"), QStringLiteral("sync") });
    QCOMPARE(r.first, 0);
    QVERIFY2(r.second.contains(QLatin1String("up to date")), qPrintable(r.second));
    QCOMPARE(readAll(hosts), synced);

    r = PorticoProcess::run({ QStringLiteral("hosts"), QStringLiteral("clean") });
    QCOMPARE(r.first, 0);
    QCOMPARE(readAll(hosts), original + '\n');
    r = PorticoProcess::run({ QStringLiteral("hosts"), QStringLiteral("clean") });
    QVERIFY(r.second.contains(QLatin1String("up to date")));

    // An unwritable file (a directory in its place also fails as root) says what to run.
    QFile::remove(hosts);
    QDir().mkpath(hosts);
    qputenv("PORTICO_HOSTS_FILE", (hosts + QStringLiteral("/")).toUtf8());
    r = PorticoProcess::run({ QStringLiteral("hosts"), QStringLiteral("clean") });
    qunsetenv("PORTICO_HOSTS_FILE");
    QCOMPARE(r.first, 1);
    QVERIFY2(r.second.contains(QLatin1String("cannot read")), qPrintable(r.second));
}

QTEST_GUILESS_MAIN(tst_StateCli)
#include "tst_state_cli.moc"
