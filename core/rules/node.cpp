#include "core/rules/node.h"

#include <algorithm>

namespace portico::rules {

namespace {

size_t hostCount(const HostRequirement &r)
{
    return r.exact.size() + r.wildcardSuffixes.size();
}

/// Matchers are pure, so operands may run in any order: cheapest first, ties as written.
std::vector<NodePtr> cheapestFirst(std::vector<NodePtr> children)
{
    std::stable_sort(children.begin(), children.end(),
        [](const NodePtr &l, const NodePtr &r) { return l->cost() < r->cost(); });
    return children;
}

int totalCost(const std::vector<NodePtr> &children)
{
    int sum = 0;
    for (const NodePtr &child : children)
        sum += child->cost();
    return sum;
}

void appendUnique(std::vector<QByteArray> &to, const std::vector<QByteArray> &from)
{
    for (const QByteArray &v : from) {
        if (std::find(to.begin(), to.end(), v) == to.end())
            to.push_back(v);
    }
}

} // namespace

Error errorAt(int column, QString message, QString hint)
{
    Error e;
    e.message = std::move(message);
    e.where.column = column;
    e.hint = std::move(hint);
    return e;
}

AllOf::AllOf(std::vector<NodePtr> children)
    : m_children(cheapestFirst(std::move(children)))
    , m_cost(totalCost(m_children))
{ }

bool AllOf::matches(const RequestFacts &facts) const
{
    for (const NodePtr &child : m_children) {
        if (!child->matches(facts))
            return false;
    }
    return true;
}

std::optional<HostRequirement> AllOf::hostRequirement() const
{
    // Any child's requirement holds for the conjunction; the smallest one indexes most tightly.
    std::optional<HostRequirement> best;
    for (const NodePtr &child : m_children) {
        auto r = child->hostRequirement();
        if (r && (!best || hostCount(*r) < hostCount(*best)))
            best = std::move(r);
    }
    return best;
}

AnyOf::AnyOf(std::vector<NodePtr> children)
    : m_children(cheapestFirst(std::move(children)))
    , m_cost(totalCost(m_children))
{ }

bool AnyOf::matches(const RequestFacts &facts) const
{
    for (const NodePtr &child : m_children) {
        if (child->matches(facts))
            return true;
    }
    return false;
}

std::optional<HostRequirement> AnyOf::hostRequirement() const
{
    // A disjunction constrains the host only when every branch does.
    HostRequirement all;
    for (const NodePtr &child : m_children) {
        const auto r = child->hostRequirement();
        if (!r)
            return std::nullopt;
        appendUnique(all.exact, r->exact);
        appendUnique(all.wildcardSuffixes, r->wildcardSuffixes);
    }
    return all;
}

Negation::Negation(NodePtr child)
    : m_child(std::move(child))
{ }

bool Negation::matches(const RequestFacts &facts) const
{
    return !m_child->matches(facts);
}

} // namespace portico::rules
