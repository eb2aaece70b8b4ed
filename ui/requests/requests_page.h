#pragma once

#include "core/observe/exchange_record.h"

#include <QJsonObject>
#include <QPointer>
#include <QWidget>

#include <map>

class QAction;
class QLabel;
class QLineEdit;
class QTableView;
class QToolButton;

namespace portico::observe {
class CaptureHub;
struct CaptureSettings;
} // namespace portico::observe

namespace portico::ui {

class RecordDetail;
class ReplayEditor;
class RequestsModel;

/// The "Requests" page: the live table of captured exchanges with a filter bar (the API's filter
/// syntax), pause and clear, and the selected exchange's detail below. Follows a CaptureHub
/// through queued signals only; a re-filter queries the hub on a worker thread, so neither a
/// flood nor a large capture ring ever stalls the window.
class RequestsPage : public QWidget
{
    Q_OBJECT
public:
    /// `hub` may be null (no capture in this core): the page then says so.
    explicit RequestsPage(observe::CaptureHub *hub, QWidget *parent = nullptr, int maxRows = 5000);

    RequestsModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    RecordDetail *detail() const { return m_detail; }
    QLineEdit *filterEdit() const { return m_filter; }
    QAction *pauseAction() const { return m_pause; }
    QAction *clearAction() const { return m_clear; }
    QAction *copyCurlAction() const { return m_copyCurl; }
    QAction *exportHarAction() const { return m_exportHar; }
    QAction *replayAction() const { return m_replay; }
    QAction *editResendAction() const { return m_editResend; }
    /// The filter bar's error, empty when the text parses (tests).
    QString filterError() const { return m_filterError; }
    /// True while a re-filter query runs on the worker thread (tests wait for it to end).
    bool isQuerying() const { return m_querying; }

    /// Applies the filter bar's text (the bar calls this as the user types, debounced).
    void applyFilter(const QString &text);
    /// Selects record `id`; false when it is not shown.
    bool selectRecord(quint64 id);
    /// Writes the shown records (oldest first) as a HAR 1.2 file; returns the error, or empty.
    QString exportHar(const QString &path) const;
    /// The selected record as a curl command line (empty without a selection).
    QString curlCommand() const;
    /// The port each bound entry point listens on: replays go there, so Portico routes and
    /// captures them like any request.
    void setEntryPointPorts(const std::map<QString, quint16> &ports);
    /// Sends the selected request again through its entry point; the outcome shows in the
    /// status line and the replayed exchange appears as a new row.
    void replaySelected();
    /// Opens the edit-and-resend editor on the selected request (non-modal); Send goes to
    /// sendEdited(). Returns the editor (tests fill it in), or null without a selection.
    ReplayEditor *editSelected();
    /// Sends record `id`'s request with the API's replay `edits` (observe::replayRequest) through
    /// its entry point; the new exchange is selected in the table once it is captured.
    void sendEdited(quint64 id, const QJsonObject &edits);
    /// The status line's text (tests).
    QString statusText() const;

private:
    void buildActions();
    void onRecords(const observe::RecordBatch &records);
    void onSettings(const observe::CaptureSettings &settings);
    void requery();
    void showSelected();
    void updateStatus();
    void updateActions();
    /// Sends `record`'s request with `edits`; `select`: select the new exchange when it shows.
    void send(const observe::RecordPtr &record, const QJsonObject &edits, bool select);
    /// Selects the exchange sent from local port m_selectPort once the table has it.
    void selectSent();

    QPointer<observe::CaptureHub> m_hub;
    RequestsModel *m_model;
    QTableView *m_table;
    RecordDetail *m_detail;
    QLineEdit *m_filter;
    QLabel *m_status;
    QAction *m_pause;
    QAction *m_clear;
    QAction *m_copyCurl;
    QAction *m_exportHar;
    QAction *m_replay;
    QAction *m_editResend;
    QString m_filterError;
    quint64 m_selected = 0; ///< id of the selected record, kept across resets
    bool m_querying = false;
    int m_generation = 0; ///< answers of older queries are dropped
    std::vector<observe::RecordBatch> m_heldBack; ///< batches that arrived while querying
    std::map<QString, quint16> m_ports; ///< entry point → bound port, for replays
    quint16 m_selectPort = 0; ///< client port of a sent edit whose record is still to come
    QString m_lastOutcome; ///< the last replay's or export's outcome, shown in the status line
};

} // namespace portico::ui
