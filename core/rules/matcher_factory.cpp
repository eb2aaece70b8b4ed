#include "core/rules/matcher_factory.h"

#include "core/common/suggest.h"
#include "core/rules/client_ip_matcher.h"
#include "core/rules/header_matchers.h"
#include "core/rules/host_matchers.h"
#include "core/rules/path_matchers.h"
#include "core/rules/query_matchers.h"

#include <array>

namespace portico::rules {

namespace {

using Builder = Expected<NodePtr> (*)(const std::vector<Argument> &);

struct MatcherKind
{
    QLatin1String name;
    int minArgs;
    int maxArgs;
    Builder build;
};

// The only list of matcher kinds (Traefik v3 pkg/muxer/http/matcher.go httpFuncs).
const std::array<MatcherKind, 11> &matcherKinds()
{
    static const std::array<MatcherKind, 11> kinds = { {
        { QLatin1String("Host"), 1, 1, &HostMatcher::make },
        { QLatin1String("HostRegexp"), 1, 1, &HostRegexpMatcher::make },
        { QLatin1String("Path"), 1, 1, &PathMatcher::makeExact },
        { QLatin1String("PathPrefix"), 1, 1, &PathMatcher::makePrefix },
        { QLatin1String("PathRegexp"), 1, 1, &PathRegexpMatcher::make },
        { QLatin1String("Method"), 1, 1, &MethodMatcher::make },
        { QLatin1String("Header"), 2, 2, &HeaderMatcher::make },
        { QLatin1String("HeaderRegexp"), 2, 2, &HeaderRegexpMatcher::make },
        { QLatin1String("Query"), 1, 2, &QueryMatcher::make },
        { QLatin1String("QueryRegexp"), 1, 2, &QueryRegexpMatcher::make },
        { QLatin1String("ClientIP"), 1, 1, &ClientIpMatcher::make },
    } };
    return kinds;
}

QString countMessage(const MatcherKind &kind, size_t got)
{
    const QString expected = kind.minArgs == kind.maxArgs
        ? QStringLiteral("exactly %1 argument%2")
              .arg(kind.minArgs)
              .arg(kind.minArgs == 1 ? QLatin1String() : QLatin1String("s"))
        : QStringLiteral("%1 or %2 arguments").arg(kind.minArgs).arg(kind.maxArgs);
    return QStringLiteral("%1 expects %2, got %3").arg(kind.name, expected).arg(got);
}

QString countHint(const MatcherKind &kind, size_t got)
{
    if (got > size_t(kind.maxArgs) && kind.maxArgs == 1)
        return QStringLiteral("combine several values with \"||\", e.g. %1(`a`) || %1(`b`)")
            .arg(kind.name);
    return {};
}

} // namespace

bool matcherSpelledAs(const QString &written, QLatin1String name)
{
    if (written.size() != name.size())
        return false;
    const QString lower = QString(name).toLower();
    if (written == name || written == lower || written == QString(name).toUpper())
        return true;
    return written.front() == lower.front().toUpper()
        && QStringView(written).sliced(1) == QStringView(lower).sliced(1);
}

Expected<NodePtr> makeMatcher(
    const QString &name, int nameColumn, const std::vector<Argument> &args)
{
    const MatcherKind *kind = nullptr;
    for (const MatcherKind &k : matcherKinds()) {
        if (matcherSpelledAs(name, k.name))
            kind = &k;
    }
    if (!kind)
        return errorAt(nameColumn, QStringLiteral("unknown matcher \"%1\"").arg(name),
            didYouMean(name, matcherNames()));
    for (const Argument &arg : args) {
        if (arg.value.isEmpty())
            return errorAt(arg.column, QStringLiteral("empty argument to %1").arg(kind->name));
    }
    if (args.size() < size_t(kind->minArgs) || args.size() > size_t(kind->maxArgs))
        return errorAt(nameColumn, countMessage(*kind, args.size()), countHint(*kind, args.size()));
    return kind->build(args);
}

QStringList matcherNames()
{
    QStringList names;
    for (const MatcherKind &k : matcherKinds())
        names.append(k.name);
    return names;
}

} // namespace portico::rules
