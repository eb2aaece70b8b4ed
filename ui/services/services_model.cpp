#include "ui/services/services_model.h"

#include "ui/services/router_text.h"
#include "ui/shell/status_icon.h"

namespace portico::ui {

ServicesModel::ServicesModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void ServicesModel::setState(
    const control::RuntimeState &state, const std::map<QString, quint16> &ports)
{
    std::vector<Row> rows;
    rows.reserve(state.routers.size());
    for (const auto &[name, router] : state.routers) {
        if (!isUserRouter(router))
            continue;
        Row row { router, std::nullopt, routerUrl(router, ports) };
        if (const auto it = state.services.find(router.service); it != state.services.end())
            row.service = it->second;
        rows.push_back(std::move(row));
    }
    const bool sameRows = rows.size() == m_rows.size()
        && std::equal(rows.begin(), rows.end(), m_rows.begin(),
            [](const Row &a, const Row &b) { return a.router.name == b.router.name; });
    if (!sameRows) {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
        return;
    }
    m_rows = std::move(rows);
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ServicesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ServicesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ServicesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return display(row, index.column());
    case Qt::ToolTipRole:
        return tooltip(row, index.column());
    case Qt::DecorationRole:
        if (index.column() == Status)
            return statusDot(healthOf(row.router.status));
        return {};
    case Qt::CheckStateRole:
        if (index.column() == Name) // a router disabled by its errors serves nothing
            return row.router.paused || row.router.status == control::Status::Disabled
                ? Qt::Unchecked
                : Qt::Checked;
        return {};
    case Qt::AccessibleDescriptionRole:
        if (index.column() == Name)
            return row.router.paused ? tr("paused") : tr("serving");
        return {};
    case PausedRole:
        return row.router.paused;
    case RouterNameRole:
        return row.router.name;
    case UrlRole:
        return row.url;
    default:
        return {};
    }
}

QVariant ServicesModel::display(const Row &row, int column) const
{
    switch (Column(column)) {
    case Name:
        return row.router.name;
    case Url:
        return row.url.toString();
    case Rule:
        return row.router.spec.rule;
    case Status:
        return row.router.paused ? control::statusName(row.router.status) + tr(" (paused)")
                                 : control::statusName(row.router.status);
    case Provider:
        return row.router.provider;
    case Service:
        return row.router.service;
    case Errors:
        return errorsCell(row.router.errors);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ServicesModel::tooltip(const Row &row, int column) const
{
    if (column == Errors || (column == Status && !row.router.errors.empty()))
        return row.router.errors.empty() ? QVariant() : errorsTooltip(row.router.errors);
    if (column == Url && row.url.isValid())
        return QStringLiteral("Open %1").arg(row.url.toString());
    if (column == Rule)
        return row.router.spec.rule;
    return {};
}

QVariant ServicesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const titles[ColumnCount]
        = { "Name", "URL", "Rule", "Status", "Provider", "Service", "Errors" };
    return section >= 0 && section < ColumnCount ? tr(titles[section]) : QVariant();
}

Qt::ItemFlags ServicesModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Name)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

bool ServicesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != Name
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const Row &row = m_rows[size_t(index.row())];
    const bool paused = static_cast<Qt::CheckState>(value.toInt()) == Qt::Unchecked;
    if (paused != row.router.paused)
        Q_EMIT pauseRequested(row.router.name, paused);
    return false; // the core's next state says whether it happened
}

const control::ServiceState *ServicesModel::service(int row) const
{
    const Row &r = m_rows.at(size_t(row));
    return r.service ? &*r.service : nullptr;
}

int ServicesModel::rowOf(const QString &qualifiedName) const
{
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].router.name == qualifiedName)
            return int(i);
    }
    return -1;
}

} // namespace portico::ui
