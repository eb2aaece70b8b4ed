#pragma once

#include "core/observe/exchange_record.h"

#include <QElapsedTimer>
#include <QObject>

#include <atomic>
#include <memory>
#include <mutex>

namespace portico::observe {

class HistoryStore;
struct HistorySettings;

namespace history {
class Connection;
class RecordInserter;
} // namespace history

/// How far the history writer got (HistoryStore::status()).
struct HistoryWriterStatus
{
    quint64 written = 0; ///< records committed since the store opened
    quint64 dropped = 0; ///< records never written because the backlog was full
    size_t backlog = 0; ///< records waiting for the writer, or being written, now
};

/// The history's writer: lives on the store's thread and owns that thread's connection (opened
/// on first use, there). Internal to HistoryStore.
///
/// Records wait in a bounded backlog and are written in as few transactions as there are wake-ups
/// of the thread, which runs at the lowest CPU priority: history must not take the proxy's CPU
/// under load. When the backlog is full (the machine is saturated and the writer starves), new
/// records are not written to the history — the live ring still has them — and are counted
/// (status(), and an error logged at most every kDropWarningIntervalMs).
class HistoryWriter final : public QObject
{
    Q_OBJECT
public:
    /// Records that may wait for the writer (about 1 KiB each, most also held by the ring).
    static constexpr size_t kDefaultMaxBacklog = 50000;
    /// Records written per transaction at most (a transaction holds SQLite's write lock).
    static constexpr size_t kMaxTransaction = 5000;
    static constexpr qint64 kDropWarningIntervalMs = 10 * 1000;

    HistoryWriter(HistoryStore &store, QString path, qint64 maxBytes, qint64 maxAgeUs,
        size_t maxBacklog = kDefaultMaxBacklog);
    ~HistoryWriter() override;

    /// Queues the finished records of `records` (thread-safe); what does not fit in the backlog
    /// is counted as dropped.
    void enqueue(const portico::observe::RecordBatch &records);
    /// Heap bytes (ExchangeRecord::byteCost()) the backlog may hold, 0 = only the record count
    /// bounds it (thread-safe). Waiting records may be ones the ring already evicted or stripped
    /// of their bodies: without this bound a flood of large bodies grows the process far beyond
    /// the capture budget.
    void setMaxBacklogBytes(qint64 bytes) { m_maxBacklogBytes.store(bytes); }
    /// Thread-safe.
    HistoryWriterStatus status() const;

private:
    void drain();
    bool ensureOpen();
    bool writeChunk(const RecordBatch &records, size_t begin, size_t end);
    void retainIfDue();

    HistoryStore &m_store;
    QString m_path;
    qint64 m_maxBytes;
    qint64 m_maxAgeUs;
    size_t m_maxBacklog;
    std::atomic<qint64> m_maxBacklogBytes { 0 };
    std::unique_ptr<history::Connection> m_connection;
    std::unique_ptr<history::RecordInserter> m_inserter;
    QElapsedTimer m_sinceRetention;

    mutable std::mutex m_mutex; ///< guards what follows
    RecordBatch m_backlog;
    size_t m_inFlight = 0; ///< taken from the backlog by drain(), not committed yet
    qint64 m_backlogBytes = 0; ///< byteCost() of m_backlog
    qint64 m_inFlightBytes = 0; ///< byteCost() of what drain() holds until it is done
    bool m_drainPosted = false;
    HistoryWriterStatus m_status;
    quint64 m_droppedWarned = 0; ///< m_status.dropped when the last warning was logged
    QElapsedTimer m_sinceDropWarning;
};

/// Deletes what is beyond the limits through `connection`; logs failures.
void applyHistoryRetention(history::Connection &connection, qint64 maxBytes, qint64 maxAgeUs);

} // namespace portico::observe
