#include "core/observe/history_database.h"

#include "core/observe/history_codec.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

Q_LOGGING_CATEGORY(lcHistory, "portico.observe.history")

namespace portico::observe::history {

namespace {

// auto_vacuum (INCREMENTAL, set in prepareSchema() before the file is written) lets retention
// hand freed pages back to the file system without rewriting the whole file (VACUUM).
const char *const schemaV1[] = {
    "CREATE TABLE IF NOT EXISTS records ("
    " id INTEGER PRIMARY KEY,"
    " started INTEGER NOT NULL," // UTC µs
    " method TEXT NOT NULL,"
    " host TEXT NOT NULL,"
    " target TEXT NOT NULL,"
    " status INTEGER NOT NULL,"
    " router TEXT NOT NULL,"
    " protocol TEXT NOT NULL,"
    " duration INTEGER NOT NULL," // µs, -1 unknown
    " headers TEXT NOT NULL," // header values, for the free-text search
    " meta BLOB NOT NULL," // the record without bodies (history_codec.h)
    " request_body BLOB,"
    " response_body BLOB,"
    " messages BLOB)",
    "CREATE INDEX IF NOT EXISTS records_host ON records(host)",
    "CREATE INDEX IF NOT EXISTS records_status ON records(status)",
    "CREATE INDEX IF NOT EXISTS records_started ON records(started)",
};

Expected<int> userVersion(Connection &connection)
{
    QSqlQuery query(connection.db());
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return connection.error(QStringLiteral("not a readable database"), query.lastError());
    return query.value(0).toInt();
}

Expected<void> createV1(Connection &connection)
{
    for (const char *sql : schemaV1) {
        if (auto done = connection.exec(QLatin1String(sql), QStringLiteral("creating the tables"));
            !done)
            return done;
    }
    return connection.exec(QStringLiteral("PRAGMA user_version = %1").arg(schemaVersion),
        QStringLiteral("setting the schema version"));
}

/// NOT NULL columns: a null QString (a 404 has no router) binds as SQL NULL, an empty one not.
QString notNull(const QString &text)
{
    return text.isNull() ? QString::fromLatin1("", 0) : text;
}

const char insertSql[]
    = "INSERT OR REPLACE INTO records (id, started, method, host, target, status, router, "
      "protocol, duration, headers, meta, request_body, response_body, messages) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/// Binds by position (a prepared statement is reused: every value is bound again each time).
void bindRecord(QSqlQuery &query, const ExchangeRecord &r)
{
    int i = 0;
    query.bindValue(i++, qint64(r.id));
    query.bindValue(i++, r.startedUs);
    query.bindValue(i++, notNull(QString::fromLatin1(r.method)));
    query.bindValue(i++, notNull(QString::fromUtf8(r.host)));
    query.bindValue(i++, notNull(QString::fromUtf8(r.target)));
    query.bindValue(i++, r.status);
    query.bindValue(i++, notNull(r.router));
    query.bindValue(i++, protocolName(r.protocol));
    query.bindValue(i++, r.timing.total);
    query.bindValue(i++, searchableHeaders(r));
    query.bindValue(i++, encodeRecordMeta(r));
    // A non-null empty QByteArray, so an empty body is stored as an empty blob, not NULL.
    query.bindValue(i++, r.requestBody.data.isNull() ? QByteArray("") : r.requestBody.data);
    query.bindValue(i++, r.responseBody.data.isNull() ? QByteArray("") : r.responseBody.data);
    query.bindValue(i++, encodeMessages(r.messages));
}

} // namespace

Connection::Connection(QString path)
    : m_path(std::move(path))
{
    static std::atomic<quint64> counter { 0 };
    m_name = QStringLiteral("portico-history-%1").arg(++counter);
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
    m_db.setDatabaseName(m_path);
}

Connection::~Connection()
{
    m_db.close();
    m_db = QSqlDatabase(); // the last handle must be gone before removeDatabase()
    QSqlDatabase::removeDatabase(m_name);
}

Expected<void> Connection::open()
{
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
    if (!m_db.open())
        return error(QStringLiteral("cannot open"), m_db.lastError());
    return {};
}

Error Connection::error(const QString &what, const QSqlError &sqlError) const
{
    Error e;
    e.message = QStringLiteral("history \"%1\": %2: %3").arg(m_path, what, sqlError.text());
    return e;
}

Expected<void> Connection::exec(const QString &sql, const QString &what)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql))
        return error(what, query.lastError());
    return {};
}

Expected<void> prepareSchema(Connection &connection, SchemaProblem &problem)
{
    problem = SchemaProblem::Broken;
    auto version = userVersion(connection);
    if (!version)
        return version.error();
    if (*version > schemaVersion) {
        problem = SchemaProblem::Newer;
        Error e;
        e.message = QStringLiteral("history \"%1\": schema version %2 is newer than this "
                                   "portico's %3")
                        .arg(connection.path())
                        .arg(*version)
                        .arg(schemaVersion);
        e.hint = QStringLiteral("run a newer portico, or set portico.capture.history.path");
        return e;
    }
    problem = SchemaProblem::Other;
    // Before WAL: switching the journal writes the file header, after which auto_vacuum can only
    // change through a VACUUM.
    if (*version == 0)
        static_cast<void>(connection.exec(
            QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"), QStringLiteral("auto_vacuum")));
    // WAL: readers on other threads never block the writer thread (and the other way round).
    if (auto wal = connection.exec(
            QStringLiteral("PRAGMA journal_mode = WAL"), QStringLiteral("switching to WAL"));
        !wal) {
        problem = SchemaProblem::Broken;
        return wal;
    }
    if (*version == 0) { // a new file (migrations from older versions go here)
        if (auto created = createV1(connection); !created)
            return created;
    }
    problem = SchemaProblem::None;
    return {};
}

Expected<void> writeRecords(Connection &connection, const RecordBatch &records)
{
    RecordInserter inserter(connection);
    return inserter.write(records, 0, records.size());
}

RecordInserter::RecordInserter(Connection &connection)
    : m_connection(connection)
{
    // Per connection; a failure only costs speed.
    static_cast<void>(connection.exec(
        QStringLiteral("PRAGMA synchronous = NORMAL"), QStringLiteral("synchronous")));
}

RecordInserter::~RecordInserter() = default;

Expected<void> RecordInserter::write(const RecordBatch &records, size_t begin, size_t end)
{
    QSqlDatabase &db = m_connection.db();
    if (!db.transaction())
        return m_connection.error(QStringLiteral("cannot begin a transaction"), db.lastError());
    if (!m_insert) {
        m_insert = std::make_unique<QSqlQuery>(db);
        if (!m_insert->prepare(QLatin1String(insertSql))) {
            const Error e
                = m_connection.error(QStringLiteral("cannot prepare"), m_insert->lastError());
            m_insert.reset();
            db.rollback();
            return e;
        }
    }
    for (size_t i = begin; i < end; ++i) {
        bindRecord(*m_insert, *records[i]);
        if (!m_insert->exec()) {
            const Error e
                = m_connection.error(QStringLiteral("cannot write"), m_insert->lastError());
            db.rollback();
            return e;
        }
    }
    m_insert->finish(); // reset, still prepared: no statement in progress at the commit
    if (!db.commit())
        return m_connection.error(QStringLiteral("cannot commit"), db.lastError());
    return {};
}

Expected<quint64> newestRecordId(Connection &connection)
{
    QSqlQuery query(connection.db());
    if (!query.exec(QStringLiteral("SELECT MAX(id) FROM records")) || !query.next())
        return connection.error(QStringLiteral("cannot read the newest id"), query.lastError());
    return quint64(query.value(0).toLongLong());
}

Expected<void> deleteAll(Connection &connection)
{
    if (auto deleted
        = connection.exec(QStringLiteral("DELETE FROM records"), QStringLiteral("cannot delete"));
        !deleted)
        return deleted;
    // Freed pages stay in the file for reuse; retention hands them back when it runs.
    return {};
}

} // namespace portico::observe::history
