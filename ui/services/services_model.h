#pragma once

#include "core/control/runtime_state.h"

#include <QAbstractTableModel>
#include <QUrl>

#include <map>
#include <optional>
#include <vector>

namespace portico::ui {

/// Every router of a RuntimeState, one row each, ordered by qualified name, with what a person
/// needs to find and fix it: name, URL, rule, status, provider, service and errors (file:line).
/// Fed with value copies only; keeps rows (and so the view's selection) when only their content
/// changes. The name column is checkable: checked = serving, unchecked = paused by hand; a click
/// asks for the change (pauseRequested) and the check follows the core's next state.
class ServicesModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Name, Url, Rule, Status, Provider, Service, Errors, ColumnCount };
    enum Role {
        RouterNameRole = Qt::UserRole + 1, ///< qualified router name (QString)
        UrlRole, ///< the router's URL (QUrl, invalid when it has none)
        PausedRole, ///< paused by hand (bool)
    };

    explicit ServicesModel(QObject *parent = nullptr);

    /// Replaces the rows with `state`'s routers; `ports` (entry point → bound port) gives URLs.
    void setState(const control::RuntimeState &state, const std::map<QString, quint16> &ports);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    /// A CheckStateRole change of the name column emits pauseRequested; nothing is stored.
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

    /// The router shown in `row`.
    const control::RouterState &router(int row) const { return m_rows.at(size_t(row)).router; }
    /// The service `row`'s router sends to, when it exists in the state.
    const control::ServiceState *service(int row) const;
    /// The row of router `qualifiedName`, -1 when absent.
    int rowOf(const QString &qualifiedName) const;

Q_SIGNALS:
    /// The user switched router `router` off (`paused`) or on in the view.
    void pauseRequested(const QString &router, bool paused);

private:
    struct Row
    {
        control::RouterState router;
        std::optional<control::ServiceState> service;
        QUrl url;
    };

    QVariant display(const Row &row, int column) const;
    QVariant tooltip(const Row &row, int column) const;

    std::vector<Row> m_rows;
};

} // namespace portico::ui
