#include "core/observe/history_writer.h"

#include "core/observe/history_database.h"
#include "core/observe/history_store.h"

#include <QDateTime>
#include <QMetaObject>

#include <algorithm>
#include <utility>

#ifdef Q_OS_LINUX
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace portico::observe {

namespace {

// Retention scans the table; after writes it runs at most this often.
constexpr qint64 retentionIntervalMs = 60 * 1000;

/// The calling thread runs only on CPU time nothing else wants (Linux SCHED_IDLE, nice 19
/// where that policy is refused; both are per thread): under load the engines come first, the
/// backlog absorbs the difference and the writer catches up when the load stops.
void lowerThreadPriority()
{
#ifdef Q_OS_LINUX
    static_cast<void>(setpriority(PRIO_PROCESS, id_t(gettid()), 19));
    const sched_param param {};
    static_cast<void>(sched_setscheduler(gettid(), SCHED_IDLE, &param));
#endif
}

} // namespace

void applyHistoryRetention(history::Connection &connection, qint64 maxBytes, qint64 maxAgeUs)
{
    const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    auto deleted = history::enforceRetention(connection, maxBytes, nowUs - maxAgeUs);
    if (!deleted)
        qCWarning(lcHistory).noquote() << deleted.error().toString();
    else if (*deleted > 0)
        qCDebug(lcHistory) << "history: retention deleted" << *deleted << "records";
}

HistoryWriter::HistoryWriter(
    HistoryStore &store, QString path, qint64 maxBytes, qint64 maxAgeUs, size_t maxBacklog)
    : m_store(store)
    , m_path(std::move(path))
    , m_maxBytes(maxBytes)
    , m_maxAgeUs(maxAgeUs)
    , m_maxBacklog(maxBacklog)
{ }

HistoryWriter::~HistoryWriter() = default;

void HistoryWriter::enqueue(const RecordBatch &records)
{
    bool post = false;
    quint64 warnDropped = 0;
    const qint64 maxBytes = m_maxBacklogBytes.load();
    {
        std::lock_guard lock(m_mutex);
        for (const RecordPtr &record : records) {
            if (!record || record->state == RecordState::InProgress)
                continue;
            const qint64 cost = maxBytes > 0 ? record->byteCost() : 0;
            if (m_backlog.size() + m_inFlight >= m_maxBacklog
                || (maxBytes > 0 && m_backlogBytes + m_inFlightBytes + cost > maxBytes)) {
                ++m_status.dropped;
                continue;
            }
            m_backlog.push_back(record);
            m_backlogBytes += cost;
        }
        post = !m_backlog.empty() && !std::exchange(m_drainPosted, true);
        if (m_status.dropped > m_droppedWarned
            && (!m_sinceDropWarning.isValid()
                || m_sinceDropWarning.elapsed() >= kDropWarningIntervalMs)) {
            warnDropped = m_status.dropped;
            m_droppedWarned = m_status.dropped;
            m_sinceDropWarning.start();
        }
    }
    // An error, so that it shows at the default log level (Traefik's ERROR): history is lost.
    if (warnDropped > 0) {
        const QString bound = maxBytes > 0
            ? QStringLiteral("%1 records or %2 KiB").arg(m_maxBacklog).arg(maxBytes >> 10)
            : QStringLiteral("%1 records").arg(m_maxBacklog);
        qCCritical(lcHistory).noquote()
            << QStringLiteral("history: %1 records not written so far: the writer fell behind "
                              "(backlog of %2 full); the live capture still has them")
                   .arg(warnDropped)
                   .arg(bound);
    }
    if (post)
        QMetaObject::invokeMethod(this, &HistoryWriter::drain, Qt::QueuedConnection);
}

HistoryWriterStatus HistoryWriter::status() const
{
    std::lock_guard lock(m_mutex);
    HistoryWriterStatus status = m_status;
    status.backlog = m_backlog.size() + m_inFlight;
    return status;
}

bool HistoryWriter::ensureOpen()
{
    if (m_connection)
        return true;
    lowerThreadPriority(); // the first thing this thread does
    // Created here, on the writer thread: a Qt SQL connection belongs to the thread that made it.
    auto connection = std::make_unique<history::Connection>(m_path);
    if (auto opened = connection->open(); !opened) {
        qCWarning(lcHistory).noquote() << opened.error().toString();
        return false;
    }
    m_connection = std::move(connection);
    m_inserter = std::make_unique<history::RecordInserter>(*m_connection);
    return true;
}

/// Writes everything waiting, in transactions of at most kMaxTransaction records.
void HistoryWriter::drain()
{
    RecordBatch records;
    {
        std::lock_guard lock(m_mutex);
        records.swap(m_backlog);
        m_inFlight = records.size();
        m_inFlightBytes = std::exchange(m_backlogBytes, 0);
        m_drainPosted = false;
    }
    const bool open = !records.empty() && ensureOpen();
    for (size_t begin = 0; begin < records.size(); begin += kMaxTransaction) {
        const size_t end = std::min(records.size(), begin + kMaxTransaction);
        if (open && writeChunk(records, begin, end))
            continue;
        std::lock_guard lock(m_mutex); // not written (the warning is logged): no longer waiting
        m_inFlight -= end - begin;
    }
    records.clear(); // the records' memory goes now, then it stops counting
    {
        std::lock_guard lock(m_mutex);
        m_inFlightBytes = 0;
    }
    if (open)
        retainIfDue();
}

bool HistoryWriter::writeChunk(const RecordBatch &records, size_t begin, size_t end)
{
    if (auto written = m_inserter->write(records, begin, end); !written) {
        qCWarning(lcHistory).noquote() << written.error().toString();
        Q_EMIT m_store.writeFailed(written.error().toString());
        return false;
    }
    quint64 newest = 0;
    for (size_t i = begin; i < end; ++i)
        newest = qMax(newest, records[i]->id);
    {
        std::lock_guard lock(m_mutex); // counted before anyone hears of it
        m_inFlight -= end - begin;
        m_status.written += end - begin;
    }
    Q_EMIT m_store.written(newest, int(end - begin));
    return true;
}

void HistoryWriter::retainIfDue()
{
    if (m_sinceRetention.isValid() && m_sinceRetention.elapsed() < retentionIntervalMs)
        return;
    m_sinceRetention.start();
    applyHistoryRetention(*m_connection, m_maxBytes, m_maxAgeUs);
}

} // namespace portico::observe
