#pragma once

#include "core/rules/node.h"
#include "core/rules/regex.h"

namespace portico::rules {

/// `Host(value)`: case-insensitive host equality, a trailing dot on either side ignored;
/// `*.x.y` matches exactly one extra label, bare `*` matches every request (Traefik v3.7).
class HostMatcher final : public Node
{
public:
    enum class Kind { Exact, Wildcard, Any };

    /// Validates the value (ASCII only, punycode for IDNs) and builds the matcher.
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    HostMatcher(Kind kind, QByteArray host);

    bool matches(const RequestFacts &facts) const override;
    std::optional<HostRequirement> hostRequirement() const override;

private:
    Kind m_kind;
    QByteArray m_host; ///< lower-case without trailing dot; for Wildcard the suffix `.x.y`
};

/// `HostRegexp(re)`: the regexp searched in the canonical (lower-case, port-less) host.
class HostRegexpMatcher final : public Node
{
public:
    /// Validates the pattern (ASCII only, RE2/Go syntax) and builds the matcher.
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    explicit HostRegexpMatcher(RegexPtr re);

    bool matches(const RequestFacts &facts) const override;
    int cost() const override { return kRegexCost; }

private:
    RegexPtr m_re;
};

} // namespace portico::rules
