// Golden configuration tests: every directory tests/golden/<case>/ holds input.yaml and
// expected.txt, the normalised dump of what the loader made of it (static-* cases are static
// configurations, the others dynamic ones). PORTICO_GOLDEN_UPDATE=1 rewrites expected.txt.

#include "core/config/loader.h"
#include "core/control/table_builder.h"
#include "tests/golden/dump.h"
#include "tests/golden/dump_routing.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace portico;

class tst_Golden : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cases_data();
    void cases();
    void enoughCases();
};

namespace {

QString goldenDir()
{
    return QStringLiteral(PORTICO_GOLDEN_DIR);
}

QStringList caseNames()
{
    return QDir(goldenDir()).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

/// The first line where `actual` and `expected` differ, for a readable failure message.
QString firstDifference(const QString &actual, const QString &expected)
{
    const QStringList a = actual.split(u'\n');
    const QStringList e = expected.split(u'\n');
    for (qsizetype i = 0; i < std::max(a.size(), e.size()); ++i) {
        const QString al = i < a.size() ? a[i] : QStringLiteral("<end>");
        const QString el = i < e.size() ? e[i] : QStringLiteral("<end>");
        if (al != el)
            return QStringLiteral("line %1\n   actual: %2\n expected: %3").arg(i + 1).arg(al, el);
    }
    return {};
}

/// The loader's view of a dynamic file followed by the control plane's (statuses, errors), with
/// entry points `web` (default) and `admin`.
QString dumpDynamicAndRouting(const QByteArray &text)
{
    const config::DynamicConfig dynamic
        = config::parseDynamicConfig(text, QStringLiteral("input.yaml"));
    config::EntryPointSpec web, admin;
    web.name = QStringLiteral("web");
    web.asDefault = true;
    admin.name = QStringLiteral("admin");
    const control::TableBuilder builder({ web, admin });
    const auto built = builder.build({ { QStringLiteral("file"), dynamic } }, 1);
    return golden::dumpDynamic(dynamic) + golden::dumpRouting(built.state);
}

} // namespace

void tst_Golden::cases_data()
{
    QTest::addColumn<QString>("dir");
    for (const QString &name : caseNames())
        QTest::newRow(qPrintable(name)) << goldenDir() + u'/' + name;
}

void tst_Golden::cases()
{
    QFETCH(QString, dir);
    const QString input = dir + QStringLiteral("/input.yaml");
    QVERIFY2(QFile::exists(input), qPrintable(input + QStringLiteral(" is missing")));
    const QByteArray text = readAll(input);
    const bool isStatic = QDir(dir).dirName().startsWith(QLatin1String("static-"));
    const QString actual = isStatic
        ? golden::dumpStatic(config::parseStaticConfig(text, QStringLiteral("input.yaml")))
        : dumpDynamicAndRouting(text);
    const QString expectedPath = dir + QStringLiteral("/expected.txt");
    if (qEnvironmentVariableIntValue("PORTICO_GOLDEN_UPDATE") == 1) {
        QFile out(expectedPath);
        QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
        out.write(actual.toUtf8());
        return;
    }
    const QString expected = QString::fromUtf8(readAll(expectedPath));
    QVERIFY2(actual == expected, qPrintable(firstDifference(actual, expected)));
}

void tst_Golden::enoughCases()
{
    QVERIFY2(caseNames().size() >= 25, "the golden suite should cover at least 25 cases");
}

QTEST_GUILESS_MAIN(tst_Golden)
#include "tst_golden.moc"
