#pragma once

#include "core/common/error.h"
#include "core/rules/rule.h"

#include <QByteArray>

#include <memory>
#include <optional>
#include <vector>

namespace portico::rules {

/// One node of a compiled rule: a matcher or a boolean operator. Immutable once built.
class Node
{
public:
    virtual ~Node() = default;
    /// True when the request satisfies this node; must not allocate in the common case.
    virtual bool matches(const RequestFacts &facts) const = 0;
    /// Hosts every matching request must carry, or nullopt when any host may match.
    virtual std::optional<HostRequirement> hostRequirement() const { return std::nullopt; }
    /// Rough relative cost of matches(); `&&` and `||` try cheap children first.
    virtual int cost() const { return 1; }
};

using NodePtr = std::unique_ptr<const Node>;

/// Node::cost() of a matcher that scans a list (header lines, query pairs).
constexpr int kListCost = 2;
/// Node::cost() of a regular-expression search (RE2 has a fixed per-call overhead).
constexpr int kRegexCost = 8;

/// A decoded string-literal argument of a matcher and the column where its literal starts.
struct Argument
{
    QByteArray value; ///< decoded bytes (UTF-8 for text from the rule)
    int column = 0; ///< 1-based column of the literal's opening quote
};

/// An Error located at `column` of the rule text.
Error errorAt(int column, QString message, QString hint = {});

/// Matches when every child matches (`&&`); children are tried in order and stop at the first miss.
class AllOf final : public Node
{
public:
    explicit AllOf(std::vector<NodePtr> children);
    bool matches(const RequestFacts &facts) const override;
    std::optional<HostRequirement> hostRequirement() const override;
    int cost() const override { return m_cost; }

private:
    std::vector<NodePtr> m_children;
    int m_cost;
};

/// Matches when any child matches (`||`).
class AnyOf final : public Node
{
public:
    explicit AnyOf(std::vector<NodePtr> children);
    bool matches(const RequestFacts &facts) const override;
    std::optional<HostRequirement> hostRequirement() const override;
    int cost() const override { return m_cost; }

private:
    std::vector<NodePtr> m_children;
    int m_cost;
};

/// Matches when its child does not (`!`); it never constrains the host.
class Negation final : public Node
{
public:
    explicit Negation(NodePtr child);
    bool matches(const RequestFacts &facts) const override;
    int cost() const override { return m_child->cost(); }

private:
    NodePtr m_child;
};

} // namespace portico::rules
