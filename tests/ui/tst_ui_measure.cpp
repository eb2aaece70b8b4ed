// Issue 6's measurable promises, on the real binary: the event-loop probe the benchmarks read
// (tests/bench/ui_flood.sh, ui_idle.sh) and "idle CPU ~ 0": a process left alone does not wake
// up (no polling timer in the GUI, the engines, the control thread or the CA watcher).
#include "tests/testkit/wait.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <map>

namespace {

/// The environment of a child: offscreen Qt, a private home and instance, maybe the probe.
QProcessEnvironment childEnvironment(const QString &home, const QString &probe = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("PORTICO_HOME"), home);
    env.insert(QStringLiteral("PORTICO_INSTANCE"),
        QStringLiteral("portico-test-") + QUuid::createUuid().toString(QUuid::Id128));
    if (!probe.isEmpty())
        env.insert(QStringLiteral("PORTICO_UI_PROBE"), probe);
    return env;
}

/// `gui` or `serve` with an HTTP and an HTTPS entry point on free ports and one file router.
QStringList arguments(const QString &verb, const QTemporaryDir &dir)
{
    QFile routes(dir.filePath(QStringLiteral("routes.yaml")));
    if (routes.open(QIODevice::WriteOnly))
        routes.write("http:\n  routers:\n    app: {rule: \"Host(`app.localhost`)\", "
                     "service: noop@internal}\n");
    return { verb, QStringLiteral("--entryPoints.web.address=127.0.0.1:0"),
        QStringLiteral("--entryPoints.websecure.address=127.0.0.1:0"),
        QStringLiteral("--providers.file.filename=") + routes.fileName() };
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// Context switches of each thread of `pid` (a thread that sleeps in its event loop has none).
std::map<QString, qint64> contextSwitches(qint64 pid)
{
    std::map<QString, qint64> out;
    const QString task = QStringLiteral("/proc/%1/task").arg(pid);
    for (const QString &tid : QDir(task).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QString name
            = QString::fromUtf8(readFile(task + u'/' + tid + QStringLiteral("/comm")).trimmed());
        const QByteArray status = readFile(task + u'/' + tid + QStringLiteral("/status"));
        static const QRegularExpression switches(QStringLiteral("ctxt_switches:\\s+(\\d+)"));
        qint64 total = 0;
        for (auto it = switches.globalMatch(QString::fromLatin1(status)); it.hasNext();)
            total += it.next().captured(1).toLongLong();
        out[tid + u' ' + name] = total;
    }
    return out;
}

/// CPU time `pid` has used, in clock ticks (proc(5): utime + stime, fields 14 and 15).
qint64 cpuTicks(qint64 pid)
{
    const QByteArray stat = readFile(QStringLiteral("/proc/%1/stat").arg(pid));
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    return fields.size() > 12 ? fields[11].toLongLong() + fields[12].toLongLong() : -1;
}

/// Whether `pid` has a child process running (the certificates page asks keytool, a JVM).
bool hasChildren(qint64 pid)
{
    const QString task = QStringLiteral("/proc/%1/task").arg(pid);
    for (const QString &tid : QDir(task).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (!readFile(task + u'/' + tid + QStringLiteral("/children")).trimmed().isEmpty())
            return true;
    }
    return false;
}

/// Waits until `pid` used no CPU for `quietMs` and runs no child: its start-up work (providers,
/// the CA, the history database, the certificates page's trust-store checks) is done.
bool waitQuiet(qint64 pid, int quietMs = 600, int timeoutMs = 20000)
{
    QElapsedTimer total, quiet;
    total.start();
    quiet.start();
    qint64 last = cpuTicks(pid);
    while (total.elapsed() < timeoutMs) {
        QTest::qWait(50);
        const qint64 now = cpuTicks(pid);
        if (now != last || hasChildren(pid)) {
            last = now;
            quiet.restart();
        } else if (quiet.elapsed() >= quietMs) {
            return true;
        }
    }
    return false;
}

/// Starts a child and waits until it is up (`serve`: listening; `gui`: window painted).
bool startChild(QProcess &child, const QString &verb, const QTemporaryDir &dir,
    const QProcessEnvironment &env, QString *output)
{
    child.setProcessEnvironment(env);
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(QStringLiteral(PORTICO_BINARY), arguments(verb, dir));
    const QString ready = verb == u"gui" ? QStringLiteral("window visible")
                                         : QStringLiteral("entry point \"websecure\" listening");
    portico::testkit::waitUntil(
        [&] {
            *output += QString::fromLocal8Bit(child.readAll());
            return output->contains(ready) || child.state() == QProcess::NotRunning;
        },
        20000);
    return child.state() == QProcess::Running && output->contains(ready);
}

} // namespace

class tst_UiMeasure : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void probeWritesSamplesFirstPaintAndSummary();
    void idleProcessDoesNotWakeUp_data();
    void idleProcessDoesNotWakeUp();
};

void tst_UiMeasure::probeWritesSamplesFirstPaintAndSummary()
{
    QTemporaryDir dir;
    const QString probe = dir.filePath(QStringLiteral("probe.txt"));
    QProcess gui;
    QString output;
    QVERIFY2(
        startChild(gui, QStringLiteral("gui"), dir, childEnvironment(dir.path(), probe), &output),
        qPrintable(output));
    // 10 ms samples: wait for a few dozen, then quit as the desktop does.
    QVERIFY(
        portico::testkit::waitUntil([&] { return readFile(probe).count("\nL ") >= 30; }, 15000));
    gui.terminate();
    QVERIFY(gui.waitForFinished(15000));
    QCOMPARE(gui.exitCode(), 0);

    const QList<QByteArray> lines = readFile(probe).split('\n');
    const QByteArray paint = [&] {
        for (const QByteArray &line : lines) {
            if (line.startsWith("P "))
                return line;
        }
        return QByteArray();
    }();
    const QList<QByteArray> fields = paint.split(' ');
    QVERIFY2(fields.size() == 3, paint.constData());
    QVERIFY(fields[1].toLongLong() > 1'600'000'000'000LL); // an epoch in ms
    QVERIFY2(fields[2].toLongLong() >= 0 && fields[2].toLongLong() < 60000, paint.constData());
    const QRegularExpression summary(
        QStringLiteral("^S n=(\\d+) p50_us=(\\d+) p99_us=(\\d+) max_us=(\\d+)$"));
    const auto match = summary.match(QString::fromLatin1(lines.value(lines.size() - 2)));
    QVERIFY2(match.hasMatch(), lines.value(lines.size() - 2).constData());
    QVERIFY(match.captured(1).toInt() >= 30);
    QVERIFY(match.captured(2).toLongLong() <= match.captured(3).toLongLong());
    QVERIFY(match.captured(3).toLongLong() <= match.captured(4).toLongLong());
    QVERIFY(lines.first().startsWith("M ")); // RSS at start
}

void tst_UiMeasure::idleProcessDoesNotWakeUp_data()
{
    QTest::addColumn<QString>("verb");
    QTest::addColumn<bool>("touchCaDirectory");
    QTest::newRow("serve, http and https entry points") << QStringLiteral("serve") << false;
    QTest::newRow("serve, after the CA directory's attributes changed")
        << QStringLiteral("serve") << true;
    QTest::newRow("gui offscreen, window open") << QStringLiteral("gui") << false;
}

void tst_UiMeasure::idleProcessDoesNotWakeUp()
{
#if !defined(Q_OS_LINUX)
    QSKIP("counts context switches in /proc");
#endif
    QFETCH(QString, verb);
    QFETCH(bool, touchCaDirectory);
    QTemporaryDir dir;
    QProcess child;
    QString output;
    QVERIFY2(
        startChild(child, verb, dir, childEnvironment(dir.path()), &output), qPrintable(output));
    if (touchCaDirectory) {
        // An attribute change the CA watcher reports (as `portico trust` or a backup tool would
        // cause); reloading must not cause another one.
        const QString ca = dir.filePath(QStringLiteral("ca"));
        QVERIFY(portico::testkit::waitUntil([&] { return QFile::exists(ca); }, 5000));
        QVERIFY(QFile::setPermissions(ca, QFile::permissions(ca)));
    }
    QVERIFY2(waitQuiet(child.processId()), "the process never went quiet");
    // Left alone for a measuring window (not a synchronisation).
    const auto before = contextSwitches(child.processId());
    QTest::qWait(2000);
    const auto after = contextSwitches(child.processId());

    qint64 total = 0;
    QStringList busy;
    for (const auto &[thread, count] : after) {
        const auto was = before.find(thread);
        const qint64 woke = count - (was == before.end() ? 0 : was->second);
        total += woke;
        if (woke > 0)
            busy << QStringLiteral("%1: %2").arg(thread).arg(woke);
    }
    // Before the fixes: the engines' 100 ms sweep alone woke 2 threads 40 times in 2 s, and a
    // touched CA directory made the control thread reload it 5 times a second, forever.
    QVERIFY2(total <= 4, qPrintable(busy.join(QStringLiteral(", "))));
    child.terminate();
    QVERIFY(child.waitForFinished(15000));
}

QTEST_GUILESS_MAIN(tst_UiMeasure)
#include "tst_ui_measure.moc"
