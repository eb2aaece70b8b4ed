#include "core/provider/file/file_provider.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;
using namespace portico::config;
using portico::provider::FileProvider;

Q_DECLARE_METATYPE(portico::config::DynamicConfig)
Q_DECLARE_METATYPE(std::vector<portico::Error>)

class tst_FileProvider : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void missingFilenameAndDirectory();
    void initialSnapshot();
    void editEmitsNewSnapshot();
    void brokenEditKeepsLastGoodThenRecovers();
    void unchangedContentIsNotReEmitted();
    void atomicReplaceIsSeen();
    void deleteAndRecreateIsSeen();
    void directoryModeMergesAndReportsDuplicates();
    void directoryModeSeesNewFiles();
    void tomlIsRefused();
    void watchFalseReadsOnce();
};

namespace {

const QByteArray routerA = "http:\n  routers:\n    a:\n      rule: Path(`/a`)\n      service: s\n";
const QByteArray routerB = "http:\n  routers:\n    b:\n      rule: Path(`/b`)\n      service: s\n";

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

/// The editor way: write a temporary file next to the target, then rename it over the target.
bool replaceFile(const QString &path, const QByteArray &bytes)
{
    const QString temp = path + QStringLiteral(".tmp~");
    return writeFile(temp, bytes) && ::rename(qPrintable(temp), qPrintable(path)) == 0;
}

DynamicConfig lastSnapshot(const QSignalSpy &spy)
{
    return spy.last().at(0).value<DynamicConfig>();
}

/// Router names joined by commas, in snapshot order.
QString routerNames(const DynamicConfig &c)
{
    QStringList names;
    for (const RouterSpec &r : c.routers)
        names << r.name;
    return names.join(u',');
}

std::vector<Error> lastFailure(const QSignalSpy &spy)
{
    return spy.last().at(0).value<std::vector<Error>>();
}

/// A provider watching `spec`, with spies on both signals; events coalesce over 10 ms.
struct Fixture
{
    explicit Fixture(FileProviderSpec spec)
        : provider(std::move(spec))
        , ready(&provider, &FileProvider::snapshotReady)
        , failed(&provider, &FileProvider::snapshotFailed)
    {
        provider.setCoalesceInterval(std::chrono::milliseconds(10));
    }
    FileProvider provider;
    QSignalSpy ready;
    QSignalSpy failed;
};

FileProviderSpec fileSpec(const QString &path, bool watch = true)
{
    FileProviderSpec spec;
    spec.filename = path;
    spec.watch = watch;
    return spec;
}

} // namespace

void tst_FileProvider::initTestCase()
{
    qRegisterMetaType<DynamicConfig>();
    qRegisterMetaType<std::vector<Error>>();
}

void tst_FileProvider::missingFilenameAndDirectory()
{
    Fixture f { FileProviderSpec {} };
    f.provider.start();
    QCOMPARE(f.ready.count(), 0);
    QCOMPARE(f.failed.count(), 1);
    QCOMPARE(lastFailure(f.failed).front().toString(),
        QStringLiteral("providers.file: neither filename nor directory is defined"));
}

void tst_FileProvider::initialSnapshot()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dynamic.yaml"));
    QVERIFY(writeFile(path, routerA));
    Fixture f { fileSpec(path) };
    QCOMPARE(f.provider.name(), QStringLiteral("file"));
    f.provider.start();
    QCOMPARE(f.ready.count(), 1);
    QCOMPARE(routerNames(lastSnapshot(f.ready)), QStringLiteral("a"));
    QCOMPARE(lastSnapshot(f.ready).routers.front().origin.where.file, path);
    QCOMPARE(f.failed.count(), 0);
}

void tst_FileProvider::editEmitsNewSnapshot()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dynamic.yml"));
    QVERIFY(writeFile(path, routerA));
    Fixture f { fileSpec(path) };
    f.provider.start();
    QVERIFY(writeFile(path, routerB));
    QTRY_COMPARE(f.ready.count(), 2);
    QCOMPARE(routerNames(lastSnapshot(f.ready)), QStringLiteral("b"));
    QCOMPARE(f.failed.count(), 0);
}

void tst_FileProvider::brokenEditKeepsLastGoodThenRecovers()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dynamic.yaml"));
    QVERIFY(writeFile(path, routerA));
    Fixture f { fileSpec(path) };
    f.provider.start();
    QCOMPARE(f.ready.count(), 1);

    QVERIFY(writeFile(path, "http:\n  routers: [\n"));
    QTRY_COMPARE(f.failed.count(), 1);
    QCOMPARE(f.ready.count(), 1);
    const QString failure = lastFailure(f.failed).front().toString();
    QVERIFY2(failure.startsWith(path + QStringLiteral(":3:1: invalid YAML")), qPrintable(failure));

    QVERIFY(writeFile(path, routerA)); // back to the last good content: still a new snapshot
    QTRY_COMPARE(f.ready.count(), 2);
    QCOMPARE(routerNames(lastSnapshot(f.ready)), QStringLiteral("a"));
    QCOMPARE(f.failed.count(), 1);
}

void tst_FileProvider::unchangedContentIsNotReEmitted()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dynamic.yaml"));
    QVERIFY(writeFile(path, routerA));
    Fixture f { fileSpec(path) };
    f.provider.start();
    QVERIFY(writeFile(path, routerA)); // same bytes: an event but no change
    QVERIFY(writeFile(dir.filePath(QStringLiteral("unrelated.txt")), "x"));
    QVERIFY(writeFile(path, routerB)); // then a real change: exactly one more snapshot
    QTRY_COMPARE(f.ready.count(), 2);
    f.provider.reload();
    QCOMPARE(f.ready.count(), 2);
    QCOMPARE(routerNames(lastSnapshot(f.ready)), QStringLiteral("b"));
}

void tst_FileProvider::atomicReplaceIsSeen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dynamic.yaml"));
    QVERIFY(writeFile(path, routerA));
    Fixture f { fileSpec(path) };
    f.provider.start();
    QVERIFY(replaceFile(path, routerB));
    QTRY_COMPARE(f.ready.count(), 2);
    QCOMPARE(routerNames(lastSnapshot(f.ready)), QStringLiteral("b"));
    // The watch must survive the rename: a second replace is seen too.
    QVERIFY(replaceFile(path, routerA));
    QTRY_COMPARE(f.ready.count(), 3);
    QCOMPARE(routerNames(lastSnapshot(f.ready)), QStringLiteral("a"));
    QCOMPARE(f.failed.count(), 0);
}

void tst_FileProvider::deleteAndRecreateIsSeen()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dynamic.yaml"));
    QVERIFY(writeFile(path, routerA));
    Fixture f { fileSpec(path) };
    f.provider.start();
    QVERIFY(QFile::remove(path));
    QTRY_COMPARE(f.failed.count(), 1);
    QVERIFY(lastFailure(f.failed).front().toString().contains(QLatin1String("cannot read file")));
    QVERIFY(writeFile(path, routerB));
    QTRY_COMPARE(f.ready.count(), 2);
    QCOMPARE(routerNames(lastSnapshot(f.ready)), QStringLiteral("b"));
}

void tst_FileProvider::directoryModeMergesAndReportsDuplicates()
{
    QTemporaryDir dir;
    const QString a = dir.filePath(QStringLiteral("a.yaml"));
    const QString b = dir.filePath(QStringLiteral("sub/b.yml"));
    QVERIFY(writeFile(a, routerA));
    QVERIFY(writeFile(b, routerB + "    a:\n      rule: Path(`/dup`)\n      service: s\n"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("notes.txt")), "not config"));
    FileProviderSpec spec;
    spec.directory = dir.path();
    spec.filename = dir.filePath(QStringLiteral("ignored.yaml")); // directory wins
    Fixture f { spec };
    f.provider.start();
    QCOMPARE(f.ready.count(), 1);
    const DynamicConfig c = lastSnapshot(f.ready);
    QCOMPARE(routerNames(c), QStringLiteral("a,b"));
    QCOMPARE(c.routers.front().rule, QStringLiteral("Path(`/a`)")); // the first definition wins
    QCOMPARE(c.errors.size(), size_t(1));
    QCOMPARE(c.errors.front().toString(),
        QStringLiteral("%1:6:5: http.routers.a: router \"a\" already defined in %2:3:5 (the "
                       "first definition wins)")
            .arg(b, a));

    // A syntax error in any one file fails the whole read.
    QVERIFY(writeFile(b, "http: {\n"));
    QTRY_COMPARE(f.failed.count(), 1);
    QCOMPARE(f.ready.count(), 1);
    QVERIFY(lastFailure(f.failed).front().toString().startsWith(b));
}

void tst_FileProvider::directoryModeSeesNewFiles()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("a.yaml")), routerA));
    FileProviderSpec spec;
    spec.directory = dir.path();
    Fixture f { spec };
    f.provider.start();
    QCOMPARE(f.ready.count(), 1);
    QVERIFY(replaceFile(dir.filePath(QStringLiteral("b.yaml")), routerB));
    QTRY_COMPARE(f.ready.count(), 2);
    QCOMPARE(routerNames(lastSnapshot(f.ready)), QStringLiteral("a,b"));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("a.yaml")), "# emptied\n"));
    QTRY_COMPARE(f.ready.count(), 3);
    QCOMPARE(routerNames(lastSnapshot(f.ready)), QStringLiteral("b"));
}

void tst_FileProvider::tomlIsRefused()
{
    QTemporaryDir dir;
    QVERIFY(writeFile(dir.filePath(QStringLiteral("a.yaml")), routerA));
    QVERIFY(writeFile(dir.filePath(QStringLiteral("old.toml")), "[http]\n"));
    FileProviderSpec spec;
    spec.directory = dir.path();
    Fixture f { spec };
    f.provider.start();
    QCOMPARE(f.ready.count(), 0);
    QCOMPARE(f.failed.count(), 1);
    QCOMPARE(lastFailure(f.failed).front().toString(),
        dir.filePath(QStringLiteral("old.toml"))
            + QStringLiteral(": TOML is not supported; convert it to YAML"));
}

void tst_FileProvider::watchFalseReadsOnce()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("dynamic.yaml"));
    QVERIFY(writeFile(path, routerA));
    Fixture f { fileSpec(path, false) };
    f.provider.start();
    QCOMPARE(f.ready.count(), 1);
    QVERIFY(writeFile(path, routerB));
    // Without a watcher nothing may arrive; give a real watcher ample time to prove it wrong.
    QVERIFY(!f.ready.wait(300));
    QCOMPARE(f.ready.count(), 1);
}

QTEST_GUILESS_MAIN(tst_FileProvider)
#include "tst_file_provider.moc"
