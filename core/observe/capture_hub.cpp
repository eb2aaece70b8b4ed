#include "core/observe/capture_hub.h"

#include <QMetaObject>
#include <QTimer>

#include <algorithm>
#include <iterator>

namespace portico::observe {

namespace {

/// Bodies smaller than this stay with their record until the whole record goes: stripping one
/// copies the record, which costs more than the few bytes it frees.
constexpr qint64 kMinStrippableBody = 4096;

/// Slots storeLocked() walks back from the end before it bisects instead.
constexpr int kBackwardScan = 64;

/// The record without its bodies and messages, marked evicted (sizes and everything else kept).
RecordPtr withoutBodies(const ExchangeRecord &record)
{
    auto copy = std::make_shared<ExchangeRecord>(record);
    for (CapturedBody *body : { &copy->requestBody, &copy->responseBody }) {
        if (!body->data.isEmpty())
            body->evicted = true;
        body->data = QByteArray();
    }
    if (!copy->messages.empty())
        copy->messagesTruncated = true;
    copy->messages.clear();
    copy->messages.shrink_to_fit();
    return copy;
}

} // namespace

CaptureHub::CaptureHub(CaptureSettings settings, QObject *parent)
    : QObject(parent)
{
    static_assert(512 / (512 / qint64(sizeof(Slot))) <= kSlotBytes,
        "kSlotBytes must cover a slot's share of a (libstdc++) deque block");
    qRegisterMetaType<RecordBatch>("portico::observe::RecordBatch");
    qRegisterMetaType<CaptureSettings>("portico::observe::CaptureSettings");
    m_settingsVersions.push_back(std::make_shared<const CaptureSettings>(std::move(settings)));
    m_current.store(m_settingsVersions.back().get(), std::memory_order_release);
}

CaptureHub::~CaptureHub() = default;

std::shared_ptr<const CaptureSettings> CaptureHub::settings() const
{
    std::lock_guard lock(m_settingsMutex);
    return m_settingsVersions.back();
}

bool CaptureHub::captures(const CaptureSettings &settings, const QString &router) const
{
    if (settings.paused)
        return false;
    return settings.routers.isEmpty() || settings.routers.contains(router);
}

quint64 CaptureHub::nextId()
{
    return m_nextId.fetch_add(1, std::memory_order_relaxed);
}

void CaptureHub::seedIds(quint64 lastId)
{
    // Never go back: ids already handed out stay unique.
    quint64 current = m_nextId.load();
    while (current <= lastId && !m_nextId.compare_exchange_weak(current, lastId + 1)) { }
}

void CaptureHub::publish(RecordPtr record)
{
    if (!record)
        return;
    const bool captured = captures(currentSettings(), record->router);
    const bool finished = record->state != RecordState::InProgress;
    if (!captured && !finished)
        return;
    // Costs are walked here, before the lock: the record is warm in this thread's cache.
    const qint64 cost = captured ? record->byteCost() + kSlotBytes : 0;
    const qint64 strippable = captured ? record->bodyCost() : 0;
    bool post = false;
    // Evicted records are destroyed after the lock is released: they are old (cold in the
    // cache) and freeing them must not hold up the other engine threads.
    RecordBatch dropped;
    {
        std::lock_guard lock(m_mutex);
        if (captured) {
            m_pendingCaptured.push_back(record);
            storeLocked(record, cost, strippable, dropped);
            enforceBudgetLocked(dropped);
        }
        if (finished)
            m_pendingFinished.push_back(std::move(record));
        post = !std::exchange(m_deliveryPosted, true);
    }
    // One wake-up of the hub's thread per delivery interval: whatever arrives meanwhile rides
    // along. Waking it for every record cost a third of the proxy's throughput under load (a
    // context switch per request on a busy machine); 20 ms is still live for a person watching.
    if (post) {
        QMetaObject::invokeMethod(
            this, [this] { QTimer::singleShot(kDeliveryIntervalMs, this, &CaptureHub::deliver); },
            Qt::QueuedConnection);
    }
}

void CaptureHub::deliver()
{
    RecordBatch captured;
    RecordBatch finished;
    {
        std::lock_guard lock(m_mutex);
        captured.swap(m_pendingCaptured);
        finished.swap(m_pendingFinished);
        m_deliveryPosted = false;
    }
    if (!captured.empty())
        Q_EMIT recordsPublished(captured);
    if (!finished.empty())
        Q_EMIT exchangesFinished(finished);
}

/// Appends (ids mostly arrive in order), inserts by id, or replaces the older version of the
/// same id (which goes to `dropped`).
void CaptureHub::storeLocked(RecordPtr record, qint64 cost, qint64 strippable, RecordBatch &dropped)
{
    Slot slot { record->id, cost, strippable, std::move(record) };
    m_bytes += slot.cost;
    m_bodyBytes += slot.bodyCost;
    if (m_ring.empty() || m_ring.back().id < slot.id) {
        m_ring.push_back(std::move(slot));
        return;
    }
    // Engines finish exchanges a little out of id order: the place is near the end, found by
    // walking back over recent (cache-warm) slots rather than by bisecting the whole ring.
    auto it = m_ring.end();
    for (int steps = 0; it != m_ring.begin() && std::prev(it)->id >= slot.id; --it) {
        if (++steps > kBackwardScan) {
            it = std::lower_bound(m_ring.begin(), it, slot.id, slotIdLess);
            break;
        }
    }
    m_bodyScan = std::min(m_bodyScan, size_t(it - m_ring.begin()));
    if (it != m_ring.end() && it->id == slot.id) {
        m_bytes -= it->cost;
        m_bodyBytes -= it->bodyCost;
        dropped.push_back(std::move(it->record));
        *it = std::move(slot);
    } else {
        m_ring.insert(it, std::move(slot));
    }
}

/// Old bodies go first (a record's metadata is worth more per byte than an old body), but the
/// metadata of old records may hold at most half the budget, so recent records keep their
/// bodies under a flood; beyond that, whole records go oldest first.
void CaptureHub::enforceBudgetLocked(RecordBatch &dropped)
{
    const qint64 budget = currentSettings().budgetBytes;
    while (m_bytes > budget && !m_ring.empty()) {
        const qint64 metadata = m_bytes - m_bodyBytes;
        if (metadata <= budget / 2 && evictOldestBodyLocked(dropped))
            continue;
        Slot &oldest = m_ring.front();
        m_bytes -= oldest.cost;
        m_bodyBytes -= oldest.bodyCost;
        dropped.push_back(std::move(oldest.record));
        m_ring.pop_front();
        if (m_bodyScan > 0)
            --m_bodyScan;
    }
}

/// Replaces the oldest record holding a body worth stripping by a copy without its bodies; false
/// when none has one.
bool CaptureHub::evictOldestBodyLocked(RecordBatch &dropped)
{
    for (; m_bodyScan < m_ring.size(); ++m_bodyScan) {
        Slot &slot = m_ring[m_bodyScan];
        if (slot.bodyCost < kMinStrippableBody)
            continue;
        RecordPtr lighter = withoutBodies(*slot.record);
        const qint64 cost = lighter->byteCost() + kSlotBytes;
        m_bytes += cost - slot.cost;
        m_bodyBytes -= slot.bodyCost;
        slot.cost = cost;
        slot.bodyCost = 0; // what stayed (bodies packed with the record) goes with the record
        dropped.push_back(std::exchange(slot.record, std::move(lighter)));
        ++m_bodyScan;
        return true;
    }
    return false;
}

void CaptureHub::setSettings(const CaptureSettings &settings)
{
    {
        std::lock_guard lock(m_settingsMutex);
        m_settingsVersions.push_back(std::make_shared<const CaptureSettings>(settings));
        m_current.store(m_settingsVersions.back().get(), std::memory_order_release);
    }
    RecordBatch dropped;
    {
        std::lock_guard lock(m_mutex);
        enforceBudgetLocked(dropped);
    }
    Q_EMIT settingsChanged(settings);
}

void CaptureHub::setPaused(bool paused)
{
    CaptureSettings next = *settings();
    if (next.paused == paused)
        return;
    next.paused = paused;
    setSettings(next);
}

RecordBatch CaptureHub::records(const RecordFilter &filter, quint64 beforeId, int limit) const
{
    RecordBatch out;
    std::lock_guard lock(m_mutex);
    auto it = beforeId == 0 ? m_ring.end()
                            : std::lower_bound(m_ring.begin(), m_ring.end(), beforeId, slotIdLess);
    const bool all = filter.isEmpty();
    while (it != m_ring.begin() && int(out.size()) < limit) {
        --it;
        if (all || matches(*it->record, filter))
            out.push_back(it->record);
    }
    return out;
}

RecordPtr CaptureHub::record(quint64 id) const
{
    std::lock_guard lock(m_mutex);
    const auto it = std::lower_bound(m_ring.begin(), m_ring.end(), id, slotIdLess);
    return it != m_ring.end() && it->id == id ? it->record : RecordPtr();
}

void CaptureHub::clear()
{
    std::deque<Slot> old; // destroyed after the lock is released
    {
        std::lock_guard lock(m_mutex);
        old.swap(m_ring);
        m_bytes = 0;
        m_bodyBytes = 0;
        m_bodyScan = 0;
    }
    Q_EMIT cleared();
}

qint64 CaptureHub::bytesUsed() const
{
    std::lock_guard lock(m_mutex);
    return m_bytes;
}

size_t CaptureHub::count() const
{
    std::lock_guard lock(m_mutex);
    return m_ring.size();
}

} // namespace portico::observe
