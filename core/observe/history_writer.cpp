#include "core/observe/history_writer.h"

#include "core/observe/history_database.h"
#include "core/observe/history_store.h"

#include <QDateTime>

namespace portico::observe {

namespace {

// Retention scans the table; after writes it runs at most this often.
constexpr qint64 retentionIntervalMs = 60 * 1000;

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

HistoryWriter::HistoryWriter(HistoryStore &store, QString path, qint64 maxBytes, qint64 maxAgeUs)
    : m_store(store)
    , m_path(std::move(path))
    , m_maxBytes(maxBytes)
    , m_maxAgeUs(maxAgeUs)
{ }

HistoryWriter::~HistoryWriter() = default;

bool HistoryWriter::ensureOpen()
{
    if (m_connection)
        return true;
    // Created here, on the writer thread: a Qt SQL connection belongs to the thread that made it.
    auto connection = std::make_unique<history::Connection>(m_path);
    if (auto opened = connection->open(); !opened) {
        qCWarning(lcHistory).noquote() << opened.error().toString();
        return false;
    }
    m_connection = std::move(connection);
    return true;
}

void HistoryWriter::write(const RecordBatch &records)
{
    RecordBatch finished;
    for (const RecordPtr &record : records) {
        if (record && record->state != RecordState::InProgress)
            finished.push_back(record);
    }
    if (finished.empty() || !ensureOpen())
        return;
    if (auto written = history::writeRecords(*m_connection, finished); !written) {
        qCWarning(lcHistory).noquote() << written.error().toString();
        Q_EMIT m_store.writeFailed(written.error().toString());
        return;
    }
    quint64 newest = 0;
    for (const RecordPtr &record : finished)
        newest = qMax(newest, record->id);
    retainIfDue();
    Q_EMIT m_store.written(newest, int(finished.size()));
}

void HistoryWriter::retainIfDue()
{
    if (m_sinceRetention.isValid() && m_sinceRetention.elapsed() < retentionIntervalMs)
        return;
    m_sinceRetention.start();
    applyHistoryRetention(*m_connection, m_maxBytes, m_maxAgeUs);
}

} // namespace portico::observe
