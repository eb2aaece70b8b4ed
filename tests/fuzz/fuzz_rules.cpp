// libFuzzer target: arbitrary bytes as a rule; a rule that parses is matched against fixed requests
// and put in a RuleTable, so the lexer, parser, every matcher and the host index all see the input.
#include "core/common/header_list.h"
#include "core/rules/rule.h"

#include <QString>

#include <cstddef>
#include <cstdint>

using namespace portico;
using namespace portico::rules;

namespace {

struct FixedRequests
{
    HeaderList headers;
    RequestFacts plain;
    RequestFacts mapped;

    FixedRequests()
    {
        headers.add("Host", "app.localhost");
        headers.add("X-Env", "dev");
        headers.add("x-env", "prod, staging");
        headers.add("Content-Type", "application/json; charset=utf-8");
        plain.host = "app.localhost";
        plain.method = "GET";
        plain.path = "/api/v1/users/42";
        plain.rawQuery = "q=hello+world&debug;id=%34%32&bad=%zz&k";
        plain.headers = &headers;
        plain.clientIp = QHostAddress(QStringLiteral("192.0.2.10"));
        mapped = plain;
        mapped.host = "x.team.localhost.";
        mapped.method = "post";
        mapped.path = "/";
        mapped.rawQuery = {};
        mapped.headers = nullptr;
        mapped.clientIp = QHostAddress(QStringLiteral("::ffff:10.1.2.3"));
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const FixedRequests requests;
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto rule = Rule::parse(text);
    if (!rule.ok()) {
        // Every error must point inside the text (or just past its end).
        if (rule.error().message.isEmpty() || rule.error().where.column < 1
            || rule.error().where.column > text.size() + 1)
            __builtin_trap();
        return 0;
    }
    const bool plain = rule->matches(requests.plain);
    const bool mapped = rule->matches(requests.mapped);
    if (rule->defaultPriority() != text.toUtf8().size())
        __builtin_trap();
    auto other = Rule::parse(u"PathPrefix(`/`)");
    const RuleTable table({ { *rule, rule->defaultPriority(), 0 }, { std::move(*other), -1, 1 } });
    // The index may only skip entries that cannot match: the table must agree with the rule.
    if ((table.match(requests.plain) == 0) != plain
        || (table.match(requests.mapped) == 0) != mapped)
        __builtin_trap();
    return 0;
}
