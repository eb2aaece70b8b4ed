#include "core/rules/tcp_rule.h"

#include "core/common/suggest.h"
#include "core/rules/client_ip_matcher.h"
#include "core/rules/matcher_factory.h"
#include "core/rules/node.h"
#include "core/rules/tcp_matchers.h"

#include <array>

namespace portico::rules {

namespace {

using Builder = Expected<NodePtr> (*)(const std::vector<Argument> &);

struct TcpMatcherKind
{
    QLatin1String name;
    Builder build;
};

// The only list of TCP matcher kinds (Traefik v3 pkg/muxer/tcp/matcher.go tcpFuncs); each takes
// exactly one argument.
const std::array<TcpMatcherKind, 4> &tcpMatcherKinds()
{
    static const std::array<TcpMatcherKind, 4> kinds = { {
        { QLatin1String("HostSNI"), &HostSniMatcher::make },
        { QLatin1String("HostSNIRegexp"), &makeHostSniRegexp },
        { QLatin1String("ClientIP"), &ClientIpMatcher::make },
        { QLatin1String("ALPN"), &AlpnMatcher::make },
    } };
    return kinds;
}

/// The hint for a name that is no TCP matcher: the HTTP matchers people carry over get a pointer
/// to their TCP counterpart, anything else the closest TCP name.
QString unknownHint(const QString &name)
{
    for (const QString &http : matcherNames()) {
        if (!matcherSpelledAs(name, QLatin1String(http.toLatin1())))
            continue;
        if (http == u"Host")
            return QStringLiteral("\"Host\" is an HTTP matcher; TCP routers match the TLS server "
                                  "name with HostSNI(`...`)");
        if (http == u"HostRegexp")
            return QStringLiteral("\"HostRegexp\" is an HTTP matcher; TCP routers use "
                                  "HostSNIRegexp(`...`)");
        return QStringLiteral("\"%1\" is an HTTP matcher; TCP rules know %2")
            .arg(http, tcpMatcherNames().join(QLatin1String(", ")));
    }
    return didYouMean(name, tcpMatcherNames());
}

} // namespace

Expected<NodePtr> makeTcpMatcher(
    const QString &name, int nameColumn, const std::vector<Argument> &args)
{
    const TcpMatcherKind *kind = nullptr;
    for (const TcpMatcherKind &k : tcpMatcherKinds()) {
        if (matcherSpelledAs(name, k.name))
            kind = &k;
    }
    if (!kind)
        return errorAt(
            nameColumn, QStringLiteral("unknown TCP matcher \"%1\"").arg(name), unknownHint(name));
    for (const Argument &arg : args) {
        if (arg.value.isEmpty())
            return errorAt(arg.column, QStringLiteral("empty argument to %1").arg(kind->name));
    }
    if (args.size() != 1) {
        return errorAt(nameColumn,
            QStringLiteral("%1 expects exactly 1 argument, got %2")
                .arg(kind->name)
                .arg(args.size()),
            args.size() > 1
                ? QStringLiteral("combine several values with \"||\", e.g. %1(`a`) || %1(`b`)")
                      .arg(kind->name)
                : QString());
    }
    return kind->build(args);
}

QStringList tcpMatcherNames()
{
    QStringList names;
    for (const TcpMatcherKind &k : tcpMatcherKinds())
        names.append(k.name);
    return names;
}

Expected<Rule> parseTcpRule(QStringView text)
{
    auto rule = Rule::parse(text, &makeTcpMatcher);
    if (!rule && rule.error().message == u"empty rule") {
        Error e = rule.error();
        e.hint = QStringLiteral("write a rule such as HostSNI(`db.localhost`)");
        return e;
    }
    return rule;
}

} // namespace portico::rules
