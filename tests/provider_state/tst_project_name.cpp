// Naming a project from its directory: package.json, the git repository, linked worktrees —
// on real repositories made with git in temporary directories.
#include "core/provider/project/project_name.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace portico;

namespace {

/// Runs git in `dir`; fails the test (returns false) when git fails.
bool git(const QString &dir, const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(dir);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("git"),
        QStringList { QStringLiteral("-c"), QStringLiteral("user.name=t"), QStringLiteral("-c"),
            QStringLiteral("user.email=t@example.invalid"), QStringLiteral("-c"),
            QStringLiteral("init.defaultBranch=main") }
            + arguments);
    if (!process.waitForFinished(20000) || process.exitCode() != 0) {
        qWarning() << "git" << arguments << process.readAll();
        return false;
    }
    return true;
}

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
}

/// A repository `<tmp>/<name>` with one commit.
QString makeRepo(const QTemporaryDir &tmp, const QString &name)
{
    const QString dir = tmp.filePath(name);
    QDir().mkpath(dir);
    writeFile(dir + QStringLiteral("/README"), "x\n");
    if (!git(dir, { QStringLiteral("init"), QStringLiteral("-q") })
        || !git(dir, { QStringLiteral("add"), QStringLiteral(".") })
        || !git(dir, { QStringLiteral("commit"), QStringLiteral("-qm"), QStringLiteral("init") }))
        return {};
    return dir;
}

} // namespace

class tst_ProjectName : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dnsLabel_data();
    void dnsLabel();
    void plainDirectoryUsesItsName();
    void packageJsonNameWins_data();
    void packageJsonNameWins();
    void gitRepositoryRootNamesSubdirectories();
    void linkedWorktreePrefixesTheBranch();
    void detachedWorktreeUsesItsId();
};

void tst_ProjectName::dnsLabel_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("expected");
    QTest::newRow("already a label") << "shop"
                                     << "shop";
    QTest::newRow("upper case lowered") << "MyShop"
                                        << "myshop";
    QTest::newRow("slash of a branch becomes hyphen") << "fix/ui"
                                                      << "fix-ui";
    QTest::newRow("runs collapse") << "a__b..c"
                                   << "a-b-c";
    QTest::newRow("edges trimmed") << "--shop--"
                                   << "shop";
    QTest::newRow("non-ascii dropped") << QStringLiteral("café") << "caf";
    QTest::newRow("nothing usable") << "@@@"
                                    << "";
    QTest::newRow("63 characters at most (RFC 1035 2.3.4)")
        << QString(70, QLatin1Char('a')) << QString(63, QLatin1Char('a'));
    QTest::newRow("no trailing hyphen after truncation")
        << QString(62, QLatin1Char('a')) + QStringLiteral("-b") << QString(62, QLatin1Char('a'));
}

void tst_ProjectName::dnsLabel()
{
    QFETCH(QString, input);
    QFETCH(QString, expected);
    QCOMPARE(provider::dnsLabel(input), expected);
}

void tst_ProjectName::plainDirectoryUsesItsName()
{
    QTemporaryDir tmp;
    const QString dir = tmp.filePath(QStringLiteral("My_Site"));
    QDir().mkpath(dir);
    const provider::Project project = provider::identifyProject(dir);
    QCOMPARE(project.name, QStringLiteral("my-site"));
    QCOMPARE(project.root, dir);
    QVERIFY(project.branch.isEmpty());
}

void tst_ProjectName::packageJsonNameWins_data()
{
    QTest::addColumn<QByteArray>("packageJson");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain name") << QByteArray(R"({"name": "storefront"})") << "storefront";
    QTest::newRow("npm scope dropped") << QByteArray(R"({"name": "@acme/web-app"})") << "web-app";
    QTest::newRow("no name: repository name") << QByteArray(R"({"private": true})") << "shop";
    QTest::newRow("broken json: repository name") << QByteArray("{nope") << "shop";
}

void tst_ProjectName::packageJsonNameWins()
{
    QFETCH(QByteArray, packageJson);
    QFETCH(QString, expected);
    QTemporaryDir tmp;
    const QString repo = makeRepo(tmp, QStringLiteral("shop"));
    QVERIFY(!repo.isEmpty());
    writeFile(repo + QStringLiteral("/web/package.json"), packageJson);
    QDir().mkpath(repo + QStringLiteral("/web/src"));
    const provider::Project project = provider::identifyProject(repo + QStringLiteral("/web/src"));
    QCOMPARE(project.name, expected);
    QCOMPARE(project.root, repo);
}

void tst_ProjectName::gitRepositoryRootNamesSubdirectories()
{
    QTemporaryDir tmp;
    const QString repo = makeRepo(tmp, QStringLiteral("Shop.Front"));
    QVERIFY(!repo.isEmpty());
    QDir().mkpath(repo + QStringLiteral("/src/deep"));
    const provider::Project project = provider::identifyProject(repo + QStringLiteral("/src/deep"));
    QCOMPARE(project.name, QStringLiteral("shop-front"));
    QCOMPARE(project.root, repo);
    QVERIFY(project.branch.isEmpty()); // the main work tree gets no prefix
}

void tst_ProjectName::linkedWorktreePrefixesTheBranch()
{
    QTemporaryDir tmp;
    const QString repo = makeRepo(tmp, QStringLiteral("shop"));
    QVERIFY(!repo.isEmpty());
    // The worktree's directory name says nothing about the project: the main repository does.
    const QString worktree = tmp.filePath(QStringLiteral("elsewhere/wt-1"));
    QVERIFY(git(repo,
        { QStringLiteral("worktree"), QStringLiteral("add"), QStringLiteral("-q"),
            QStringLiteral("-b"), QStringLiteral("fix/UI"), worktree }));
    QDir().mkpath(worktree + QStringLiteral("/src"));
    const provider::Project project = provider::identifyProject(worktree + QStringLiteral("/src"));
    QCOMPARE(project.name, QStringLiteral("fix-ui.shop"));
    QCOMPARE(project.branch, QStringLiteral("fix/UI"));
    QCOMPARE(project.root, worktree);
    // The main work tree keeps the plain name.
    QCOMPARE(provider::identifyProject(repo).name, QStringLiteral("shop"));
}

void tst_ProjectName::detachedWorktreeUsesItsId()
{
    QTemporaryDir tmp;
    const QString repo = makeRepo(tmp, QStringLiteral("shop"));
    QVERIFY(!repo.isEmpty());
    const QString worktree = tmp.filePath(QStringLiteral("review"));
    QVERIFY(git(repo,
        { QStringLiteral("worktree"), QStringLiteral("add"), QStringLiteral("-q"),
            QStringLiteral("--detach"), worktree }));
    const provider::Project project = provider::identifyProject(worktree);
    QCOMPARE(project.name, QStringLiteral("review.shop"));
    QVERIFY(project.branch.isEmpty());
}

QTEST_GUILESS_MAIN(tst_ProjectName)
#include "tst_project_name.moc"
