#include "core/observe/capture_hub.h"

#include <QMetaObject>
#include <QTimer>

#include <algorithm>

namespace portico::observe {

namespace {

/// Bytes of a record that eviction can drop while keeping the record: bodies and messages.
qint64 bodyCost(const ExchangeRecord &record)
{
    qint64 bytes = record.requestBody.data.size() + record.responseBody.data.size();
    for (const auto &message : record.messages)
        bytes += qint64(sizeof(MessageRecord)) + message.data.size();
    return bytes;
}

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

bool idLess(const RecordPtr &record, quint64 id)
{
    return record->id < id;
}

} // namespace

CaptureHub::CaptureHub(CaptureSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::make_shared<const CaptureSettings>(std::move(settings)))
{
    qRegisterMetaType<RecordBatch>("portico::observe::RecordBatch");
    qRegisterMetaType<CaptureSettings>("portico::observe::CaptureSettings");
}

CaptureHub::~CaptureHub() = default;

std::shared_ptr<const CaptureSettings> CaptureHub::settings() const
{
    return std::atomic_load(&m_settings);
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
    const auto current = settings();
    const bool captured = captures(*current, record->router);
    const bool finished = record->state != RecordState::InProgress;
    if (!captured && !finished)
        return;
    bool post = false;
    {
        std::lock_guard lock(m_mutex);
        if (captured) {
            storeLocked(record);
            enforceBudgetLocked();
            m_pendingCaptured.push_back(record);
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

/// Inserts by id (ids mostly arrive in order, so this is near the end) or replaces the older
/// version of the same id.
void CaptureHub::storeLocked(const RecordPtr &record)
{
    auto it = std::lower_bound(m_ring.begin(), m_ring.end(), record->id, idLess);
    const size_t position = size_t(it - m_ring.begin());
    if (it != m_ring.end() && (*it)->id == record->id) {
        const ExchangeRecord &old = **it;
        m_bytes -= old.byteCost();
        m_bodyBytes -= bodyCost(old);
        *it = record;
    } else {
        m_ring.insert(it, record);
    }
    m_bytes += record->byteCost();
    m_bodyBytes += bodyCost(*record);
    m_bodyScan = std::min(m_bodyScan, position);
}

/// Old bodies go first (a record's metadata is worth more per byte than an old body), but the
/// metadata of old records may hold at most half the budget, so recent records keep their
/// bodies under a flood; beyond that, whole records go oldest first.
void CaptureHub::enforceBudgetLocked()
{
    const qint64 budget = std::atomic_load(&m_settings)->budgetBytes;
    while (m_bytes > budget && !m_ring.empty()) {
        const qint64 metadata = m_bytes - m_bodyBytes;
        if (metadata <= budget / 2 && evictOldestBodyLocked())
            continue;
        const ExchangeRecord &oldest = *m_ring.front();
        m_bytes -= oldest.byteCost();
        m_bodyBytes -= bodyCost(oldest);
        m_ring.pop_front();
        if (m_bodyScan > 0)
            --m_bodyScan;
    }
}

/// Replaces the oldest record holding bodies by a copy without them; false when none has any.
bool CaptureHub::evictOldestBodyLocked()
{
    for (; m_bodyScan < m_ring.size(); ++m_bodyScan) {
        RecordPtr &slot = m_ring[m_bodyScan];
        const qint64 bodies = bodyCost(*slot);
        if (bodies == 0)
            continue;
        RecordPtr lighter = withoutBodies(*slot);
        m_bytes += lighter->byteCost() - slot->byteCost();
        m_bodyBytes -= bodies;
        slot = std::move(lighter);
        ++m_bodyScan;
        return true;
    }
    return false;
}

void CaptureHub::setSettings(const CaptureSettings &settings)
{
    std::atomic_store(&m_settings, std::make_shared<const CaptureSettings>(settings));
    {
        std::lock_guard lock(m_mutex);
        enforceBudgetLocked();
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
                            : std::lower_bound(m_ring.begin(), m_ring.end(), beforeId, idLess);
    const bool all = filter.isEmpty();
    while (it != m_ring.begin() && int(out.size()) < limit) {
        --it;
        if (all || matches(**it, filter))
            out.push_back(*it);
    }
    return out;
}

RecordPtr CaptureHub::record(quint64 id) const
{
    std::lock_guard lock(m_mutex);
    const auto it = std::lower_bound(m_ring.begin(), m_ring.end(), id, idLess);
    return it != m_ring.end() && (*it)->id == id ? *it : RecordPtr();
}

void CaptureHub::clear()
{
    {
        std::lock_guard lock(m_mutex);
        m_ring.clear();
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
