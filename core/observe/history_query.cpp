#include "core/observe/history_codec.h"
#include "core/observe/history_database.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

// The RecordFilter translated to SQL: the same meaning as matches() in record_filter.cpp, with
// SQLite's LIKE (ASCII case-insensitive) where the filter is case-insensitive and instr() where
// it is not.
namespace portico::observe::history {

namespace {

/// `%needle%` with LIKE's wildcards escaped (used with ESCAPE '\').
QString likeAnywhere(const QString &needle)
{
    QString escaped = needle;
    escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
    escaped.replace(QLatin1Char('%'), QLatin1String("\\%"));
    escaped.replace(QLatin1Char('_'), QLatin1String("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

/// WHERE clauses and their values, in order.
struct Where
{
    QStringList clauses;
    QVariantList values;

    void add(const QString &clause, const QVariant &value)
    {
        clauses << clause;
        values << value;
    }
};

Where translate(const RecordFilter &filter, quint64 beforeId)
{
    Where w;
    const QString like = QStringLiteral(" LIKE ? ESCAPE '\\'");
    if (beforeId > 0)
        w.add(QStringLiteral("id < ?"), qint64(beforeId));
    if (!filter.host.isEmpty())
        w.add(QStringLiteral("host") + like, likeAnywhere(filter.host));
    if (!filter.path.isEmpty())
        w.add(QStringLiteral("instr(target, ?) > 0"), filter.path);
    if (!filter.method.isEmpty())
        w.add(QStringLiteral("method = ?"), filter.method.toUpper());
    if (filter.statusMin > 0 || filter.statusMax < 999) {
        w.add(QStringLiteral("status >= ?"), filter.statusMin);
        w.add(QStringLiteral("status <= ?"), filter.statusMax);
    }
    if (!filter.router.isEmpty())
        w.add(QStringLiteral("router") + like, likeAnywhere(filter.router));
    if (!filter.protocol.isEmpty())
        w.add(QStringLiteral("protocol = ?"), filter.protocol);
    if (filter.sinceUs > 0)
        w.add(QStringLiteral("started >= ?"), filter.sinceUs);
    if (filter.untilUs > 0)
        w.add(QStringLiteral("started < ?"), filter.untilUs);
    if (!filter.text.isEmpty()) {
        const QString pattern = likeAnywhere(filter.text);
        w.clauses << QStringLiteral("(host%1 OR target%1 OR headers%1 OR CAST(request_body AS "
                                    "TEXT)%1 OR CAST(response_body AS TEXT)%1)")
                         .arg(like);
        for (int i = 0; i < 5; ++i)
            w.values << pattern;
    }
    return w;
}

} // namespace

Expected<RecordBatch> searchRecords(
    Connection &connection, const RecordFilter &filter, quint64 beforeId, int limit)
{
    const Where where = translate(filter, beforeId);
    QString sql = QStringLiteral("SELECT meta FROM records");
    if (!where.clauses.isEmpty())
        sql += QStringLiteral(" WHERE ") + where.clauses.join(QStringLiteral(" AND "));
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    QSqlQuery query(connection.db());
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &value : where.values)
        query.addBindValue(value);
    query.addBindValue(qMax(0, limit));
    if (!query.exec())
        return connection.error(QStringLiteral("cannot search"), query.lastError());
    RecordBatch out;
    while (query.next()) {
        auto record = std::make_shared<ExchangeRecord>();
        if (decodeRecordMeta(query.value(0).toByteArray(), *record))
            out.push_back(std::move(record));
    }
    return out;
}

Expected<RecordPtr> loadRecord(Connection &connection, quint64 id)
{
    QSqlQuery query(connection.db());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT meta, request_body, response_body, messages FROM records WHERE id = ?"));
    query.addBindValue(qint64(id));
    if (!query.exec())
        return connection.error(QStringLiteral("cannot read record %1").arg(id), query.lastError());
    if (!query.next())
        return RecordPtr();
    auto record = std::make_shared<ExchangeRecord>();
    if (!decodeRecordMeta(query.value(0).toByteArray(), *record)
        || !decodeMessages(query.value(3).toByteArray(), record->messages)) {
        qCWarning(lcHistory).noquote() << "history: record" << id << "is damaged; skipped";
        return RecordPtr();
    }
    record->requestBody.data = query.value(1).toByteArray();
    record->responseBody.data = query.value(2).toByteArray();
    return RecordPtr(std::move(record));
}

} // namespace portico::observe::history
