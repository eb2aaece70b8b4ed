#pragma once

#include "core/observe/exchange_record.h"

#include <QWidget>

class QAction;
class QHBoxLayout;
class QLabel;
class QTabWidget;
class QTreeWidget;

namespace portico::ui {

class BodyView;
class TimingWaterfall;

/// The selected exchange in full: a summary line, then tabs — Headers (received vs forwarded
/// request, origin vs sent response, with what the middlewares changed highlighted), the two
/// bodies, Timing (a waterfall) and Messages (WebSocket messages / SSE events).
class RecordDetail : public QWidget
{
    Q_OBJECT
public:
    enum Tab { HeadersTab, RequestBodyTab, ResponseBodyTab, TimingTab, MessagesTab };

    explicit RecordDetail(QWidget *parent = nullptr);

    void showRecord(const observe::RecordPtr &record);
    void clear();
    /// Buttons for `actions` (replay, edit and resend, …) beside the summary line.
    void setActions(const QList<QAction *> &actions);
    observe::RecordPtr record() const { return m_record; }

    QTabWidget *tabs() const { return m_tabs; }
    QTreeWidget *headers() const { return m_headers; }
    BodyView *requestBody() const { return m_requestBody; }
    BodyView *responseBody() const { return m_responseBody; }
    TimingWaterfall *waterfall() const { return m_waterfall; }
    QTreeWidget *messages() const { return m_messages; }
    QString summaryText() const;

protected:
    /// A theme change (the header tree's PaletteChange) re-tints the header changes.
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showHeaders(const observe::ExchangeRecord &record);
    void showTiming(const observe::ExchangeRecord &record);
    void showMessages(const observe::ExchangeRecord &record);
    void retintHeaders();

    observe::RecordPtr m_record;
    QLabel *m_summary;
    QHBoxLayout *m_actions;
    QTabWidget *m_tabs;
    QTreeWidget *m_headers;
    BodyView *m_requestBody;
    BodyView *m_responseBody;
    TimingWaterfall *m_waterfall;
    QLabel *m_timingText;
    QTreeWidget *m_messages;
};

} // namespace portico::ui
