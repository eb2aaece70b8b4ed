#pragma once

#include <QWidget>

class QTableView;

namespace portico::ui {

class CoreStatus;
class RouterDetail;
class ServicesModel;

/// The "Services" page: every router in a table, the selected one's errors and servers below.
/// Follows a CoreStatus; keeps the selection (by router name) across configuration reloads.
class ServicesPage : public QWidget
{
    Q_OBJECT
public:
    explicit ServicesPage(CoreStatus *status, QWidget *parent = nullptr);

    ServicesModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    RouterDetail *detail() const { return m_detail; }
    /// Selects router `qualifiedName`; false when it is not listed.
    bool selectRouter(const QString &qualifiedName);

private:
    void refresh();
    /// Sizes columns to their content once rows exist, capping long rules and URLs.
    void fitColumns();
    /// The router to select when rows first appear: the first one in trouble, else the first.
    QString firstWorthALook() const;
    void showSelected();

    CoreStatus *m_status;
    ServicesModel *m_model;
    QTableView *m_table;
    RouterDetail *m_detail;
    QString m_selected; ///< qualified name of the selected router, kept across model resets
};

} // namespace portico::ui
