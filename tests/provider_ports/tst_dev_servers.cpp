// The pure parts of dev-server discovery: which command is which kind of dev server, which
// listeners are never proposed, and how a page title is read.
#include "core/provider/ports/dev_servers.h"
#include "core/provider/ports/http_probe.h"

#include <QTest>

using namespace portico;

class tst_DevServers : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void kinds_data();
    void kinds();
    void exclusions_data();
    void exclusions();
    void titles_data();
    void titles();
};

void tst_DevServers::kinds_data()
{
    QTest::addColumn<QString>("executable");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("kind");
    const QString node = QStringLiteral("/usr/bin/node");
    const QString python = QStringLiteral("/usr/bin/python3.11");
    auto row = [](const char *name, const QString &exe, const char *args, const char *kind) {
        QTest::newRow(name) << exe << QString::fromLatin1(args).split(QLatin1Char(' '))
                            << QString::fromLatin1(kind);
    };
    row("vite via node_modules/.bin", node, "node /p/shop/node_modules/.bin/vite --port 5173",
        "vite");
    row("vite.js entry", node, "node /p/node_modules/vite/bin/vite.js", "vite");
    row("next dev renamed process", node, "next-server (v14.2.3)", "next");
    row("next dev", node, "node /p/node_modules/.bin/next dev", "next");
    row("nuxi dev", node, "node /p/node_modules/nuxi/bin/nuxi.mjs dev", "nuxt");
    row("webpack serve", node, "node /p/node_modules/.bin/webpack serve", "webpack-dev-server");
    row("astro dev", node, "node /p/node_modules/.bin/astro dev", "astro");
    row("storybook", node, "node /p/node_modules/.bin/storybook dev -p 6006", "storybook");
    row("rails server", QStringLiteral("/usr/bin/ruby3.1"), "ruby bin/rails server", "rails");
    row("django runserver", python, "python3 manage.py runserver", "django");
    row("flask run as module", python, "python3 -m flask run", "flask");
    row("uvicorn", python, "/p/.venv/bin/python /p/.venv/bin/uvicorn app:app --reload", "uvicorn");
    row("gunicorn", python, "/p/.venv/bin/python /p/.venv/bin/gunicorn app:app", "gunicorn");
    row("python -m http.server", python, "python3 -u -m http.server 8000", "http.server");
    row("php -S", QStringLiteral("/usr/bin/php8.2"), "php -S localhost:8000", "php");
    row("hugo server", QStringLiteral("/usr/local/bin/hugo"), "hugo server -D", "hugo");
    row("jekyll serve", QStringLiteral("/usr/bin/ruby"), "ruby /usr/bin/jekyll serve", "jekyll");
    row("plain node script", node, "node server.js", "node");
    row("bun script", QStringLiteral("/home/u/.bun/bin/bun"), "bun run index.ts", "bun");
    row("deno script", QStringLiteral("/usr/bin/deno"), "deno run -A main.ts", "deno");
    row("unknown binary", QStringLiteral("/opt/tool/bin/tool"), "tool --listen", "");
    row("-S without php is not php", node, "node x.js -S", "node");
}

void tst_DevServers::kinds()
{
    QFETCH(QString, executable);
    QFETCH(QStringList, arguments);
    QFETCH(QString, kind);
    provider::ports::ProcessInfo process;
    process.executable = executable;
    process.arguments = arguments;
    QCOMPARE(provider::ports::devServerKind(process), kind);
}

void tst_DevServers::exclusions_data()
{
    QTest::addColumn<QString>("executable");
    QTest::addColumn<qint64>("uid");
    QTest::addColumn<qint64>("parentPid");
    QTest::addColumn<bool>("hasTerminal");
    QTest::addColumn<int>("port");
    QTest::addColumn<qint64>("observerUid");
    QTest::addColumn<bool>("excluded");
    const QString node = QStringLiteral("/usr/bin/node");
    QTest::newRow("user's dev server")
        << node << 1000LL << 500LL << true << 5173 << 1000LL << false;
    QTest::newRow("sshd") << QStringLiteral("/usr/sbin/sshd") << 0LL << 1LL << false << 2222
                          << 1000LL << true;
    QTest::newRow("postgres") << QStringLiteral("/usr/lib/postgresql/15/bin/postgres") << 1000LL
                              << 500LL << true << 5432 << 1000LL << true;
    QTest::newRow("systemd-resolved") << QStringLiteral("/lib/systemd/systemd-resolved") << 101LL
                                      << 1LL << false << 5355 << 0LL << true;
    QTest::newRow("privileged port, root observer")
        << node << 0LL << 500LL << true << 80 << 0LL << true;
    QTest::newRow("low port owned by the user (capability)")
        << node << 1000LL << 500LL << true << 80 << 1000LL << false;
    QTest::newRow("root sees a daemon child of init")
        << node << 0LL << 1LL << false << 3000 << 0LL << true;
    QTest::newRow("root sees its own dev server")
        << node << 0LL << 500LL << true << 3000 << 0LL << false;
    QTest::newRow("root sees a system user's service")
        << node << 33LL << 500LL << true << 3000 << 0LL << true;
}

void tst_DevServers::exclusions()
{
    QFETCH(QString, executable);
    QFETCH(qint64, uid);
    QFETCH(qint64, parentPid);
    QFETCH(bool, hasTerminal);
    QFETCH(int, port);
    QFETCH(qint64, observerUid);
    QFETCH(bool, excluded);
    provider::ports::ProcessInfo process;
    process.pid = 4242;
    process.executable = executable;
    process.arguments = { executable };
    process.uid = uid;
    process.parentPid = parentPid;
    process.hasTerminal = hasTerminal;
    const QString reason
        = provider::ports::exclusionReason(process, quint16(port), { 1, observerUid });
    QCOMPARE(!reason.isEmpty(), excluded);
    QVERIFY(!provider::ports::exclusionReason(process, 3000, { 4242, observerUid }).isEmpty());
}

void tst_DevServers::titles_data()
{
    QTest::addColumn<QByteArray>("html");
    QTest::addColumn<QString>("title");
    QTest::newRow("plain") << QByteArray("<title>Vite App</title>") << QStringLiteral("Vite App");
    QTest::newRow("attributes, case, whitespace")
        << QByteArray("<TITLE lang=en>\n  My\n  Shop </Title >") << QStringLiteral("My Shop");
    QTest::newRow("entities") << QByteArray("<title>A &amp; B &lt;dev&gt;</title>")
                              << QStringLiteral("A & B <dev>");
    QTest::newRow("utf-8") << QByteArray("<title>Caf\xc3\xa9</title>")
                           << QString::fromUtf8("Caf\xc3\xa9");
    QTest::newRow("none") << QByteArray("<html><body>hi</body></html>") << QString();
    QTest::newRow("unterminated") << QByteArray("<title>half") << QString();
}

void tst_DevServers::titles()
{
    QFETCH(QByteArray, html);
    QFETCH(QString, title);
    QCOMPARE(provider::ports::extractTitle(html), title);
}

QTEST_MAIN(tst_DevServers)
#include "tst_dev_servers.moc"
