#include "core/rules/host_matchers.h"

#include "core/common/ascii.h"

#include <re2/re2.h>

namespace portico::rules {

namespace {

/// Traefik refuses non-ASCII host values: IDNs must be written in punycode (`xn--…`).
std::optional<Error> requireAscii(const char *matcher, const Argument &arg)
{
    for (const char c : arg.value) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            return errorAt(arg.column,
                QStringLiteral("invalid %1 value \"%2\": non-ASCII characters are not allowed")
                    .arg(QLatin1String(matcher), QString::fromUtf8(arg.value)),
                QStringLiteral("write internationalised names in punycode (xn--...)"));
        }
    }
    return std::nullopt;
}

} // namespace

Expected<NodePtr> HostMatcher::make(const std::vector<Argument> &args)
{
    const Argument &arg = args.front();
    if (auto error = requireAscii("Host", arg))
        return *error;
    const QByteArray host = ascii::withoutTrailingDot(arg.value).toByteArray().toLower();
    if (host == "*")
        return NodePtr(std::make_unique<HostMatcher>(Kind::Any, QByteArray()));
    if (host.startsWith("*.") && host.size() > 2)
        return NodePtr(std::make_unique<HostMatcher>(Kind::Wildcard, host.mid(1)));
    return NodePtr(std::make_unique<HostMatcher>(Kind::Exact, host));
}

HostMatcher::HostMatcher(Kind kind, QByteArray host)
    : m_kind(kind)
    , m_host(std::move(host))
{ }

bool HostMatcher::matches(const RequestFacts &facts) const
{
    const QByteArrayView host = ascii::withoutTrailingDot(facts.host);
    switch (m_kind) {
    case Kind::Any:
        return true;
    case Kind::Exact:
        return !facts.host.isEmpty() && ascii::equalsIgnoreCase(host, m_host);
    case Kind::Wildcard:
        break;
    }
    if (host.size() <= m_host.size() || !ascii::equalsIgnoreCase(host.last(m_host.size()), m_host))
        return false;
    // Exactly one extra, non-empty label in front of the suffix.
    return !host.first(host.size() - m_host.size()).contains('.');
}

std::optional<HostRequirement> HostMatcher::hostRequirement() const
{
    HostRequirement r;
    switch (m_kind) {
    case Kind::Any:
        return std::nullopt;
    case Kind::Exact:
        r.exact.push_back(m_host);
        break;
    case Kind::Wildcard:
        r.wildcardSuffixes.push_back(m_host);
        break;
    }
    return r;
}

Expected<NodePtr> HostRegexpMatcher::make(const std::vector<Argument> &args)
{
    if (auto error = requireAscii("HostRegexp", args.front()))
        return *error;
    auto re = compileRegex(args.front());
    if (!re)
        return re.error();
    return NodePtr(std::make_unique<HostRegexpMatcher>(std::move(*re)));
}

HostRegexpMatcher::HostRegexpMatcher(RegexPtr re)
    : m_re(std::move(re))
{ }

bool HostRegexpMatcher::matches(const RequestFacts &facts) const
{
    return regexFinds(*m_re, facts.host);
}

} // namespace portico::rules
