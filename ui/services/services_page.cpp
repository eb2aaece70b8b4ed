#include "ui/services/services_page.h"

#include "ui/services/router_detail.h"
#include "ui/services/services_model.h"
#include "ui/shell/core_status.h"

#include <QDesktopServices>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace portico::ui {

ServicesPage::ServicesPage(CoreStatus *status, QWidget *parent)
    : QWidget(parent)
    , m_status(status)
    , m_model(new ServicesModel(this))
    , m_table(new QTableView)
    , m_detail(new RouterDetail)
{
    setAccessibleName(tr("Services"));
    m_table->setModel(m_model);
    m_table->setAccessibleName(tr("Routers"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        m_selected = current.isValid() ? current.data(ServicesModel::RouterNameRole).toString()
                                       : QString();
        showSelected();
    });
    connect(m_table, &QTableView::activated, this, [](const QModelIndex &index) {
        const QUrl url = index.data(ServicesModel::UrlRole).toUrl();
        if (url.isValid())
            QDesktopServices::openUrl(url);
    });
    connect(m_status, &CoreStatus::changed, this, &ServicesPage::refresh);
    refresh();
}

bool ServicesPage::selectRouter(const QString &qualifiedName)
{
    const int row = m_model->rowOf(qualifiedName);
    if (row < 0)
        return false;
    m_table->selectionModel()->setCurrentIndex(
        m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

void ServicesPage::refresh()
{
    const bool firstRows = m_model->rowCount() == 0;
    QString keep = m_selected;
    m_model->setState(m_status->state(), m_status->ports());
    if (firstRows && m_model->rowCount() > 0) {
        fitColumns();
        if (keep.isEmpty())
            keep = firstWorthALook();
    }
    // A model reset clears the view's current row (and so m_selected): put it back by name.
    if (!keep.isEmpty()) {
        m_selected = keep;
        selectRouter(keep);
    }
    showSelected();
}

QString ServicesPage::firstWorthALook() const
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->router(row).status != control::Status::Enabled)
            return m_model->router(row).name;
    }
    return m_model->router(0).name;
}

void ServicesPage::fitColumns()
{
    m_table->resizeColumnsToContents();
    const int widest = qMax(160, m_table->fontMetrics().averageCharWidth() * 32);
    for (int column = 0; column < ServicesModel::ColumnCount - 1; ++column)
        m_table->setColumnWidth(column, qMin(m_table->columnWidth(column), widest));
}

void ServicesPage::showSelected()
{
    const int row = m_model->rowOf(m_selected);
    if (row < 0) {
        m_detail->clear();
        return;
    }
    m_detail->showRouter(m_model->router(row), m_model->service(row),
        m_model->index(row, ServicesModel::Url).data(ServicesModel::UrlRole).toUrl());
}

} // namespace portico::ui
