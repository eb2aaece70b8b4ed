// requiredHosts() and RuleTable: priority order, stable ties, host index.
#include "tst_rules.h"

#include <QTest>

using namespace portico;
using namespace portico::rules;

namespace {

/// A router in a table row; priority 0 means "the rule's default", as in Traefik.
struct TableRouter
{
    const char *rule;
    qint64 priority = 0;
};

using Routers = QList<TableRouter>;

RuleTable buildTable(const Routers &routers)
{
    std::vector<RuleTable::Entry> entries;
    for (int i = 0; i < routers.size(); ++i) {
        auto rule = Rule::parse(QString::fromUtf8(routers[i].rule));
        Q_ASSERT(rule.ok());
        const qint64 priority = routers[i].priority ? routers[i].priority : rule->defaultPriority();
        entries.push_back({ std::move(*rule), priority, i });
    }
    return RuleTable(std::move(entries));
}

QString joined(const std::vector<QByteArray> &values)
{
    QStringList out;
    for (const QByteArray &v : values)
        out.append(QString::fromUtf8(v));
    return out.join(QLatin1Char(','));
}

} // namespace

Q_DECLARE_METATYPE(Routers)

void tst_Rules::requiredHosts_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<bool>("constrained");
    QTest::addColumn<QString>("exact");
    QTest::addColumn<QString>("wildcards");
    auto row = [](const char *name, const char *rule, bool constrained, const char *exact,
                   const char *wildcards) {
        QTest::newRow(name) << QString::fromUtf8(rule) << constrained << QString::fromUtf8(exact)
                            << QString::fromUtf8(wildcards);
    };
    row("host", "Host(`a.com`)", true, "a.com", "");
    row("host canonicalised", "Host(`A.Com.`)", true, "a.com", "");
    row("wildcard", "Host(`*.a.com`)", true, "", ".a.com");
    row("wildcard canonicalised", "Host(`*.A.com.`)", true, "", ".a.com");
    row("star", "Host(`*`)", false, "", "");
    row("path only", "Path(`/`)", false, "", "");
    row("hostregexp", "HostRegexp(`^a\\.com$`)", false, "", "");
    row("and host first", "Host(`a`) && Path(`/`)", true, "a", "");
    row("and host last", "Path(`/`) && Host(`a`)", true, "a", "");
    row("or of hosts", "Host(`a`) || Host(`b`)", true, "a,b", "");
    row("or with path", "Host(`a`) || Path(`/`)", false, "", "");
    row("or with star", "Host(`a`) || Host(`*`)", false, "", "");
    row("not", "!Host(`a`)", false, "", "");
    row("double not is conservative", "!!Host(`a`)", false, "", "");
    row("and picks tightest", "Host(`a`) && (Host(`b`) || Host(`c`))", true, "a", "");
    row("and picks tightest last", "(Host(`b`) || Host(`c`)) && Host(`a`)", true, "a", "");
    row("and of ors", "(Host(`a`) || Host(`b`)) && (Host(`c`) || Host(`d`) || Host(`e`))", true,
        "a,b", "");
    row("or exact and wildcard", "Host(`a`) || Host(`*.b`)", true, "a", ".b");
    row("or duplicates", "Host(`a`) || Host(`A`)", true, "a", "");
    row("or of ands", "Host(`a`) && Path(`/x`) || Host(`b`) && Path(`/y`)", true, "a,b", "");
    row("or of and without host", "Host(`a`) && Path(`/x`) || Path(`/y`)", false, "", "");
    row("parenthesised", "((Host(`a`)))", true, "a", "");
    row("and with negated host", "Host(`a`) && !Host(`b`)", true, "a", "");
    row("lower-case name", "host(`a`)", true, "a", "");
}

void tst_Rules::requiredHosts()
{
    QFETCH(QString, rule);
    QFETCH(bool, constrained);
    QFETCH(QString, exact);
    QFETCH(QString, wildcards);
    const auto parsed = Rule::parse(rule);
    QVERIFY(parsed.ok());
    const auto &hosts = parsed->requiredHosts();
    QCOMPARE(hosts.has_value(), constrained);
    if (!hosts)
        return;
    QCOMPARE(joined(hosts->exact), exact);
    QCOMPARE(joined(hosts->wildcardSuffixes), wildcards);
}

void tst_Rules::table_data()
{
    QTest::addColumn<Routers>("routers");
    QTest::addColumn<Req>("request");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QList<int>>("candidates");
    auto row = [](const char *name, const Routers &routers, const Req &request, int expected,
                   const QList<int> &candidates) {
        QTest::newRow(name) << routers << request << expected << candidates;
    };
    const Routers byLength = { { "PathPrefix(`/`)" }, { "PathPrefix(`/api`)" } };
    row("longer rule wins", byLength, req().withPath("/api/x"), 1, { 1, 0 });
    row("longer rule falls through", byLength, req().withPath("/web"), 0, { 1, 0 });
    row("explicit beats default", { { "PathPrefix(`/api`)" }, { "PathPrefix(`/`)", 100 } },
        req().withPath("/api"), 1, { 1, 0 });
    row("explicit 1 loses to default", { { "PathPrefix(`/`)", 1 }, { "Path(`/x`)" } },
        req().withPath("/x"), 1, { 1, 0 });
    row("explicit equal to default ties by order", { { "Path(`/x`)" }, { "PathPrefix(`/`)", 10 } },
        req().withPath("/x"), 0, { 0, 1 });
    row("ties keep input order", { { "PathPrefix(`/`)" }, { "PathPrefix(`/`)" } }, req(), 0,
        { 0, 1 });
    row("ties keep input order among three",
        { { "Path(`/a`)", 5 }, { "PathPrefix(`/`)", 5 }, { "Path(`/`)", 5 } }, req(), 1,
        { 0, 1, 2 });
    row("negative priority last", { { "PathPrefix(`/`)", -1 }, { "Path(`/nope`)" } }, req(), 0,
        { 1, 0 });
    row("negative priorities ordered", { { "PathPrefix(`/`)", -5 }, { "PathPrefix(`/`)", -1 } },
        req(), 1, { 1, 0 });
    row("huge priority", { { "PathPrefix(`/`)" }, { "PathPrefix(`/`)", 9223372036854774807LL } },
        req(), 1, { 1, 0 });
    row("no match", { { "Path(`/a`)" }, { "Path(`/b`)" } }, req().withPath("/c"), -1, { 0, 1 });
    const Routers hosts = { { "Host(`a.test`)" }, { "Host(`b.test`)" }, { "PathPrefix(`/`)", 1 } };
    row("exact host index", hosts, req().withHost("b.test"), 1, { 1, 2 });
    row("unknown host gets agnostic only", hosts, req().withHost("c.test"), 2, { 2 });
    row("host index case and dot", hosts, req().withHost("A.TEST."), 0, { 0, 2 });
    row("empty host gets agnostic", hosts, req().withHost(""), 2, { 2 });
    const Routers wildcard = { { "Host(`*.x.test`)" }, { "PathPrefix(`/`)", 1 } };
    row("wildcard index", wildcard, req().withHost("a.x.test"), 0, { 0, 1 });
    row("wildcard two labels not indexed", wildcard, req().withHost("a.b.x.test"), 1, { 1 });
    row("wildcard bare domain not indexed", wildcard, req().withHost("x.test"), 1, { 1 });
    const Routers both = { { "Host(`*.x.test`)", 10 }, { "Host(`a.x.test`)", 20 },
        { "Host(`a.x.test`) && Path(`/never`)", 5 }, { "PathPrefix(`/`)", 1 } };
    row("exact and wildcard merged in order", both, req().withHost("a.x.test"), 1, { 1, 0, 2, 3 });
    row("wildcard only for sibling", both, req().withHost("b.x.test"), 0, { 0, 3 });
    const Routers wildFirst = { { "Host(`*.x.test`)", 30 }, { "Host(`a.x.test`)", 20 } };
    row("wildcard of higher priority wins", wildFirst, req().withHost("a.x.test"), 0, { 0, 1 });
    row("or of hosts indexed twice", { { "Host(`a`) || Host(`b`)" } }, req().withHost("b"), 0,
        { 0 });
    row("or of hosts other host", { { "Host(`a`) || Host(`b`)" } }, req().withHost("c"), -1, {});
    row("negated host is agnostic", { { "!Host(`a`)" } }, req().withHost("b"), 0, { 0 });
    row("negated host no match", { { "!Host(`a`)" } }, req().withHost("a"), -1, { 0 });
    row("hostregexp is agnostic", { { "HostRegexp(`^a`)" }, { "Host(`b`)" } },
        req().withHost("abc"), 0, { 0 });
    row("star is agnostic", { { "Host(`a`)" }, { "Host(`*`)" } }, req().withHost("zzz"), 1, { 1 });
    row("agnostic of higher priority first", { { "Host(`a`)", 1 }, { "PathPrefix(`/`)", 100 } },
        req().withHost("a"), 1, { 1, 0 });
    row("host and path", { { "Host(`a`) && Path(`/x`)" }, { "Host(`a`)" } },
        req().withHost("a").withPath("/y"), 1, { 0, 1 });
    row("same host many paths",
        { { "Host(`a`) && PathPrefix(`/api`)" }, { "Host(`a`) && PathPrefix(`/api/v2`)" },
            { "Host(`a`)" } },
        req().withHost("a").withPath("/api/v2/x"), 1, { 1, 0, 2 });
    row("catch-all redirect style",
        { { "HostRegexp(`^.+$`)", 9223372036854775806LL }, { "Host(`a`)" } }, req().withHost("a"),
        0, { 0, 1 });
}

void tst_Rules::table()
{
    QFETCH(Routers, routers);
    QFETCH(Req, request);
    QFETCH(int, expected);
    QFETCH(QList<int>, candidates);
    const RuleTable table = buildTable(routers);
    QCOMPARE(table.size(), size_t(routers.size()));
    const FactsHolder holder(request);
    QCOMPARE(table.match(holder.facts), expected);
    const std::vector<int> got = table.candidates(holder.facts);
    QCOMPARE(QList<int>(got.begin(), got.end()), candidates);
}

void tst_Rules::tableWithThousandHostRouters()
{
    std::vector<RuleTable::Entry> entries;
    for (int i = 0; i < 1000; ++i) {
        auto rule = Rule::parse(QStringLiteral("Host(`svc%1.localhost`)").arg(i));
        QVERIFY(rule.ok());
        const qint64 priority = rule->defaultPriority();
        entries.push_back({ std::move(*rule), priority, i });
    }
    auto api = Rule::parse(u"PathPrefix(`/api`)");
    QVERIFY(api.ok());
    entries.push_back({ *api, 1, 1000 });
    auto wildcard = Rule::parse(u"Host(`*.team.localhost`)");
    QVERIFY(wildcard.ok());
    entries.push_back({ *wildcard, wildcard->defaultPriority(), 1001 });
    const RuleTable table(std::move(entries));
    QCOMPARE(table.size(), size_t(1002));
    for (const int i : { 0, 1, 7, 499, 500, 998, 999 }) {
        const QByteArray host = QStringLiteral("svc%1.localhost").arg(i).toLatin1();
        const FactsHolder holder(req().withHost(host.constData()));
        QCOMPARE(table.match(holder.facts), i);
        // The index keeps the scan short: the host's router plus the host-agnostic one.
        QCOMPARE(table.candidates(holder.facts), (std::vector<int> { i, 1000 }));
    }
    const FactsHolder unknown(req().withHost("svc1000.localhost").withPath("/api/x"));
    QCOMPARE(table.match(unknown.facts), 1000);
    QCOMPARE(table.candidates(unknown.facts), std::vector<int> { 1000 });
    const FactsHolder team(req().withHost("svc3.team.localhost"));
    QCOMPARE(table.match(team.facts), 1001);
    QCOMPARE(table.candidates(team.facts), (std::vector<int> { 1001, 1000 }));
}

void tst_Rules::tableWithThousandPathRouters()
{
    std::vector<RuleTable::Entry> entries;
    for (int i = 0; i < 1000; ++i) {
        auto rule = Rule::parse(QStringLiteral("Host(`app.localhost`) && Path(`/p%1`)").arg(i));
        QVERIFY(rule.ok());
        entries.push_back({ std::move(*rule), 100, i }); // all tied: input order decides
    }
    auto fallback = Rule::parse(u"Host(`app.localhost`)");
    QVERIFY(fallback.ok());
    entries.push_back({ *fallback, 1, 1000 });
    const RuleTable table(std::move(entries));
    for (const int i : { 0, 10, 999 }) {
        const QByteArray path = QStringLiteral("/p%1").arg(i).toLatin1();
        const FactsHolder holder(req().withHost("app.localhost").withPath(path.constData()));
        QCOMPARE(table.match(holder.facts), i);
    }
    const FactsHolder other(req().withHost("app.localhost").withPath("/zzz"));
    QCOMPARE(table.match(other.facts), 1000);
    QCOMPARE(table.candidates(other.facts).size(), size_t(1001));
    const FactsHolder elsewhere(req().withHost("other.localhost").withPath("/p1"));
    QCOMPARE(table.match(elsewhere.facts), -1);
    QVERIFY(table.candidates(elsewhere.facts).empty());
}

void tst_Rules::emptyTable()
{
    const RuleTable none;
    const FactsHolder holder(req());
    QCOMPARE(none.size(), size_t(0));
    QCOMPARE(none.match(holder.facts), -1);
    QVERIFY(none.candidates(holder.facts).empty());
    const RuleTable empty { std::vector<RuleTable::Entry> {} };
    QCOMPARE(empty.match(holder.facts), -1);
}
