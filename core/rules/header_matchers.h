#pragma once

#include "core/rules/node.h"
#include "core/rules/regex.h"

namespace portico::rules {

/// `Header(name, value)`: the name compared case-insensitively (RFC 9110 §5.1), and any one
/// field line whose value equals `value` exactly matches; a comma-joined line is one value.
/// `Host` is not a header field here (Go moves it to Request.Host), so Header(`Host`, …) never
/// matches, as in Traefik.
class HeaderMatcher final : public Node
{
public:
    /// Builds the matcher from (name, value); the name is compared case-insensitively.
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    HeaderMatcher(QByteArray name, QByteArray value);

    bool matches(const RequestFacts &facts) const override;
    int cost() const override { return kListCost; }

private:
    QByteArray m_name;
    QByteArray m_value;
    bool m_host; ///< named `Host`: never matches, as in Traefik
};

/// `HeaderRegexp(name, re)`: any field line of that name whose value the regexp finds.
class HeaderRegexpMatcher final : public Node
{
public:
    /// Builds the matcher from (name, pattern); the pattern is compiled with RE2 (Go syntax).
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    HeaderRegexpMatcher(QByteArray name, RegexPtr re);

    bool matches(const RequestFacts &facts) const override;
    int cost() const override { return kListCost + kRegexCost; }

private:
    QByteArray m_name;
    RegexPtr m_re;
    bool m_host; ///< named `Host`: never matches, as in Traefik
};

} // namespace portico::rules
