#pragma once

#include "core/common/expected.h"
#include "core/observe/exchange_record.h"

#include <QDialog>
#include <QJsonObject>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace portico::ui {

/// "Edit and resend": a captured request's method, URL, headers and body in editable fields.
/// Send turns them into the edits the control API's replay takes (observe::replayRequest), so
/// the GUI and `POST /api/portico/requests/{id}/replay` send exactly the same bytes.
class ReplayEditor : public QDialog
{
    Q_OBJECT
public:
    /// Prefilled from `record` as it was received (Host and hop-by-hop fields left out: the
    /// replay sets them).
    explicit ReplayEditor(const observe::ExchangeRecord &record, QWidget *parent = nullptr);

    /// The fields as replay edits: `method`, `url`, `headers` (an array that replaces them all)
    /// and `body` (text, or base64 when the captured body is not text); an error names the
    /// header line that is not `Name: value`.
    Expected<QJsonObject> edits() const;
    /// Validates the fields, emits sendRequested and closes; on an error shows it and stays.
    void send();

    quint64 recordId() const { return m_recordId; }
    QComboBox *methodEdit() const { return m_method; }
    QLineEdit *urlEdit() const { return m_url; }
    QPlainTextEdit *headersEdit() const { return m_headers; }
    QPlainTextEdit *bodyEdit() const { return m_body; }
    /// The error or warning line under the fields (tests).
    QString messageText() const;

Q_SIGNALS:
    /// The user pressed Send with valid fields.
    void sendRequested(quint64 recordId, const QJsonObject &edits);

private:
    void prefill(const observe::ExchangeRecord &record);

    quint64 m_recordId;
    observe::ExchangeRecord m_head; ///< method, URL and headers: edits are checked against it
    QByteArray m_binaryBody; ///< a body that is not UTF-8 text is sent unchanged (base64)
    bool m_bodyIsText = true;
    QComboBox *m_method;
    QLineEdit *m_url;
    QPlainTextEdit *m_headers;
    QPlainTextEdit *m_body;
    QLabel *m_message;
    QPushButton *m_send;
};

/// `Name: value` lines as a replay's header array; blank lines are skipped; an error names the
/// first line that is not a header field (RFC 9110 §5.1: the name is a token).
Expected<QJsonArray> parseHeaderLines(const QString &text);

} // namespace portico::ui
