#include "core/proxy/connection_gauges.h"

#include <algorithm>

namespace portico::proxy {

ConnectionGauges::Slot::Slot(const QStringList &entryPoints)
{
    for (const QString &name : entryPoints) {
        const bool known = std::any_of(
            m_counters.begin(), m_counters.end(), [&](const Counter &c) { return c.name == name; });
        if (!known)
            m_counters.emplace_back().name = name;
    }
}

void ConnectionGauges::Slot::add(const QString &entryPoint, qint64 delta)
{
    for (Counter &c : m_counters) {
        if (c.name == entryPoint) {
            // Single writer: a plain read-modify-write is exact; readers see whole values.
            c.open.store(c.open.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
            return;
        }
    }
}

std::shared_ptr<ConnectionGauges::Slot> ConnectionGauges::addEngine(
    const std::vector<config::EntryPointSpec> &entryPoints)
{
    QStringList names;
    for (const config::EntryPointSpec &spec : entryPoints)
        names << spec.name;
    auto slot = std::make_shared<Slot>(names);
    std::lock_guard lock(m_mutex);
    m_slots.push_back(slot);
    return slot;
}

std::vector<std::pair<QString, qint64>> ConnectionGauges::counts() const
{
    std::vector<std::pair<QString, qint64>> out;
    std::lock_guard lock(m_mutex);
    for (const auto &slot : m_slots) {
        for (const Slot::Counter &c : slot->m_counters) {
            auto it = std::find_if(
                out.begin(), out.end(), [&](const auto &entry) { return entry.first == c.name; });
            if (it == out.end())
                it = out.insert(out.end(), { c.name, 0 });
            it->second += c.open.load(std::memory_order_relaxed);
        }
    }
    return out;
}

} // namespace portico::proxy
