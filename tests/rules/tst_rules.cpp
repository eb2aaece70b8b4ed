#include "tst_rules.h"

#include <QRegularExpression>
#include <QTest>

using namespace portico;
using namespace portico::rules;

FactsHolder::FactsHolder(const Req &from)
    : request(from)
{
    const Req &r = request;
    for (const auto &[name, value] : r.headers)
        headers.add(name, value);
    facts.host = r.host;
    facts.method = r.method;
    facts.path = r.path;
    facts.rawQuery = r.query;
    facts.headers = &headers;
    facts.clientIp = QHostAddress(r.ip);
}

void tst_Rules::match_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<Req>("request");
    QTest::addColumn<bool>("expected");
    addHostRows();
    addPathRows();
    addMethodHeaderRows();
    addQueryRows();
    addClientIpRows();
    addOperatorRows();
    addSyntaxRows();
}

void tst_Rules::match()
{
    QFETCH(QString, rule);
    QFETCH(Req, request);
    QFETCH(bool, expected);
    const auto parsed = Rule::parse(rule);
    QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().toString()));
    const FactsHolder holder(request);
    QCOMPARE(parsed->matches(holder.facts), expected);
}

void tst_Rules::invalidRules_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("hint");
    addInvalidRows();
}

void tst_Rules::invalidRules()
{
    QFETCH(QString, rule);
    QFETCH(QString, message);
    QFETCH(int, column);
    QFETCH(QString, hint);
    const auto parsed = Rule::parse(rule);
    QVERIFY2(!parsed.ok(), "rule parsed but must be rejected");
    const Error &e = parsed.error();
    QVERIFY2(e.message.contains(message), qPrintable(QStringLiteral("message: ") + e.message));
    QCOMPARE(e.where.column, column);
    QVERIFY2(e.hint.contains(hint), qPrintable(QStringLiteral("hint: ") + e.hint));
    // Lower-case messages, except those that start with the matcher's own name.
    static const QRegularExpression style(QStringLiteral("^([a-z]|[A-Za-z]+ expects )"));
    QVERIFY2(style.match(e.message).hasMatch(), qPrintable(e.message));
}

void tst_Rules::errorCarriesHintAndNoPosition()
{
    const auto parsed = Rule::parse(u"Hots(`a`)");
    QVERIFY(!parsed.ok());
    QCOMPARE(parsed.error().message, QStringLiteral("unknown matcher \"Hots\""));
    QCOMPARE(parsed.error().hint, QStringLiteral("did you mean \"Host\"?"));
    QVERIFY(parsed.error().where.file.isEmpty());
    QCOMPARE(parsed.error().where.line, 0);
    QCOMPARE(parsed.error().toString(),
        QStringLiteral("unknown matcher \"Hots\" (did you mean \"Host\"?)"));
}

void tst_Rules::defaultPriority_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<qint64>("priority");
    auto row = [](const char *name, const char *rule, qint64 priority) {
        QTest::newRow(name) << QString::fromUtf8(rule) << priority;
    };
    row("short host", "Host(`a`)", 9);
    row("docs whoami example", "Host(`whoami.localhost`)", 24);
    row("docs api example", "Host(`api.localhost`) && PathPrefix(`/v1`)", 42);
    row("whitespace counts", "Host(`a`)  &&  Path(`/`)", 24);
    row("leading and trailing blanks count", "  Host(`a`) ", 12);
    row("newline counts", "Host(`a`)\n&& Path(`/`)", 22);
    row("two-byte utf-8", "Path(`/\xc3\xa9`)", 11);
    row("three-byte utf-8", "Path(`/\xe2\x82\xac`)", 12);
    row("four-byte utf-8", "Path(`/\xf0\x9f\x98\x80`)", 13);
    row("escapes counted as written", "Path(\"/\\u00e9\")", 15);
    row("double quotes", "Host(\"a\")", 9);
    row("path prefix root", "PathPrefix(`/`)", 15);
    row("negation", "!Host(`a`)", 10);
    row("parentheses", "(Host(`a`))", 11);
    row("long or", "Host(`a.example.com`) || Host(`b.example.com`)", 46);
}

void tst_Rules::defaultPriority()
{
    QFETCH(QString, rule);
    QFETCH(qint64, priority);
    const auto parsed = Rule::parse(rule);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->defaultPriority(), priority);
    QCOMPARE(parsed->defaultPriority(), qint64(rule.toUtf8().size()));
}

void tst_Rules::ruleKeepsTextAndCopiesShare()
{
    const QString text = QStringLiteral("  Host(`a.test`)\t&& Path(`/x`) ");
    const auto parsed = Rule::parse(text);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->text(), text);
    const Rule copy = *parsed;
    const FactsHolder holder(req().withHost("a.test").withPath("/x"));
    QVERIFY(copy.matches(holder.facts));
    QVERIFY(parsed->matches(holder.facts));
    QCOMPARE(copy.text(), text);
}

void tst_Rules::defaultRuleMatchesNothing()
{
    const Rule rule;
    const FactsHolder holder(req());
    QVERIFY(!rule.matches(holder.facts));
    QVERIFY(!rule.requiredHosts());
}

void tst_Rules::headersAbsent()
{
    const auto header = Rule::parse(u"Header(`X-A`, `1`)");
    const auto regexp = Rule::parse(u"HeaderRegexp(`X-A`, `.*`)");
    QVERIFY(header.ok() && regexp.ok());
    RequestFacts facts;
    facts.path = "/";
    QVERIFY(!header->matches(facts));
    QVERIFY(!regexp->matches(facts));
}

QTEST_APPLESS_MAIN(tst_Rules)
