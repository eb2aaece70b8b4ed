#pragma once

#include "core/common/expected.h"
#include "core/observe/exchange_record.h"
#include "core/observe/record_filter.h"

#include <QObject>
#include <QString>

#include <chrono>

namespace portico::observe {

class CaptureHub;

/// How much history is kept (static config `portico.capture.history`).
struct HistorySettings
{
    bool enabled = true;
    QString path; ///< SQLite file; empty = paths::homeDir() + "/history.sqlite"
    qint64 maxBytes = qint64(512) << 20; ///< oldest records deleted beyond this file size
    std::chrono::hours maxAge { 24 * 7 };
};

/// Captured records persisted in SQLite (Qt SQL's sqlite driver) so they survive restarts, and
/// searched with the same filters as the live ring. Lives on its own thread: it takes the hub's
/// recordsPublished batches (complete and aborted records) and writes each batch in one
/// transaction; queries block the caller only for the query itself.
class HistoryStore final : public QObject
{
    Q_OBJECT
public:
    explicit HistoryStore(HistorySettings settings, QObject *parent = nullptr);
    ~HistoryStore() override;

    /// Opens (creating or migrating) the database; a broken file is reported with its path and
    /// moved aside, never silently overwritten.
    Expected<void> open();
    /// Follows `hub` from now on and seeds its ids after the newest stored record.
    void attach(CaptureHub &hub);
    /// Stored records matching `filter`, newest first, ids below `beforeId` (0 = newest).
    Expected<RecordBatch> search(const RecordFilter &filter, quint64 beforeId = 0, int limit = 100);
    /// One stored record with its bodies, or null.
    Expected<RecordPtr> record(quint64 id);
    /// Deletes what is beyond the size and age limits (also runs after writes, at most once a
    /// minute).
    void applyRetention();
    /// Deletes everything.
    Expected<void> clear();
    quint64 newestId();

private:
    class Database;
    std::unique_ptr<Database> m_db;
    HistorySettings m_settings;
};

} // namespace portico::observe
