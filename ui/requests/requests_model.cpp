#include "ui/requests/requests_model.h"

#include "ui/settings/theme.h"

#include <QBrush>
#include <QColor>
#include <QGuiApplication>

#include <algorithm>

namespace portico::ui {

QString formatDuration(qint64 micros)
{
    if (micros < 0)
        return {};
    if (micros < 1000)
        return QStringLiteral("%1 µs").arg(micros);
    if (micros < 1000 * 1000)
        return QStringLiteral("%1 ms").arg(double(micros) / 1000.0, 0, 'f', micros < 10000 ? 1 : 0);
    return QStringLiteral("%1 s").arg(double(micros) / 1e6, 0, 'f', 2);
}

QString formatSize(qint64 bytes)
{
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return QStringLiteral("%1 KiB").arg(double(bytes) / 1024.0, 0, 'f', 1);
    return QStringLiteral("%1 MiB").arg(double(bytes) / (1024.0 * 1024.0), 0, 'f', 1);
}

RequestsModel::RequestsModel(int maxRows, QObject *parent)
    : QAbstractTableModel(parent)
    , m_maxRows(qMax(1, maxRows))
{ }

void RequestsModel::setFilter(const observe::RecordFilter &filter)
{
    m_filter = filter;
}

void RequestsModel::setRecords(const observe::RecordBatch &records)
{
    beginResetModel();
    ++m_resets;
    m_rows.clear();
    const size_t skip = records.size() > size_t(m_maxRows) ? records.size() - size_t(m_maxRows) : 0;
    m_rows.assign(records.begin() + qsizetype(skip), records.end());
    m_base = 0;
    rebuildIndex();
    endResetModel();
}

void RequestsModel::addRecords(const observe::RecordBatch &records)
{
    observe::RecordBatch added;
    QHash<quint64, size_t> addedAt; // a batch may carry a record and its own update
    int firstChanged = -1, lastChanged = -1;
    for (const observe::RecordPtr &record : records) {
        const auto found = m_positions.constFind(record->id);
        if (found != m_positions.constEnd()) {
            // An update keeps its row even if it no longer matches: rows do not jump away
            // while someone looks at them.
            const int row = int(*found - m_base);
            m_rows[size_t(row)] = record;
            firstChanged = firstChanged < 0 ? row : std::min(firstChanged, row);
            lastChanged = std::max(lastChanged, row);
        } else if (const auto again = addedAt.constFind(record->id); again != addedAt.constEnd()) {
            added[*again] = record;
        } else if (observe::matches(*record, m_filter)) {
            addedAt.insert(record->id, added.size());
            added.push_back(record);
        }
    }
    if (firstChanged >= 0)
        Q_EMIT dataChanged(index(firstChanged, 0), index(lastChanged, ColumnCount - 1));
    if (added.empty())
        return;
    if (added.size() >= size_t(m_maxRows)) {
        observe::RecordBatch all(m_rows.begin(), m_rows.end());
        all.insert(all.end(), added.begin(), added.end());
        setRecords(all);
        return;
    }
    const int overflow = int(m_rows.size() + added.size()) - m_maxRows;
    if (overflow > 0)
        dropOldest(overflow);
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const observe::RecordPtr &record : added) {
        m_positions.insert(record->id, m_base + qint64(m_rows.size()));
        m_rows.push_back(record);
    }
    endInsertRows();
}

void RequestsModel::dropOldest(int count)
{
    beginRemoveRows({}, 0, count - 1);
    for (int i = 0; i < count; ++i) {
        m_positions.remove(m_rows.front()->id);
        m_rows.pop_front();
    }
    m_base += count;
    endRemoveRows();
}

void RequestsModel::clear()
{
    setRecords({});
}

void RequestsModel::rebuildIndex()
{
    m_positions.clear();
    m_positions.reserve(qsizetype(m_rows.size()));
    for (size_t i = 0; i < m_rows.size(); ++i)
        m_positions.insert(m_rows[i]->id, m_base + qint64(i));
}

int RequestsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

observe::RecordPtr RequestsModel::record(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? m_rows[size_t(row)] : nullptr;
}

int RequestsModel::rowOf(quint64 id) const
{
    const auto found = m_positions.constFind(id);
    return found == m_positions.constEnd() ? -1 : int(*found - m_base);
}

QVariant RequestsModel::data(const QModelIndex &index, int role) const
{
    const observe::RecordPtr r = record(index.row());
    if (!r)
        return {};
    switch (role) {
    case Qt::DisplayRole:
        return display(*r, index.column());
    case IdRole:
        return QVariant::fromValue(r->id);
    case Qt::ToolTipRole:
        if (!r->error.isEmpty())
            return r->error;
        return index.column() == Path ? QString::fromUtf8(r->target) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == Status && (r->status >= 400 || !r->error.isEmpty()))
            // Asked at every paint: after a theme change the view repaints in the new accent.
            return QBrush(accentFor(QGuiApplication::palette(),
                r->status >= 500 || r->status == 0 ? QColor(0xd0, 0x3b, 0x3b)
                                                   : QColor(0xc0, 0x7a, 0x12)));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Duration || index.column() == Size || index.column() == Status)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant RequestsModel::display(const observe::ExchangeRecord &r, int column) const
{
    switch (column) {
    case Method:
        return QString::fromLatin1(r.method);
    case Host:
        return QString::fromUtf8(r.host);
    case Path:
        return QString::fromUtf8(r.target);
    case Status:
        if (r.state == observe::RecordState::InProgress && r.status == 0)
            return QStringLiteral("…");
        if (r.status == 0)
            return r.error.isEmpty() ? QStringLiteral("—") : QStringLiteral("failed");
        return r.status;
    case Duration:
        return formatDuration(r.timing.total);
    case Size:
        return r.responseBody.size > 0 || r.state != observe::RecordState::InProgress
            ? formatSize(r.responseBody.size)
            : QString();
    case Protocol:
        return observe::protocolName(r.protocol);
    default:
        return {};
    }
}

QVariant RequestsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char *const names[]
        = { QT_TR_NOOP("Method"), QT_TR_NOOP("Host"), QT_TR_NOOP("Path"), QT_TR_NOOP("Status"),
              QT_TR_NOOP("Duration"), QT_TR_NOOP("Size"), QT_TR_NOOP("Protocol") };
    return section >= 0 && section < ColumnCount ? tr(names[section]) : QVariant();
}

} // namespace portico::ui
