#pragma once

#include "core/observe/exchange_record.h"

#include <QElapsedTimer>
#include <QObject>

#include <memory>

namespace portico::observe {

class HistoryStore;
struct HistorySettings;

namespace history {
class Connection;
}

/// The history's writer: lives on the store's thread and owns that thread's connection (opened
/// on first use, there). Internal to HistoryStore.
class HistoryWriter final : public QObject
{
    Q_OBJECT
public:
    HistoryWriter(HistoryStore &store, QString path, qint64 maxBytes, qint64 maxAgeUs);
    ~HistoryWriter() override;

    /// Writes the finished records of `records` in one transaction; retention follows at most
    /// once a minute.
    void write(const portico::observe::RecordBatch &records);

private:
    bool ensureOpen();
    void retainIfDue();

    HistoryStore &m_store;
    QString m_path;
    qint64 m_maxBytes;
    qint64 m_maxAgeUs;
    std::unique_ptr<history::Connection> m_connection;
    QElapsedTimer m_sinceRetention;
};

/// Deletes what is beyond the limits through `connection`; logs failures.
void applyHistoryRetention(history::Connection &connection, qint64 maxBytes, qint64 maxAgeUs);

} // namespace portico::observe
