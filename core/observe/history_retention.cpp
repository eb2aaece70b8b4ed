#include "core/observe/history_database.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <cmath>

namespace portico::observe::history {

namespace {

/// One integer from a query such as `PRAGMA page_count`.
Expected<qint64> scalar(Connection &connection, const QString &sql)
{
    QSqlQuery query(connection.db());
    if (!query.exec(sql) || !query.next())
        return connection.error(QStringLiteral("cannot read \"%1\"").arg(sql), query.lastError());
    return query.value(0).toLongLong();
}

/// Bytes the records occupy: the file's pages minus the free ones.
Expected<qint64> usedBytes(Connection &connection)
{
    auto pages = scalar(connection, QStringLiteral("PRAGMA page_count"));
    auto free = scalar(connection, QStringLiteral("PRAGMA freelist_count"));
    auto pageSize = scalar(connection, QStringLiteral("PRAGMA page_size"));
    if (!pages || !free || !pageSize)
        return !pages ? pages.error() : !free ? free.error() : pageSize.error();
    return (*pages - *free) * *pageSize;
}

Expected<qint64> deleteWhere(Connection &connection, const QString &sql, qint64 value)
{
    QSqlQuery query(connection.db());
    query.prepare(sql);
    query.addBindValue(value);
    if (!query.exec())
        return connection.error(QStringLiteral("cannot delete old records"), query.lastError());
    return qint64(query.numRowsAffected());
}

/// Deletes the oldest records, in proportion to how far over the limit the file is, until the
/// used pages fit (a few rounds at most: records are about the same size on average).
Expected<qint64> deleteForSize(Connection &connection, qint64 maxBytes)
{
    qint64 deleted = 0;
    for (int round = 0; round < 32; ++round) {
        auto used = usedBytes(connection);
        auto rows = scalar(connection, QStringLiteral("SELECT COUNT(*) FROM records"));
        if (!used || !rows)
            return !used ? used.error() : rows.error();
        if (*used <= maxBytes || *rows == 0)
            break;
        // 10% more than the proportional share, so the loop rarely needs a second round.
        const double over = double(*used - maxBytes) / double(*used);
        const qint64 count = qMax<qint64>(1, qint64(std::ceil(*rows * over * 1.1)));
        auto gone = deleteWhere(connection,
            QStringLiteral("DELETE FROM records WHERE id IN "
                           "(SELECT id FROM records ORDER BY id ASC LIMIT ?)"),
            count);
        if (!gone)
            return gone;
        deleted += *gone;
    }
    return deleted;
}

/// Hands the free pages back to the file system. Qt steps a statement once, and each step of
/// `PRAGMA incremental_vacuum` frees one page: run it once per free page.
Expected<qint64> shrinkFile(Connection &connection)
{
    auto free = scalar(connection, QStringLiteral("PRAGMA freelist_count"));
    if (!free)
        return free;
    QSqlQuery query(connection.db());
    query.prepare(QStringLiteral("PRAGMA incremental_vacuum"));
    for (qint64 page = 0; page < *free; ++page) {
        if (!query.exec())
            return connection.error(QStringLiteral("cannot shrink the file"), query.lastError());
    }
    return *free;
}

} // namespace

Expected<qint64> enforceRetention(Connection &connection, qint64 maxBytes, qint64 oldestUs)
{
    auto aged = deleteWhere(
        connection, QStringLiteral("DELETE FROM records WHERE started < ?"), oldestUs);
    if (!aged)
        return aged;
    auto sized = deleteForSize(connection, maxBytes);
    if (!sized)
        return sized;
    // Freed pages back to the file system (also those a clear() left), and the WAL folded in
    // and truncated, so the file sizes on disk follow.
    auto shrunk = shrinkFile(connection);
    if (!shrunk)
        return shrunk;
    if (*shrunk > 0) {
        if (auto checkpoint = connection.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"),
                QStringLiteral("cannot checkpoint"));
            !checkpoint)
            return checkpoint.error();
    }
    return *aged + *sized;
}

} // namespace portico::observe::history
