#pragma once

#include "core/rules/node.h"
#include "core/rules/regex.h"

namespace portico::rules {

/// `Path(p)` (whole routing path equal) and `PathPrefix(p)` (plain byte prefix, not
/// segment-aware: `/products` matches `/products-for-sale`, as in Traefik).
class PathMatcher final : public Node
{
public:
    /// Builds `Path`; the value must start with `/`.
    static Expected<NodePtr> makeExact(const std::vector<Argument> &args);
    /// Builds `PathPrefix`; the value must start with `/`.
    static Expected<NodePtr> makePrefix(const std::vector<Argument> &args);
    PathMatcher(QByteArray path, bool prefix);

    bool matches(const RequestFacts &facts) const override;

private:
    QByteArray m_path;
    bool m_prefix;
};

/// `PathRegexp(re)`: the regexp searched in the routing path (case-sensitive unless `(?i)`).
class PathRegexpMatcher final : public Node
{
public:
    /// Compiles the pattern (RE2/Go syntax) and builds the matcher.
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    explicit PathRegexpMatcher(RegexPtr re);

    bool matches(const RequestFacts &facts) const override;
    int cost() const override { return kRegexCost; }

private:
    RegexPtr m_re;
};

/// `Method(m)`: the value is upper-cased, the request method compared exactly (RFC 9110 §9.1:
/// methods are case-sensitive, so a `get` request never matches).
class MethodMatcher final : public Node
{
public:
    /// Builds the matcher with the value upper-cased.
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    explicit MethodMatcher(QByteArray method);

    bool matches(const RequestFacts &facts) const override;

private:
    QByteArray m_method;
};

} // namespace portico::rules
