#pragma once

#include "core/config/static_spec.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace portico::proxy {

/// Open downstream connections per entry point (Traefik's `traefik_open_connections`). Each
/// engine counts in its own Slot, written by that engine's thread only (plain relaxed loads and
/// stores, no locked instruction and no cache line shared with other engines on the accept
/// path); a scrape sums the slots from any thread.
class ConnectionGauges
{
public:
    /// One engine's counters, one per entry point name.
    class Slot
    {
    public:
        explicit Slot(const QStringList &entryPoints);
        /// A connection was accepted on / closed from `entryPoint` (the owning engine only).
        void opened(const QString &entryPoint) { add(entryPoint, 1); }
        void closed(const QString &entryPoint) { add(entryPoint, -1); }

    private:
        friend class ConnectionGauges;
        struct alignas(64) Counter
        {
            QString name;
            std::atomic<qint64> open { 0 };
        };
        void add(const QString &entryPoint, qint64 delta);
        std::deque<Counter> m_counters; ///< fixed after construction (atomics do not move)
    };

    /// A new slot for an engine accepting on `entryPoints` (before it starts).
    std::shared_ptr<Slot> addEngine(const std::vector<config::EntryPointSpec> &entryPoints);
    /// Open connections of every entry point an engine counts, summed over engines, in the
    /// order the entry points were first given (thread-safe).
    std::vector<std::pair<QString, qint64>> counts() const;

private:
    mutable std::mutex m_mutex; ///< guards m_slots (taken at start-up and when scraped only)
    std::vector<std::shared_ptr<Slot>> m_slots;
};

} // namespace portico::proxy
