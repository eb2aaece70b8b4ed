#pragma once

#include "core/common/expected.h"
#include "core/observe/exchange_record.h"
#include "core/observe/history_writer.h"
#include "core/observe/record_filter.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <chrono>

namespace portico::observe {

class CaptureHub;

/// How much history is kept (static config `portico.capture.history`).
struct HistorySettings
{
    bool enabled = true;
    QString path; ///< SQLite file; empty = paths::homeDir() + "/history.sqlite"
    qint64 maxBytes = qint64(512) << 20; ///< oldest records deleted beyond this file size
    std::chrono::milliseconds maxAge { std::chrono::hours(24 * 7) }; ///< older records deleted
};

/// Captured records persisted in SQLite (Qt SQL's sqlite driver) so they survive restarts, and
/// searched with the same filters as the live ring.
///
/// Threads: the store owns a writer thread ("history", lowest CPU priority) with its own
/// connection; write() and the hub's recordsPublished batches (attach()) wait in a bounded
/// backlog for it (see HistoryWriter: what overflows is counted in status(), not written), one
/// transaction per wake-up of the writer, and only Complete/Aborted records are written (InProgress
/// versions are skipped, the final version replaces nothing but itself). search(), record(),
/// newestId(), clear() and applyRetention() may be called from any thread: each call opens a
/// short-lived connection on the calling thread (WAL: readers never wait for the writer), so they
/// block the caller only for the query itself. open() and attach() are called once, before traffic,
/// from the thread that created the store.
class HistoryStore final : public QObject
{
    Q_OBJECT
public:
    explicit HistoryStore(HistorySettings settings, QObject *parent = nullptr);
    /// Writes what was queued before, then stops the writer thread.
    ~HistoryStore() override;

    /// Opens (creating or migrating) the database and starts the writer thread. A file that is
    /// not a usable database is moved aside to `<path>.broken-<UTC time>` (logged as an error,
    /// see movedAsidePath()) and a new history is started; a file of a newer schema is an error
    /// (nothing is touched).
    Expected<void> open();
    /// How many records may wait for the writer (HistoryWriter::kDefaultMaxBacklog); before open().
    void setMaxBacklog(size_t records) { m_maxBacklog = records; }
    /// Records waiting for the writer hold at most this part of the capture budget in bytes.
    static constexpr qint64 kBacklogShareOfBudget = 8;

    /// Follows `hub` from now on and seeds its ids after the newest stored record; the backlog
    /// holds at most budgetBytes / kBacklogShareOfBudget (following the hub's settings).
    void attach(CaptureHub &hub);
    /// Queues finished records to the writer thread (thread-safe; what attach() connects).
    void write(const portico::observe::RecordBatch &records);
    /// Records written, dropped (backlog full) and waiting since open() (thread-safe).
    HistoryWriterStatus status() const;
    /// Stored records matching `filter`, newest first, ids below `beforeId` (0 = newest), at
    /// most `limit`. Listings carry no body data and no messages (sizes and flags are there):
    /// record() loads those.
    Expected<RecordBatch> search(const RecordFilter &filter, quint64 beforeId = 0, int limit = 100);
    /// One stored record with its bodies and messages, or null.
    Expected<RecordPtr> record(quint64 id);
    /// Deletes what is beyond the size and age limits, on the calling thread (the writer thread
    /// also runs it after writes, at most once a minute).
    void applyRetention();
    /// Deletes everything.
    Expected<void> clear();
    /// The largest stored id, 0 when empty or unreadable.
    quint64 newestId();

    const QString &path() const { return m_path; }
    /// Where open() moved a broken file; empty when it did not.
    const QString &movedAsidePath() const { return m_movedAside; }

Q_SIGNALS:
    /// A batch was committed (emitted on the writer thread); `newestId` is its largest id.
    void written(quint64 newestId, int count);
    /// A batch could not be written (the message names the file).
    void writeFailed(const QString &message);

private:
    Expected<void> openSchema();
    Expected<void> moveAside(const QString &reason);

    HistorySettings m_settings;
    size_t m_maxBacklog = HistoryWriter::kDefaultMaxBacklog;
    qint64 m_maxBacklogBytes = 0; ///< set by attach(); 0 = no byte bound
    QString m_path;
    QString m_movedAside;
    QThread m_thread;
    HistoryWriter *m_writer = nullptr; ///< lives on m_thread, deleted when it finishes
};

} // namespace portico::observe
