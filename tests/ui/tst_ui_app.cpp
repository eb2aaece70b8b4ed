// `portico gui` as a process: no display, a second launch, SIGTERM, bad options.
#include "tests/testkit/wait.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

namespace {

/// The environment of a GUI child: offscreen (or no display at all) and a private instance name.
QProcessEnvironment guiEnvironment(const QString &instance, bool display = true)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    if (display)
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("PORTICO_INSTANCE"), instance);
    return env;
}

QString uniqueInstance()
{
    return QStringLiteral("portico-test-") + QUuid::createUuid().toString(QUuid::Id128);
}

/// Runs portico to completion; (exit code, merged output).
QPair<int, QString> run(const QStringList &args, const QProcessEnvironment &env)
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(PORTICO_BINARY), args);
    if (!process.waitForFinished(15000))
        return { -1, QStringLiteral("timed out") };
    return { process.exitCode(), QString::fromLocal8Bit(process.readAll()) };
}

} // namespace

class tst_UiApp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void withoutDisplayPointsToServe();
    void badOptionIsAUsageError();
    void secondLaunchRaisesFirstAndSigtermQuits();
};

void tst_UiApp::withoutDisplayPointsToServe()
{
    for (const QStringList &args : { QStringList {}, QStringList { QStringLiteral("gui") } }) {
        const auto [code, output] = run(args, guiEnvironment(uniqueInstance(), false));
        QCOMPARE(code, 2);
        QVERIFY2(output.contains(QStringLiteral(
                     "portico: no display found; run \"portico serve\" for the headless daemon")),
            qPrintable(output));
    }
}

void tst_UiApp::badOptionIsAUsageError()
{
    const auto [code, output] = run(
        { QStringLiteral("gui"), QStringLiteral("--bogus") }, guiEnvironment(uniqueInstance()));
    QCOMPARE(code, 2);
    QVERIFY2(output.contains(QStringLiteral("unknown option \"--bogus\"")), qPrintable(output));
}

void tst_UiApp::secondLaunchRaisesFirstAndSigtermQuits()
{
    QTemporaryDir dir;
    const QString routes = dir.filePath(QStringLiteral("routes.yaml"));
    QFile file(routes);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        "http:\n  routers:\n    app: {rule: \"Host(`app.localhost`)\", service: noop@internal}\n");
    file.close();
    const QStringList args { QStringLiteral("gui"),
        QStringLiteral("--entryPoints.web.address=127.0.0.1:0"),
        QStringLiteral("--providers.file.filename=") + routes };
    const QProcessEnvironment env = guiEnvironment(uniqueInstance());

    QProcess first;
    first.setProcessEnvironment(env);
    first.setProcessChannelMode(QProcess::MergedChannels);
    first.start(QStringLiteral(PORTICO_BINARY), args);
    QString output;
    QVERIFY(portico::testkit::waitUntil(
        [&] {
            output += QString::fromLocal8Bit(first.readAll());
            return output.contains(QStringLiteral("window visible"))
                || first.state() == QProcess::NotRunning;
        },
        15000));
    QVERIFY2(first.state() == QProcess::Running, qPrintable(output));

    const auto [code, second] = run(args, env);
    QCOMPARE(code, 0);
    QVERIFY2(second.contains(QStringLiteral("already running")), qPrintable(second));
    QCOMPARE(first.state(), QProcess::Running);

    first.terminate(); // SIGTERM: the graceful quit path of the GUI
    QVERIFY(first.waitForFinished(15000));
    QCOMPARE(first.exitStatus(), QProcess::NormalExit);
    QCOMPARE(first.exitCode(), 0);
}

QTEST_GUILESS_MAIN(tst_UiApp)
#include "tst_ui_app.moc"
