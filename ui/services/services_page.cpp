#include "ui/services/services_page.h"

#include "ui/services/alias_editor.h"
#include "ui/services/explain_panel.h"
#include "ui/services/proposals_panel.h"
#include "ui/services/router_detail.h"
#include "ui/services/services_model.h"
#include "ui/shell/core_status.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace portico::ui {

namespace {

QAction *pageAction(QWidget *page, const QString &text, const QKeySequence &shortcut)
{
    auto *action = new QAction(text, page);
    action->setShortcut(shortcut);
    // Only while focus is on this page: other pages bind the same keys to their own actions.
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setToolTip(
        QStringLiteral("%1 (%2)").arg(text, shortcut.toString(QKeySequence::NativeText)));
    page->addAction(action);
    return action;
}

} // namespace

ServicesPage::ServicesPage(CoreStatus *status, QWidget *parent)
    : QWidget(parent)
    , m_status(status)
    , m_model(new ServicesModel(this))
    , m_table(new QTableView)
    , m_detail(new RouterDetail)
    , m_aliases(new AliasEditor)
    , m_proposals(new ProposalsPanel)
    , m_explain(new ExplainPanel)
    , m_tabs(new QTabWidget)
    , m_message(new QLabel)
    , m_filter(new QLineEdit)
{
    setAccessibleName(tr("Services"));
    m_table->setModel(m_model);
    m_table->setAccessibleName(tr("Routers"));
    m_table->setAccessibleDescription(
        tr("Every router; its check box serves or pauses it. Enter opens it in the browser."));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);

    m_message->setAccessibleName(tr("Services message"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setStyleSheet(QStringLiteral("QLabel { background: rgba(220, 50, 50, 0.14); "
                                            "border-radius: 4px; padding: 6px; }"));
    m_message->hide();

    m_tabs->setAccessibleName(tr("Service tabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_detail, tr("&Details"));
    m_tabs->addTab(m_aliases, tr("&Aliases"));
    m_tabs->addTab(m_proposals, tr("De&v servers"));
    m_tabs->addTab(m_explain, tr("E&xplain a URL"));

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(m_tabs);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(makeToolBar());
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    addShortcuts();

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        m_selected = current.isValid() ? current.data(ServicesModel::RouterNameRole).toString()
                                       : QString();
        showSelected();
        // An alias picked in the table is the one the Aliases tab edits.
        if (m_selected.endsWith(QLatin1String("@state")) && !m_aliases->nameField()->hasFocus())
            m_aliases->selectAlias(m_selected.section(u'@', 0, 0));
    });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const QUrl url = index.data(ServicesModel::UrlRole).toUrl();
        if (url.isValid())
            Q_EMIT openUrlRequested(url);
    });
    connect(m_model, &ServicesModel::pauseRequested, this, &ServicesPage::pauseRequested);
    connect(m_aliases, &AliasEditor::aliasRequested, this, &ServicesPage::aliasRequested);
    connect(
        m_aliases, &AliasEditor::aliasRemovalRequested, this, &ServicesPage::aliasRemovalRequested);
    connect(m_proposals, &ProposalsPanel::publishRequested, this, &ServicesPage::publishRequested);
    connect(m_explain, &ExplainPanel::explainRequested, this, &ServicesPage::explainRequested);
    // A new request makes the last refusal stale.
    connect(this, &ServicesPage::pauseRequested, m_message, &QLabel::hide);
    connect(this, &ServicesPage::aliasRemovalRequested, m_message, &QLabel::hide);
    connect(this, &ServicesPage::aliasRequested, m_message, &QLabel::hide);
    connect(this, &ServicesPage::publishRequested, m_message, &QLabel::hide);
    connect(m_status, &CoreStatus::changed, this, &ServicesPage::refresh);
    refresh();
}

QToolBar *ServicesPage::makeToolBar()
{
    auto *bar = new QToolBar;
    bar->setAccessibleName(tr("Router actions"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_toggle = pageAction(this, tr("Serving"), QKeySequence(Qt::CTRL | Qt::Key_T));
    m_toggle->setCheckable(true);
    m_toggle->setToolTip(tr("Serve or pause the selected router; paused, it answers 503 (%1)")
                             .arg(m_toggle->shortcut().toString(QKeySequence::NativeText)));
    m_open = pageAction(this, tr("Open in browser"), QKeySequence(Qt::CTRL | Qt::Key_O));
    m_copyUrl = pageAction(this, tr("Copy URL"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    bar->addAction(m_toggle);
    bar->addSeparator();
    bar->addAction(m_open);
    bar->addAction(m_copyUrl);
    auto *spacer = new QWidget;
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_filter->setAccessibleName(tr("Filter routers"));
    m_filter->setPlaceholderText(tr("Filter routers (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setMaximumWidth(320);
    bar->addWidget(m_filter);
    connect(m_filter, &QLineEdit::textChanged, this, &ServicesPage::applyFilter);
    connect(m_toggle, &QAction::triggered, this, [this](bool serving) {
        if (!m_selected.isEmpty())
            Q_EMIT pauseRequested(m_selected, !serving);
    });
    connect(m_open, &QAction::triggered, this, [this] {
        if (const QUrl url = selectedUrl(); url.isValid())
            Q_EMIT openUrlRequested(url);
    });
    connect(m_copyUrl, &QAction::triggered, this, [this] {
        if (const QUrl url = selectedUrl(); url.isValid())
            QApplication::clipboard()->setText(url.toString());
    });
    return bar;
}

void ServicesPage::addShortcuts()
{
    QAction *explain = pageAction(this, tr("Explain a URL"), QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(explain, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_explain);
        m_explain->urlField()->setFocus(Qt::ShortcutFocusReason);
        m_explain->urlField()->selectAll();
    });
    QAction *find = pageAction(this, tr("Filter routers"), QKeySequence(Qt::CTRL | Qt::Key_F));
    connect(find, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    QAction *alias = pageAction(this, tr("New alias"), QKeySequence(Qt::CTRL | Qt::Key_N));
    connect(alias, &QAction::triggered, this, [this] {
        m_tabs->setCurrentWidget(m_aliases);
        m_aliases->startNew();
    });
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

void ServicesPage::setDiscoveryEnabled(bool enabled)
{
    m_proposals->setDiscoveryEnabled(enabled);
}

void ServicesPage::setProposals(const std::vector<provider::ports::Proposal> &proposals)
{
    m_proposals->setProposals(proposals);
    const auto waiting = std::count_if(proposals.begin(), proposals.end(),
        [](const provider::ports::Proposal &p) { return !p.published; });
    m_tabs->setTabText(m_tabs->indexOf(m_proposals),
        waiting > 0 ? tr("De&v servers (%1)").arg(waiting) : tr("De&v servers"));
}

QString ServicesPage::messageText() const
{
    return m_message->isHidden() ? QString() : m_message->text();
}

void ServicesPage::showActionError(const QString &action, const Error &error)
{
    m_message->setText(tr("Could not %1: %2").arg(action, error.toString()));
    m_message->show();
    updateActions(); // a refused toggle shows what is true again
}

void ServicesPage::showExplanation(const QString &url, const QJsonObject &explanation)
{
    m_explain->showExplanation(url, explanation);
}

void ServicesPage::showExplainError(const QString &url, const Error &error)
{
    m_explain->showError(url, error);
}

void ServicesPage::refresh()
{
    const int rowsBefore = m_model->rowCount();
    QString keep = m_selected;
    m_model->setState(m_status->state(), m_status->ports());
    m_aliases->setState(m_status->state());
    if (rowsBefore == 0 && m_model->rowCount() > 0) {
        fitColumns();
        if (keep.isEmpty())
            keep = firstWorthALook();
    } else if (m_model->rowCount() > rowsBefore) { // a new name may be longer than the column
        for (const int column : { ServicesModel::Name, ServicesModel::Service })
            m_table->setColumnWidth(column,
                qMin(qMax(m_table->columnWidth(column),
                         static_cast<QAbstractItemView *>(m_table)->sizeHintForColumn(column)),
                    maxColumnWidth()));
    }
    applyFilter(); // a model reset shows every row again
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
    for (int column = 0; column < ServicesModel::ColumnCount - 1; ++column)
        m_table->setColumnWidth(column, qMin(m_table->columnWidth(column), maxColumnWidth()));
}

int ServicesPage::maxColumnWidth() const
{
    return qMax(160, m_table->fontMetrics().averageCharWidth() * 32);
}

void ServicesPage::showSelected()
{
    const int row = m_model->rowOf(m_selected);
    updateActions();
    if (row < 0) {
        m_detail->clear();
        return;
    }
    const QUrl url = selectedUrl();
    m_detail->showRouter(m_model->router(row), m_model->service(row), url);
    // The explain field starts from the selected router's URL until the person types their own.
    const QString typed = m_explain->urlField()->text();
    if (url.isValid() && (typed.isEmpty() || typed == m_prefilledUrl)) {
        m_prefilledUrl = url.toString();
        m_explain->setUrl(m_prefilledUrl);
    }
}

void ServicesPage::updateActions()
{
    const int row = m_model->rowOf(m_selected);
    // A router disabled by its errors serves nothing: nothing to toggle until its errors go.
    const bool inError = row >= 0 && m_model->router(row).status == control::Status::Disabled;
    m_toggle->setEnabled(row >= 0 && !inError);
    m_toggle->setChecked(row >= 0 && !inError && !m_model->router(row).paused);
    m_toggle->setText(row >= 0 && m_model->router(row).paused ? tr("Paused") : tr("Serving"));
    const bool hasUrl = selectedUrl().isValid();
    m_open->setEnabled(hasUrl);
    m_copyUrl->setEnabled(hasUrl);
}

void ServicesPage::applyFilter()
{
    const QString text = m_filter->text().trimmed();
    for (int row = 0; row < m_model->rowCount(); ++row) {
        bool match = text.isEmpty();
        for (const int column : { ServicesModel::Name, ServicesModel::Url, ServicesModel::Rule,
                 ServicesModel::Provider }) {
            if (match)
                break;
            match
                = m_model->index(row, column).data().toString().contains(text, Qt::CaseInsensitive);
        }
        m_table->setRowHidden(row, !match);
    }
}

int ServicesPage::visibleRouterCount() const
{
    int visible = 0;
    for (int row = 0; row < m_model->rowCount(); ++row)
        visible += m_table->isRowHidden(row) ? 0 : 1;
    return visible;
}

QUrl ServicesPage::selectedUrl() const
{
    const int row = m_model->rowOf(m_selected);
    return row < 0 ? QUrl()
                   : m_model->index(row, ServicesModel::Url).data(ServicesModel::UrlRole).toUrl();
}

} // namespace portico::ui
