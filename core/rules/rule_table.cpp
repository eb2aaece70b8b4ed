#include "core/common/ascii.h"
#include "core/rules/rule.h"

#include <QVarLengthArray>

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace portico::rules {

namespace {

using Positions = std::vector<int>; ///< ascending positions in the priority-ordered entries
using HostMap = std::unordered_map<std::string_view, Positions>;

std::string_view key(QByteArrayView v)
{
    return std::string_view(v.data(), size_t(v.size()));
}

void addPosition(HostMap &map, const QByteArray &host, int position)
{
    Positions &list = map[key(host)];
    if (list.empty() || list.back() != position)
        list.push_back(position);
}

/// Each host's own entries merged with the host-agnostic ones, so a lookup yields the whole list.
void mergeAgnostic(HostMap &map, const Positions &agnostic)
{
    for (auto &[host, list] : map) {
        Positions merged;
        merged.reserve(list.size() + agnostic.size());
        std::merge(
            list.begin(), list.end(), agnostic.begin(), agnostic.end(), std::back_inserter(merged));
        list = std::move(merged);
    }
}

} // namespace

struct RuleTable::Index
{
    std::vector<Entry> entries; ///< priority descending, ties in input order
    Positions agnostic; ///< entries without a host requirement
    HostMap exact; ///< canonical host -> its entries + agnostic; keys view into `entries`
    HostMap wildcard; ///< suffix `.x.y` -> its entries + agnostic

    /// Calls `visit(entry)` for each candidate of `facts` in order until it returns true.
    template <typename Visit> void forEachCandidate(const RequestFacts &facts, Visit &&visit) const;
};

template <typename Visit>
void RuleTable::Index::forEachCandidate(const RequestFacts &facts, Visit &&visit) const
{
    // The entry point hands over a canonical host; lower-case defensively without allocating.
    QVarLengthArray<char, 256> lowered;
    QByteArrayView host = ascii::withoutTrailingDot(facts.host);
    if (ascii::hasUpper(host)) {
        for (const char c : host)
            lowered.append(ascii::lower(c));
        host = QByteArrayView(lowered.constData(), lowered.size());
    }
    const Positions *a = nullptr;
    const Positions *b = nullptr;
    if (!exact.empty()) {
        const auto it = exact.find(key(host));
        a = it == exact.end() ? nullptr : &it->second;
    }
    const qsizetype dot = host.indexOf('.');
    if (!wildcard.empty() && dot > 0) {
        const auto it = wildcard.find(key(host.sliced(dot)));
        b = it == wildcard.end() ? nullptr : &it->second;
    }
    if (!a)
        std::swap(a, b);
    if (!a)
        a = &agnostic;
    static const Positions none;
    if (!b)
        b = &none;
    // Both lists are ascending and share the agnostic entries: walk them as one, once each.
    auto i = a->begin(), j = b->begin();
    while (i != a->end() || j != b->end()) {
        int next = 0;
        if (j == b->end() || (i != a->end() && *i < *j)) {
            next = *i++;
        } else if (i == a->end() || *j < *i) {
            next = *j++;
        } else { // in both lists
            next = *i++;
            ++j;
        }
        if (visit(entries[size_t(next)]))
            return;
    }
}

RuleTable::RuleTable(std::vector<Entry> entries)
{
    auto index = std::make_shared<Index>();
    index->entries = std::move(entries);
    std::stable_sort(index->entries.begin(), index->entries.end(),
        [](const Entry &l, const Entry &r) { return l.priority > r.priority; });
    for (size_t pos = 0; pos < index->entries.size(); ++pos) {
        const auto &hosts = index->entries[pos].rule.requiredHosts();
        if (!hosts) {
            index->agnostic.push_back(int(pos));
            continue;
        }
        for (const QByteArray &host : hosts->exact)
            addPosition(index->exact, host, int(pos));
        for (const QByteArray &suffix : hosts->wildcardSuffixes)
            addPosition(index->wildcard, suffix, int(pos));
    }
    mergeAgnostic(index->exact, index->agnostic);
    mergeAgnostic(index->wildcard, index->agnostic);
    m_index = std::move(index);
}

int RuleTable::match(const RequestFacts &facts) const
{
    int found = -1;
    if (!m_index)
        return found;
    m_index->forEachCandidate(facts, [&](const Entry &entry) {
        if (!entry.rule.matches(facts))
            return false;
        found = entry.id;
        return true;
    });
    return found;
}

std::vector<int> RuleTable::candidates(const RequestFacts &facts) const
{
    std::vector<int> ids;
    if (!m_index)
        return ids;
    m_index->forEachCandidate(facts, [&](const Entry &entry) {
        ids.push_back(entry.id);
        return false;
    });
    return ids;
}

size_t RuleTable::size() const
{
    return m_index ? m_index->entries.size() : 0;
}

} // namespace portico::rules
