#pragma once

#include "core/common/expected.h"
#include "core/observe/exchange_record.h"
#include "core/observe/record_filter.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QString>

#include <memory>

class QSqlError;
class QSqlQuery;

Q_DECLARE_LOGGING_CATEGORY(lcHistory)

// The SQL side of the history (history_store.h is the public face). Every function works on a
// Connection owned by the calling thread: Qt SQL connections must not cross threads.
namespace portico::observe::history {

/// The layout this build writes (PRAGMA user_version); older ones are migrated, newer refused.
constexpr int schemaVersion = 1;

/// One SQLite connection for the calling thread, registered under a unique name and removed
/// again on destruction. WAL lets the writer thread and readers on other threads work at once;
/// busy_timeout makes a second writer (clear, retention) wait instead of failing.
class Connection
{
public:
    explicit Connection(QString path);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    Expected<void> open();
    QSqlDatabase &db() { return m_db; }
    const QString &path() const { return m_path; }
    /// `history "<path>": <what>: <driver text>`.
    Error error(const QString &what, const QSqlError &sqlError) const;
    /// Runs `sql` (no bound values); the error names `what`.
    Expected<void> exec(const QString &sql, const QString &what);

private:
    QString m_path;
    QString m_name;
    QSqlDatabase m_db;
};

/// Why prepareSchema() failed: a file that is not a database is moved aside, a newer one is not.
enum class SchemaProblem { None, Broken, Newer, Other };

/// Creates or migrates the tables; `problem` says what kind of failure it was.
Expected<void> prepareSchema(Connection &connection, SchemaProblem &problem);
/// Inserts (or replaces) the records in one transaction.
Expected<void> writeRecords(Connection &connection, const RecordBatch &records);

/// The writer thread's way to insert: the statement is prepared once for the connection's life,
/// and commits do not wait for the disk (WAL with synchronous=NORMAL: a power cut may lose the
/// last transactions, never the database).
class RecordInserter
{
public:
    explicit RecordInserter(Connection &connection);
    ~RecordInserter();
    RecordInserter(const RecordInserter &) = delete;
    RecordInserter &operator=(const RecordInserter &) = delete;

    /// Inserts (or replaces) `records[begin, end)` in one transaction.
    Expected<void> write(const RecordBatch &records, size_t begin, size_t end);

private:
    Connection &m_connection;
    std::unique_ptr<QSqlQuery> m_insert;
};
/// Matching records, newest first, ids below `beforeId` (0 = newest); without body data and
/// messages.
Expected<RecordBatch> searchRecords(
    Connection &connection, const RecordFilter &filter, quint64 beforeId, int limit);
/// One record with bodies and messages, or null.
Expected<RecordPtr> loadRecord(Connection &connection, quint64 id);
/// The largest stored id, 0 when empty.
Expected<quint64> newestRecordId(Connection &connection);
Expected<void> deleteAll(Connection &connection);
/// Deletes records started before `oldestUs`, then the oldest ones until the used pages fit in
/// `maxBytes`, and gives the freed pages back to the file system. Returns how many were deleted.
Expected<qint64> enforceRetention(Connection &connection, qint64 maxBytes, qint64 oldestUs);

} // namespace portico::observe::history
