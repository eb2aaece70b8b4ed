#include "ui/requests/record_detail.h"

#include "ui/requests/body_view.h"
#include "ui/requests/header_diff.h"
#include "ui/requests/requests_model.h"
#include "ui/requests/timing_waterfall.h"

#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace portico::ui {

namespace {

QString changeText(HeaderChange change)
{
    switch (change) {
    case HeaderChange::Added:
        return QObject::tr("added");
    case HeaderChange::Removed:
        return QObject::tr("removed");
    case HeaderChange::Changed:
        return QObject::tr("changed");
    case HeaderChange::Same:
        break;
    }
    return {};
}

void addSection(QTreeWidget *tree, const QString &title, const HeaderList &before,
    const HeaderList &after, bool compare)
{
    auto *section = new QTreeWidgetItem(tree, { title });
    section->setFirstColumnSpanned(true);
    QFont bold = section->font(0);
    bold.setBold(true);
    section->setFont(0, bold);
    const QList<HeaderRow> rows
        = compare ? diffHeaders(before, after) : diffHeaders(before, before);
    for (const HeaderRow &row : rows) {
        auto *item = new QTreeWidgetItem(
            section, { row.name, row.before, compare ? row.after : QString() });
        item->setToolTip(1, row.before);
        item->setToolTip(2, row.after);
        if (!compare || row.change == HeaderChange::Same)
            continue;
        const QColor tint = changeTint(tree->palette().color(QPalette::Base), row.change);
        for (int column = 0; column < 3; ++column)
            item->setBackground(column, tint);
        item->setToolTip(
            0, QObject::tr("%1 by Portico or a middleware").arg(changeText(row.change)));
        item->setData(0, Qt::UserRole, int(row.change));
    }
    section->setExpanded(true);
}

} // namespace

RecordDetail::RecordDetail(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel)
    , m_actions(new QHBoxLayout)
    , m_tabs(new QTabWidget)
    , m_headers(new QTreeWidget)
    , m_requestBody(new BodyView(tr("Request body")))
    , m_responseBody(new BodyView(tr("Response body")))
    , m_waterfall(new TimingWaterfall)
    , m_timingText(new QLabel)
    , m_messages(new QTreeWidget)
{
    setAccessibleName(tr("Request detail"));
    m_summary->setAccessibleName(tr("Request summary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_tabs->setAccessibleName(tr("Request detail tabs"));
    m_headers->setAccessibleName(tr("Headers"));
    m_headers->setColumnCount(3);
    m_headers->setHeaderLabels(
        { tr("Header"), tr("Received / from server"), tr("Forwarded / sent") });
    m_headers->setAlternatingRowColors(true);
    m_headers->setRootIsDecorated(false);
    m_headers->header()->setStretchLastSection(true);
    m_headers->setColumnWidth(0, 200);
    m_headers->setColumnWidth(1, 320);
    m_headers->installEventFilter(this);
    m_messages->setAccessibleName(tr("Messages"));
    m_messages->setHeaderLabels({ tr("Time"), tr("Direction"), tr("Type"), tr("Data") });
    m_messages->setRootIsDecorated(false);
    m_timingText->setAccessibleName(tr("Timing details"));
    m_timingText->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *timing = new QWidget;
    auto *timingLayout = new QVBoxLayout(timing);
    timingLayout->addWidget(m_waterfall);
    timingLayout->addWidget(m_timingText);
    timingLayout->addStretch(1);

    m_tabs->addTab(m_headers, tr("Headers"));
    m_tabs->addTab(m_requestBody, tr("Request body"));
    m_tabs->addTab(m_responseBody, tr("Response body"));
    m_tabs->addTab(timing, tr("Timing"));
    m_tabs->addTab(m_messages, tr("Messages"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addLayout(m_actions);
    layout->addLayout(top);
    layout->addWidget(m_tabs, 1);
    clear();
}

void RecordDetail::clear()
{
    m_record.reset();
    m_summary->setText(tr("Select a request to see its headers, bodies and timing."));
    m_headers->clear();
    m_requestBody->clear();
    m_responseBody->clear();
    m_waterfall->setTiming({});
    m_timingText->clear();
    m_messages->clear();
    m_tabs->setTabText(MessagesTab, tr("Messages"));
}

void RecordDetail::setActions(const QList<QAction *> &actions)
{
    for (QAction *action : actions) {
        auto *button = new QToolButton;
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setAutoRaise(true);
        m_actions->addWidget(button);
    }
}

bool RecordDetail::eventFilter(QObject *watched, QEvent *event)
{
    // The tints were mixed from the tree's old base colour: mix them again from its new one.
    if (watched == m_headers && event->type() == QEvent::PaletteChange)
        retintHeaders();
    return QWidget::eventFilter(watched, event);
}

void RecordDetail::retintHeaders()
{
    const QColor base = m_headers->palette().color(QPalette::Base);
    for (int i = 0; i < m_headers->topLevelItemCount(); ++i) {
        QTreeWidgetItem *section = m_headers->topLevelItem(i);
        for (int j = 0; j < section->childCount(); ++j) {
            QTreeWidgetItem *item = section->child(j);
            const auto change = HeaderChange(item->data(0, Qt::UserRole).toInt());
            if (change == HeaderChange::Same)
                continue;
            for (int column = 0; column < 3; ++column)
                item->setBackground(column, changeTint(base, change));
        }
    }
}

QString RecordDetail::summaryText() const
{
    return m_summary->text();
}

void RecordDetail::showRecord(const observe::RecordPtr &record)
{
    if (!record) {
        clear();
        return;
    }
    m_record = record;
    const observe::ExchangeRecord &r = *record;
    QString summary = QStringLiteral("%1 %2://%3%4 → %5")
                          .arg(QString::fromLatin1(r.method), QString::fromLatin1(r.scheme),
                              QString::fromUtf8(r.host), QString::fromUtf8(r.target),
                              r.status ? QString::number(r.status) : tr("no response"));
    if (!r.router.isEmpty())
        summary += tr(" — router %1").arg(r.router);
    if (!r.serverUrl.isEmpty())
        summary += tr(" → %1").arg(r.serverUrl);
    if (!r.error.isEmpty())
        summary += tr(" — error: %1").arg(r.error);
    m_summary->setText(summary);
    showHeaders(r);
    m_requestBody->setBody(r.requestBody, r.requestHeaders);
    m_responseBody->setBody(r.responseBody, r.responseHeaders);
    showTiming(r);
    showMessages(r);
}

void RecordDetail::showHeaders(const observe::ExchangeRecord &r)
{
    m_headers->clear();
    const bool forwarded = !r.forwardedTarget.isEmpty();
    QString request
        = tr("Request  %1 %2").arg(QString::fromLatin1(r.method), QString::fromUtf8(r.target));
    if (forwarded && r.forwardedTarget != r.target)
        request += tr("  →  %1").arg(QString::fromUtf8(r.forwardedTarget));
    addSection(m_headers, request, r.requestHeaders, r.forwardedRequestHeaders, forwarded);
    const bool fromOrigin = r.originStatus != 0;
    QString response = tr("Response  %1").arg(r.status);
    if (fromOrigin && r.originStatus != r.status)
        response = tr("Response  %1 from server  →  %2 sent").arg(r.originStatus).arg(r.status);
    if (fromOrigin)
        addSection(m_headers, response, r.originResponseHeaders, r.responseHeaders, true);
    else
        addSection(
            m_headers, response + tr(" (answered by Portico)"), r.responseHeaders, {}, false);
}

void RecordDetail::showTiming(const observe::ExchangeRecord &r)
{
    m_waterfall->setTiming(r.timing);
    QStringList lines;
    lines << tr("Started %1")
                 .arg(QDateTime::fromMSecsSinceEpoch(r.startedUs / 1000)
                          .toLocalTime()
                          .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")));
    lines
        << tr("Total %1").arg(r.timing.total >= 0 ? formatDuration(r.timing.total) : tr("running"));
    if (r.originDurationUs >= 0)
        lines << tr("Server %1").arg(formatDuration(r.originDurationUs));
    if (r.tls)
        lines << tr("TLS %1 %2")
                     .arg(QString::fromLatin1(r.tlsVersion), QString::fromLatin1(r.tlsCipher));
    if (r.retryAttempts > 0)
        lines << tr("%n retries", nullptr, r.retryAttempts);
    lines << tr("Client %1:%2 on %3").arg(r.clientAddress).arg(r.clientPort).arg(r.entryPoint);
    m_timingText->setText(lines.join(u'\n'));
}

void RecordDetail::showMessages(const observe::ExchangeRecord &r)
{
    m_messages->clear();
    QList<QTreeWidgetItem *> items;
    items.reserve(qsizetype(r.messages.size()));
    for (const observe::MessageRecord &m : r.messages) {
        QString type;
        switch (m.opcode) {
        case 0:
            type = tr("event");
            break;
        case 1:
            type = tr("text");
            break;
        case 2:
            type = tr("binary");
            break;
        case 8:
            type = tr("close");
            break;
        case 9:
            type = tr("ping");
            break;
        case 10:
            type = tr("pong");
            break;
        default:
            type = QString::number(m.opcode);
            break;
        }
        const QString payload = m.opcode == 2 ? QString::fromLatin1(m.data.left(64).toHex(' '))
                                              : QString::fromUtf8(m.data);
        items << new QTreeWidgetItem(QStringList { formatDuration(m.atUs),
            m.toClient ? QStringLiteral("↓ ") + tr("to client")
                       : QStringLiteral("↑ ") + tr("to server"),
            type, m.truncated ? payload + QStringLiteral(" …") : payload });
    }
    m_messages->addTopLevelItems(items);
    m_tabs->setTabText(MessagesTab,
        r.messages.empty() ? tr("Messages") : tr("Messages (%1)").arg(r.messages.size()));
}

} // namespace portico::ui
