#include "core/common/error.h"
#include "core/common/header_list.h"
#include "core/common/suggest.h"

#include <QTest>

using namespace portico;

class tst_Common : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void errorFormatting_data();
    void errorFormatting();
    void headerLookupIsCaseInsensitive();
    void headerSetReplacesAllLines();
    void headerTokens_data();
    void headerTokens();
    void suggestions_data();
    void suggestions();
};

void tst_Common::errorFormatting_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("hint");
    QTest::addColumn<QString>("expected");
    QTest::newRow("full") << "dev.yaml" << 12 << 7 << "http.routers.api.rule"
                          << "did you mean \"Host\"?"
                          << "dev.yaml:12:7: http.routers.api.rule: unknown matcher \"Hots\" (did "
                             "you mean \"Host\"?)";
    QTest::newRow("no position") << "" << 0 << 0 << "http.routers.api"
                                 << ""
                                 << "http.routers.api: unknown matcher \"Hots\"";
    QTest::newRow("nothing") << "" << 0 << 0 << ""
                             << ""
                             << "unknown matcher \"Hots\"";
    QTest::newRow("line only") << "a.yaml" << 3 << 0 << ""
                               << ""
                               << "a.yaml:3: unknown matcher \"Hots\"";
}

void tst_Common::errorFormatting()
{
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, path);
    QFETCH(QString, hint);
    QFETCH(QString, expected);
    const Error e { QStringLiteral("unknown matcher \"Hots\""), { file, line, column, path },
        hint };
    QCOMPARE(e.toString(), expected);
}

void tst_Common::headerLookupIsCaseInsensitive()
{
    HeaderList h;
    h.add("Content-Type", "text/plain");
    h.add("X-A", "1");
    h.add("x-a", "2");
    QCOMPARE(h.value("content-type"), QByteArray("text/plain"));
    QCOMPARE(h.values("X-a").size(), size_t(2));
    QCOMPARE(h.combined("X-A"), QByteArray("1, 2"));
    QVERIFY(h.value("missing").isNull());
    QCOMPARE(h.remove("X-A"), 2);
    QCOMPARE(h.size(), size_t(1));
}

void tst_Common::headerSetReplacesAllLines()
{
    HeaderList h;
    h.add("A", "1");
    h.add("B", "x");
    h.add("a", "2");
    h.set("A", "3");
    QCOMPARE(h.size(), size_t(2));
    QCOMPARE(h.at(0).value, QByteArray("3"));
    QCOMPARE(h.at(1).name, QByteArray("B"));
}

void tst_Common::headerTokens_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("expected");
    QTest::newRow("single") << QByteArray("close") << QByteArray("close") << true;
    QTest::newRow("case") << QByteArray("Keep-Alive, Upgrade") << QByteArray("upgrade") << true;
    QTest::newRow("ows") << QByteArray("a ,\t upgrade\t") << QByteArray("Upgrade") << true;
    QTest::newRow("substring is not a token")
        << QByteArray("upgraded") << QByteArray("upgrade") << false;
    QTest::newRow("empty") << QByteArray("") << QByteArray("close") << false;
}

void tst_Common::headerTokens()
{
    QFETCH(QByteArray, value);
    QFETCH(QByteArray, token);
    QFETCH(bool, expected);
    HeaderList h;
    h.add("Connection", value);
    QCOMPARE(h.hasToken("connection", token), expected);
}

void tst_Common::suggestions_data()
{
    QTest::addColumn<QString>("word");
    QTest::addColumn<QString>("expected");
    QTest::newRow("transposed") << "Hots"
                                << "Host";
    QTest::newRow("case only") << "pathprefix"
                               << "PathPrefix";
    QTest::newRow("far away") << "Banana"
                              << "";
}

void tst_Common::suggestions()
{
    QFETCH(QString, word);
    QFETCH(QString, expected);
    const QStringList candidates { QStringLiteral("Host"), QStringLiteral("PathPrefix"),
        QStringLiteral("Path") };
    QCOMPARE(closestMatch(word, candidates), expected);
}

QTEST_APPLESS_MAIN(tst_Common)
#include "tst_common.moc"
