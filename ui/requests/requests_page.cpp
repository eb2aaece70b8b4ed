#include "ui/requests/requests_page.h"

#include "core/observe/capture_hub.h"
#include "core/observe/exports.h"
#include "core/observe/replay.h"
#include "ui/requests/filter_text.h"
#include "ui/requests/record_detail.h"
#include "ui/requests/replay_editor.h"
#include "ui/requests/requests_model.h"
#include "ui/settings/theme_icons.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QSaveFile>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QThreadPool>
#include <QTimer>
#include <QToolBar>
#include <QVBoxLayout>

namespace portico::ui {

RequestsPage::RequestsPage(observe::CaptureHub *hub, QWidget *parent, int maxRows)
    : QWidget(parent)
    , m_hub(hub)
    , m_model(new RequestsModel(maxRows, this))
    , m_table(new QTableView)
    , m_detail(new RecordDetail)
    , m_filter(new QLineEdit)
    , m_status(new QLabel)
{
    qRegisterMetaType<observe::RecordBatch>("portico::observe::RecordBatch");
    setAccessibleName(tr("Requests"));
    setFocusProxy(m_table);
    m_filter->setAccessibleName(tr("Filter requests"));
    m_filter->setPlaceholderText(tr("Filter: host:shop status:5xx method:POST text…  (Ctrl+F)"));
    m_filter->setToolTip(tr("Filters as in the API: %1 and plain words (searched in URLs, headers "
                            "and bodies)")
                             .arg(filterKeys().join(QStringLiteral(":, ")) + u':'));
    m_filter->setClearButtonEnabled(true);
    m_status->setAccessibleName(tr("Capture status"));

    // Before setModel, so this runs before the view's own handler: in single-selection mode Qt
    // selects the next row when the current one is removed, so dropping the oldest rows of a
    // flood would select (and render in the detail) another record for every batch.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
        [this](const QModelIndex &, int first, int last) {
            const int current = m_table->currentIndex().row();
            if (current >= first && current <= last)
                m_table->selectionModel()->clear();
        });
    m_table->setModel(m_model);
    m_table->setAccessibleName(tr("Captured requests"));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Fixed row heights: the view never measures 5,000 rows when a batch arrives.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setSectionResizeMode(RequestsModel::Path, QHeaderView::Stretch);
    const int chars = m_table->fontMetrics().averageCharWidth();
    m_table->setColumnWidth(RequestsModel::Method, chars * 9);
    m_table->setColumnWidth(RequestsModel::Host, chars * 26);
    m_table->setColumnWidth(RequestsModel::Status, chars * 8);
    m_table->setColumnWidth(RequestsModel::Duration, chars * 11);
    m_table->setColumnWidth(RequestsModel::Size, chars * 11);
    m_table->setColumnWidth(RequestsModel::Protocol, chars * 9);

    buildActions();
    auto *bar = new QToolBar;
    bar->setAccessibleName(tr("Request actions"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addWidget(m_filter);
    bar->addAction(m_pause);
    bar->addAction(m_clear);
    bar->addSeparator();
    bar->addAction(m_copyCurl);
    bar->addAction(m_exportHar);
    bar->addAction(m_replay);
    bar->addAction(m_editResend);
    m_detail->setActions({ m_replay, m_editResend, m_copyCurl });

    auto *splitter = new QSplitter(Qt::Vertical);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(bar);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);

    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(200);
    connect(m_filter, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(debounce, &QTimer::timeout, this, [this] { applyFilter(m_filter->text()); });
    connect(m_filter, &QLineEdit::returnPressed, this, [this, debounce] {
        debounce->stop();
        applyFilter(m_filter->text());
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        m_selected = current.isValid() ? current.data(RequestsModel::IdRole).toULongLong() : 0;
        showSelected();
    });
    connect(m_model, &QAbstractItemModel::dataChanged, this,
        [this](const QModelIndex &top, const QModelIndex &bottom) {
            const int row = m_model->rowOf(m_selected);
            if (row >= top.row() && row <= bottom.row())
                showSelected();
        });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        if (!selectRecord(m_selected))
            m_detail->clear();
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, &RequestsPage::updateStatus);

    if (m_hub) {
        connect(m_hub, &observe::CaptureHub::recordsPublished, this, &RequestsPage::onRecords,
            Qt::QueuedConnection);
        connect(m_hub, &observe::CaptureHub::cleared, m_model, &RequestsModel::clear,
            Qt::QueuedConnection);
        connect(m_hub, &observe::CaptureHub::settingsChanged, this, &RequestsPage::onSettings,
            Qt::QueuedConnection);
        m_pause->setChecked(m_hub->settings()->paused);
        requery();
    }
    updateActions();
    updateStatus();
}

void RequestsPage::buildActions()
{
    // Portico's own vector glyphs: sharp at any scale, drawn in the palette of the moment.
    m_pause = new QAction(glyphIcon(Glyph::Pause), tr("&Pause"), this);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Pause capturing (requests are still served and logged)"));
    m_pause->setEnabled(m_hub);
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        if (m_hub)
            m_hub->setPaused(paused);
        m_pause->setText(paused ? tr("&Resume") : tr("&Pause"));
        m_pause->setIcon(glyphIcon(paused ? Glyph::Play : Glyph::Pause));
        updateStatus();
    });
    m_clear = new QAction(glyphIcon(Glyph::Clear), tr("C&lear"), this);
    m_clear->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_clear->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_clear->setToolTip(tr("Forget every captured request (Ctrl+L)"));
    connect(m_clear, &QAction::triggered, this, [this] {
        m_model->clear();
        if (m_hub)
            m_hub->clear();
    });
    auto *find = new QAction(tr("Filter"), this);
    find->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, this, [this] {
        m_filter->setFocus(Qt::ShortcutFocusReason);
        m_filter->selectAll();
    });
    addAction(find);
    addAction(m_clear);

    m_copyCurl = new QAction(glyphIcon(Glyph::Copy), tr("Copy as &curl"), this);
    m_copyCurl->setToolTip(tr("Copy the selected request as a curl command line"));
    connect(m_copyCurl, &QAction::triggered, this,
        [this] { QApplication::clipboard()->setText(curlCommand()); });
    m_exportHar = new QAction(glyphIcon(Glyph::Save), tr("Export &HAR…"), this);
    m_exportHar->setToolTip(tr("Save the shown requests as a HAR file"));
    connect(m_exportHar, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getSaveFileName(
            this, tr("Export HAR"), QStringLiteral("portico.har"), tr("HTTP Archive (*.har)"));
        if (!path.isEmpty())
            if (const QString error = exportHar(path); !error.isEmpty()) {
                m_lastOutcome = error;
                updateStatus();
            }
    });
    m_replay = new QAction(glyphIcon(Glyph::Replay), tr("&Replay"), this);
    m_replay->setToolTip(tr("Send the selected request again through Portico"));
    connect(m_replay, &QAction::triggered, this, &RequestsPage::replaySelected);
    m_editResend = new QAction(glyphIcon(Glyph::Edit), tr("&Edit and resend…"), this);
    m_editResend->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_editResend->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_editResend->setToolTip(
        tr("Change the method, URL, headers or body and send it through Portico (Ctrl+E)"));
    connect(m_editResend, &QAction::triggered, this, &RequestsPage::editSelected);
    addAction(m_editResend);
}

void RequestsPage::applyFilter(const QString &text)
{
    const auto filter = parseFilterText(text);
    if (!filter) {
        m_filterError = filter.error().message;
        m_filter->setToolTip(filter.error().toString());
        m_filter->setStyleSheet(QStringLiteral("QLineEdit { color: #d03b3b; }"));
        updateStatus();
        return;
    }
    m_filterError.clear();
    m_filter->setStyleSheet({});
    m_model->setFilter(*filter);
    requery();
}

void RequestsPage::requery()
{
    if (!m_hub) {
        m_model->clear();
        return;
    }
    m_querying = true;
    m_heldBack.clear();
    const int generation = ++m_generation;
    const observe::RecordFilter filter = m_model->filter();
    const int limit = m_model->maxRows();
    QPointer<RequestsPage> self(this);
    QPointer<observe::CaptureHub> hub(m_hub);
    // The ring may hold many thousands of records and matching searches bodies: off this thread.
    QThreadPool::globalInstance()->start([self, hub, filter, limit, generation] {
        if (!hub)
            return;
        observe::RecordBatch newestFirst = hub->records(filter, 0, limit);
        std::reverse(newestFirst.begin(), newestFirst.end());
        QMetaObject::invokeMethod(
            self.data(),
            [self, generation, records = std::move(newestFirst)] {
                if (!self || generation != self->m_generation)
                    return;
                self->m_querying = false;
                self->m_model->setRecords(records);
                for (const auto &batch : std::exchange(self->m_heldBack, {}))
                    self->m_model->addRecords(batch);
                self->updateStatus();
                self->m_table->scrollToBottom();
                self->selectSent();
            },
            Qt::QueuedConnection);
    });
}

void RequestsPage::onRecords(const observe::RecordBatch &records)
{
    if (m_querying) {
        m_heldBack.push_back(records);
        return;
    }
    // Follow the newest rows only while the view is already at the bottom.
    const QScrollBar *scroll = m_table->verticalScrollBar();
    const bool atBottom = scroll->value() >= scroll->maximum() - 2;
    m_model->addRecords(records);
    if (atBottom)
        m_table->scrollToBottom();
    // Once per batch: a batch that drops the oldest rows first would otherwise show a
    // passing count, and every text change re-lays out the window.
    updateStatus();
    selectSent();
}

void RequestsPage::onSettings(const observe::CaptureSettings &settings)
{
    if (m_pause->isChecked() != settings.paused)
        m_pause->setChecked(settings.paused);
}

bool RequestsPage::selectRecord(quint64 id)
{
    const int row = id ? m_model->rowOf(id) : -1;
    if (row < 0)
        return false;
    m_table->selectionModel()->setCurrentIndex(
        m_model->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

void RequestsPage::showSelected()
{
    const int row = m_model->rowOf(m_selected);
    m_detail->showRecord(row < 0 ? nullptr : m_model->record(row));
    updateActions();
}

void RequestsPage::setEntryPointPorts(const std::map<QString, quint16> &ports)
{
    m_ports = ports;
    updateActions();
}

void RequestsPage::replaySelected()
{
    if (const observe::RecordPtr record = m_detail->record())
        send(record, {}, false);
}

ReplayEditor *RequestsPage::editSelected()
{
    const observe::RecordPtr record = m_detail->record();
    if (!record)
        return nullptr;
    auto *editor = new ReplayEditor(*record, this);
    editor->setAttribute(Qt::WA_DeleteOnClose);
    connect(editor, &ReplayEditor::sendRequested, this, &RequestsPage::sendEdited);
    editor->open();
    return editor;
}

void RequestsPage::sendEdited(quint64 id, const QJsonObject &edits)
{
    // The row may have left the table meanwhile: the hub still has it (or says it is gone).
    const int row = m_model->rowOf(id);
    observe::RecordPtr record = row >= 0 ? m_model->record(row) : nullptr;
    if (!record && m_hub)
        record = m_hub->record(id);
    if (!record) {
        m_lastOutcome = tr("cannot resend: request %1 is no longer captured").arg(id);
        updateStatus();
        return;
    }
    send(record, edits, true);
}

void RequestsPage::send(const observe::RecordPtr &record, const QJsonObject &edits, bool select)
{
    const auto port = m_ports.find(record->entryPoint);
    if (port == m_ports.end()) {
        m_lastOutcome
            = tr("cannot replay: entry point \"%1\" is not bound").arg(record->entryPoint);
        updateStatus();
        return;
    }
    auto request = observe::replayRequest(*record, edits);
    if (!request) {
        m_lastOutcome = tr("cannot replay: %1").arg(request.error().toString());
        updateStatus();
        return;
    }
    auto *replay = new observe::Replay(*request, QHostAddress::LocalHost, port->second, this);
    replay->start([this, replay, select](Expected<observe::ReplayResponse> response) {
        m_lastOutcome = response ? tr("replayed: %1").arg(response->status)
                                 : tr("replay failed: %1").arg(response.error().toString());
        if (response && select) {
            m_selectPort = response->localPort;
            selectSent();
        }
        updateStatus();
        replay->deleteLater();
    });
}

void RequestsPage::selectSent()
{
    if (!m_selectPort)
        return;
    // Newest first: the sent exchange is among the last rows.
    for (int row = m_model->rowCount() - 1; row >= 0; --row) {
        const observe::RecordPtr record = m_model->record(row);
        if (record->clientPort == m_selectPort
            && record->clientAddress == QLatin1String("127.0.0.1")) {
            m_selectPort = 0;
            selectRecord(record->id);
            m_table->scrollTo(m_model->index(row, 0));
            return;
        }
    }
}

void RequestsPage::updateActions()
{
    const bool selected = m_detail->record() != nullptr;
    m_replay->setEnabled(selected && m_ports.count(m_detail->record()->entryPoint) > 0);
    m_editResend->setEnabled(m_replay->isEnabled());
    m_copyCurl->setEnabled(selected);
    m_exportHar->setEnabled(m_model->rowCount() > 0);
}

void RequestsPage::updateStatus()
{
    QStringList parts;
    if (!m_hub)
        parts << tr("Capture is not available in this core");
    else
        parts << tr("%n request(s) shown", nullptr, m_model->rowCount());
    if (m_model->rowCount() >= m_model->maxRows())
        parts << tr("newest %1 kept").arg(m_model->maxRows());
    if (m_pause->isChecked())
        parts << tr("capture paused");
    if (!m_filterError.isEmpty())
        parts << tr("filter: %1").arg(m_filterError);
    if (!m_lastOutcome.isEmpty())
        parts << m_lastOutcome;
    m_status->setText(parts.join(QStringLiteral(" · ")));
    updateActions();
}

QString RequestsPage::statusText() const
{
    return m_status->text();
}

QString RequestsPage::curlCommand() const
{
    const observe::RecordPtr record = m_detail->record();
    return record ? observe::toCurl(*record, {}) : QString();
}

QString RequestsPage::exportHar(const QString &path) const
{
    observe::RecordBatch records;
    for (int row = 0; row < m_model->rowCount(); ++row)
        records.push_back(m_model->record(row));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return tr("cannot write \"%1\": %2").arg(path, file.errorString());
    file.write(QJsonDocument(observe::toHar(records, {})).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return tr("cannot write \"%1\": %2").arg(path, file.errorString());
    return {};
}

} // namespace portico::ui
