#pragma once

#include "core/common/expected.h"
#include "core/rules/request_facts.h"

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace portico::rules {

class Node;
struct Argument;

/// Builds one matcher node from its name as written, the name's column and its arguments: the
/// vocabulary of one rule language (HTTP matchers, TCP matchers).
using MatcherBuilder = Expected<std::unique_ptr<const Node>> (*)(
    const QString &name, int nameColumn, const std::vector<Argument> &args);

/// Hosts that every request matched by a rule must carry; lets a RuleTable index routers by host.
struct HostRequirement
{
    std::vector<QByteArray> exact; ///< canonical host names (`shop.localhost`)
    std::vector<QByteArray> wildcardSuffixes; ///< from `*.x.y`: the suffix `.x.y` (one extra label)
};

/// A compiled Traefik v3 HTTP rule. Immutable and cheap to copy; safe to share between threads.
class Rule
{
public:
    /// Parses and compiles `text`; errors carry the 1-based column in `Error::where.column`.
    static Expected<Rule> parse(QStringView text);
    /// Parses `text` with another matcher vocabulary (the TCP rules: HostSNI, ALPN, …).
    static Expected<Rule> parse(QStringView text, MatcherBuilder builder);

    /// True when the request satisfies the rule; a default-constructed Rule matches nothing.
    bool matches(const RequestFacts &facts) const;
    const QString &text() const { return m_text; }
    /// Traefik's default priority: length of the rule text in UTF-8 bytes.
    qint64 defaultPriority() const;
    /// Hosts one of which every matching request carries; nullopt when any host may match.
    const std::optional<HostRequirement> &requiredHosts() const { return m_hosts; }

private:
    QString m_text;
    std::shared_ptr<const Node> m_root;
    std::optional<HostRequirement> m_hosts;
};

/// The routers of one entry point ready for matching: ordered by priority, indexed by host so that
/// matching cost does not grow with the number of host-only routers.
class RuleTable
{
public:
    struct Entry
    {
        Rule rule;
        qint64 priority = 0; ///< effective priority (explicit, or the rule's default)
        int id = 0; ///< caller's payload index, returned by match()
    };

    RuleTable() = default;
    /// Higher priority wins; entries of equal priority keep their order in `entries`.
    explicit RuleTable(std::vector<Entry> entries);

    /// id of the best matching entry, or -1 when none matches.
    int match(const RequestFacts &facts) const;
    /// ids of every entry that could match this request's host, in the order they are tried
    /// (for the route explainer).
    std::vector<int> candidates(const RequestFacts &facts) const;
    size_t size() const;

private:
    struct Index;
    std::shared_ptr<const Index> m_index;
};

} // namespace portico::rules
