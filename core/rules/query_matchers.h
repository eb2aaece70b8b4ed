#pragma once

#include "core/rules/node.h"
#include "core/rules/regex.h"

namespace portico::rules {

/// `Query(key, value)`: some pair of the parsed query has that key and that value (both
/// compared after percent-decoding, case-sensitive); `Query(key)` wants an empty value
/// (`?key` or `?key=`), as in Traefik.
class QueryMatcher final : public Node
{
public:
    /// Builds the matcher from (key) or (key, value).
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    QueryMatcher(QByteArray key, QByteArray value);

    bool matches(const RequestFacts &facts) const override;
    int cost() const override { return kListCost; }

private:
    QByteArray m_key;
    QByteArray m_value;
};

/// `QueryRegexp(key, re)`: some value of that key is found by the regexp; with one argument it
/// is `Query(key)`.
class QueryRegexpMatcher final : public Node
{
public:
    /// Builds the matcher from (key, pattern), or a QueryMatcher from (key).
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    QueryRegexpMatcher(QByteArray key, RegexPtr re);

    bool matches(const RequestFacts &facts) const override;
    int cost() const override { return kListCost + kRegexCost; }

private:
    QByteArray m_key;
    RegexPtr m_re;
};

} // namespace portico::rules
