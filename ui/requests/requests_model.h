#pragma once

#include "core/observe/exchange_record.h"
#include "core/observe/record_filter.h"

#include <QAbstractTableModel>
#include <QHash>

#include <deque>

namespace portico::ui {

/// The live request table: captured records matching a filter, oldest first, at most
/// maxRows() of the newest. Fed in batches (CaptureHub::recordsPublished): a batch costs the
/// views one removal of old rows, one insertion of new ones and one dataChanged for records that
/// were updated (same id) — never one signal per record, so a flood stays cheap.
class RequestsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Method, Host, Path, Status, Duration, Size, Protocol, ColumnCount };
    enum Role {
        IdRole = Qt::UserRole + 1, ///< the record's id (quint64)
    };

    explicit RequestsModel(int maxRows = 5000, QObject *parent = nullptr);

    int maxRows() const { return m_maxRows; }
    /// Records that do not match are left out of later batches (setRecords shows what it gets).
    void setFilter(const observe::RecordFilter &filter);
    const observe::RecordFilter &filter() const { return m_filter; }
    /// Replaces every row with `records` (oldest first), keeping the newest maxRows().
    void setRecords(const observe::RecordBatch &records);
    /// Adds new records and replaces the rows of records already shown (by id).
    void addRecords(const observe::RecordBatch &records);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    /// The record shown in `row`; null when out of range.
    observe::RecordPtr record(int row) const;
    /// The row showing record `id`, -1 when it is not shown.
    int rowOf(quint64 id) const;
    /// How many model resets happened (tests check a batch does not reset).
    int resetCount() const { return m_resets; }

private:
    QVariant display(const observe::ExchangeRecord &record, int column) const;
    void dropOldest(int count);
    void rebuildIndex();

    int m_maxRows;
    observe::RecordFilter m_filter;
    std::deque<observe::RecordPtr> m_rows;
    qint64 m_base = 0; ///< absolute position of row 0; positions only grow
    QHash<quint64, qint64> m_positions; ///< id → absolute position
    int m_resets = 0;
};

/// `1.2 ms`, `340 µs`, `2.5 s`; empty for -1.
QString formatDuration(qint64 micros);
/// `512 B`, `1.5 KiB`, `3.2 MiB`.
QString formatSize(qint64 bytes);

} // namespace portico::ui
