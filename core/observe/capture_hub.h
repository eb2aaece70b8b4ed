#pragma once

#include "core/observe/exchange_record.h"
#include "core/observe/record_filter.h"

#include <QObject>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace portico::observe {

/// What the capture keeps (static config `portico.capture`, changeable at run time).
struct CaptureSettings
{
    bool paused = false; ///< records still reach exchangesFinished (logs, metrics), not the ring
    qint64 bodyCap = 1 << 20; ///< bytes kept of each request and response body
    qint64 budgetBytes = qint64(256) << 20; ///< heap bytes of the ring; old bodies go first
    int maxMessages = 1000; ///< WebSocket messages / SSE events kept per exchange
    int messageCap = 64 * 1024; ///< bytes kept of each message
    QStringList routers; ///< capture only these routers (qualified names); empty = every router
};

/// The meeting point of the data plane and everything that looks at traffic. Engine threads
/// publish records (thread-safe, cheap: a lock-free settings read and a short append); the hub
/// keeps captured ones in a ring bounded by a byte budget and announces them in batches on its
/// own thread, so a flood of requests costs consumers one queued signal per batch.
///
/// Budget: bytes are heap bytes as the allocator takes them (ExchangeRecord::byteCost(), plus
/// each record's ring slot), so that a budget of 256 MiB costs the process about 256 MiB; when
/// the ring exceeds budgetBytes, the bodies and messages of the oldest records go
/// first (the record stays, its bodies marked evicted; this is not announced again, so the
/// history keeps what it stored), as long as record metadata holds at most half the budget;
/// beyond that whole records go, oldest first. Paused or router-filtered exchanges are not
/// stored and carry no bodies, but still reach exchangesFinished.
///
/// Threads: publish()/settings()/nextId() from any thread; queries from any thread; signals are
/// emitted on the thread the hub lives on (connect with Qt::QueuedConnection from elsewhere).
///
/// Cost: publish() is on every exchange's path, so it touches no old record (the ring keeps each
/// record's id and byte costs beside it) and destroys evicted records after the lock is released.
class CaptureHub final : public QObject
{
    Q_OBJECT
public:
    /// Records published meanwhile are announced together, at most this long after the first.
    static constexpr int kDeliveryIntervalMs = 20;
    /// What the ring's bookkeeping costs per record, counted with it (a slot's share of the
    /// deque's 512-byte blocks, rounded up).
    static constexpr qint64 kSlotBytes = 48;

    explicit CaptureHub(CaptureSettings settings = {}, QObject *parent = nullptr);
    ~CaptureHub() override;

    /// The settings in force (an immutable snapshot).
    std::shared_ptr<const CaptureSettings> settings() const;
    /// The settings in force without reference counting (engines read it once per exchange):
    /// every version stays alive as long as the hub, so the reference never dangles.
    const CaptureSettings &currentSettings() const
    {
        return *m_current.load(std::memory_order_acquire);
    }
    /// True when bodies and messages of an exchange routed by `router` should be captured.
    bool captures(const CaptureSettings &settings, const QString &router) const;
    /// A new record id (increasing; seeded from the history at start).
    quint64 nextId();
    /// Ids continue after `lastId` (the history's newest record).
    void seedIds(quint64 lastId);
    /// A new record or a newer version of one already published (same id).
    void publish(RecordPtr record);

    void setSettings(const CaptureSettings &settings);
    void setPaused(bool paused);
    /// Captured records matching `filter`, newest first, with ids below `beforeId` (0 = newest),
    /// at most `limit`.
    RecordBatch records(const RecordFilter &filter, quint64 beforeId = 0, int limit = 100) const;
    /// One captured record, or null when it was never captured or has been evicted.
    RecordPtr record(quint64 id) const;
    /// Forgets every captured record.
    void clear();
    qint64 bytesUsed() const;
    size_t count() const;

Q_SIGNALS:
    /// Captured records, new or updated (state moved on), oldest first.
    void recordsPublished(const portico::observe::RecordBatch &records);
    /// Every exchange that ended (Complete or Aborted), captured or not — for access logs and
    /// metrics. Bodies are present only when the exchange was captured.
    void exchangesFinished(const portico::observe::RecordBatch &records);
    void cleared();
    void settingsChanged(const portico::observe::CaptureSettings &settings);

private:
    /// A ring entry: what storing and evicting need, without touching the (cold) record.
    struct Slot
    {
        quint64 id = 0;
        qint64 cost = 0; ///< record->byteCost() + kSlotBytes
        qint64 bodyCost = 0; ///< the part of cost that eviction of bodies frees
        RecordPtr record;
    };

    void deliver();
    void storeLocked(RecordPtr record, qint64 cost, qint64 strippable, RecordBatch &dropped);
    void enforceBudgetLocked(RecordBatch &dropped);
    bool evictOldestBodyLocked(RecordBatch &dropped);
    static bool slotIdLess(const Slot &slot, quint64 id) { return slot.id < id; }

    std::atomic<const CaptureSettings *> m_current { nullptr };
    mutable std::mutex m_settingsMutex;
    /// Every settings version set so far (changes are rare, each a few hundred bytes): keeps
    /// what currentSettings() returned valid for the hub's life. The last one is in force.
    std::vector<std::shared_ptr<const CaptureSettings>> m_settingsVersions;
    std::atomic<quint64> m_nextId { 1 };
    mutable std::mutex m_mutex;
    std::deque<Slot> m_ring; ///< by id, oldest first
    qint64 m_bytes = 0;
    qint64 m_bodyBytes = 0; ///< the part of m_bytes that bodies and messages hold
    size_t m_bodyScan = 0; ///< records before this index hold no body worth stripping
    RecordBatch m_pendingCaptured; ///< waiting for deliver()
    RecordBatch m_pendingFinished;
    bool m_deliveryPosted = false;
};

} // namespace portico::observe
