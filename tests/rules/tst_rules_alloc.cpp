// Proves the request path stays allocation-free: global operator new is replaced in this test
// binary and counts calls while `g_counting` is set.
#include "tst_rules.h"

#include <QTest>

#include <atomic>
#include <cstdlib>
#include <new>

using namespace portico::rules;

namespace {

std::atomic<bool> g_counting { false };
std::atomic<int> g_allocations { 0 };

void *countedAlloc(std::size_t size)
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void *p = std::malloc(size ? size : 1))
        return p;
    throw std::bad_alloc();
}

} // namespace

void *operator new(std::size_t size)
{
    return countedAlloc(size);
}

void *operator new[](std::size_t size)
{
    return countedAlloc(size);
}

// The nothrow forms too (std::stable_sort's temporary buffer uses them), so that every
// allocation pairs with the free() below — AddressSanitizer checks that pairing.
void *operator new(std::size_t size, const std::nothrow_t &) noexcept
{
    if (g_counting.load(std::memory_order_relaxed))
        g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size ? size : 1);
}

void *operator new[](std::size_t size, const std::nothrow_t &tag) noexcept
{
    return operator new(size, tag);
}

void operator delete(void *p, const std::nothrow_t &) noexcept
{
    std::free(p);
}

void operator delete[](void *p, const std::nothrow_t &) noexcept
{
    std::free(p);
}

void operator delete(void *p) noexcept
{
    std::free(p);
}

void operator delete[](void *p) noexcept
{
    std::free(p);
}

void operator delete(void *p, std::size_t) noexcept
{
    std::free(p);
}

void operator delete[](void *p, std::size_t) noexcept
{
    std::free(p);
}

void tst_Rules::matchingDoesNotAllocate_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<Req>("request");
    auto row = [](const char *name, const char *rule, const Req &request) {
        QTest::newRow(name) << QString::fromUtf8(rule) << request;
    };
    row("host", "Host(`a.localhost`)", req().withHost("a.localhost"));
    row("host upper-case request", "Host(`a.localhost`)", req().withHost("A.LOCALHOST."));
    row("wildcard", "Host(`*.localhost`)", req().withHost("a.localhost"));
    row("path prefix", "Host(`a.localhost`) && PathPrefix(`/api`)",
        req().withHost("a.localhost").withPath("/api/x"));
    row("host regexp", "HostRegexp(`^[a-z]+\\.localhost$`)", req().withHost("a.localhost"));
    row("path regexp", "PathRegexp(`^/api/v[0-9]+/`)", req().withPath("/api/v2/x"));
    row("method", "Method(`GET`)", req());
    row("header", "Header(`X-Env`, `dev`)", req().withHeader("A", "1").withHeader("x-env", "dev"));
    row("header regexp", "HeaderRegexp(`X-Env`, `^d`)", req().withHeader("x-env", "dev"));
    row("query", "Query(`q`, `a b`)", req().withQuery("x=1&q=a+b"));
    row("query regexp", "QueryRegexp(`q`, `^a b$`)", req().withQuery("x=1;q=a%20b"));
    row("client ip v4", "ClientIP(`192.0.2.0/24`)", req());
    row("client ip mapped", "ClientIP(`192.0.2.0/24`)", req().withIp("::ffff:192.0.2.1"));
    row("operators", "!Host(`b`) && (Path(`/x`) || PathPrefix(`/`))", req());
}

void tst_Rules::matchingDoesNotAllocate()
{
    QFETCH(QString, rule);
    QFETCH(Req, request);
    auto parsed = Rule::parse(rule);
    QVERIFY(parsed.ok());
    auto fallback = Rule::parse(u"Host(`other.localhost`)");
    QVERIFY(fallback.ok());
    const RuleTable table({ { *parsed, 10, 7 }, { *fallback, 20, 8 } });
    const FactsHolder holder(request);
    QCOMPARE(table.match(holder.facts), 7); // warm-up: RE2 fills its DFA cache lazily
    g_allocations = 0;
    g_counting = true;
    int id = -1;
    for (int i = 0; i < 100; ++i)
        id = table.match(holder.facts);
    g_counting = false;
    QCOMPARE(id, 7);
    QCOMPARE(g_allocations.load(), 0);
}

void tst_Rules::countingAllocatorWorks()
{
    // Guards the test above against a replacement that silently stopped counting.
    g_allocations = 0;
    g_counting = true;
    auto *p = new std::vector<int>(100);
    g_counting = false;
    delete p;
    QVERIFY(g_allocations.load() >= 1);
}
