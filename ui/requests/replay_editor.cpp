#include "ui/requests/replay_editor.h"

#include "core/observe/replay.h"
#include "ui/requests/body_presentation.h"
#include "ui/requests/requests_model.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QStringDecoder>
#include <QVBoxLayout>

namespace portico::ui {

namespace {

/// RFC 9110 §5.6.2 token characters.
bool isToken(const QString &name)
{
    static const QString extra = QStringLiteral("!#$%&'*+-.^_`|~");
    return !name.isEmpty() && std::all_of(name.begin(), name.end(), [](QChar c) {
        return c.unicode() < 0x80 && (c.isLetterOrNumber() || extra.contains(c));
    });
}

QPlainTextEdit *codeEdit(const QString &name)
{
    auto *edit = new QPlainTextEdit;
    edit->setAccessibleName(name);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setTabChangesFocus(true);
    return edit;
}

/// The record without its bodies and messages: enough to check edits against.
observe::ExchangeRecord headOf(const observe::ExchangeRecord &record)
{
    observe::ExchangeRecord head;
    head.method = record.method;
    head.scheme = record.scheme;
    head.host = record.host;
    head.target = record.target;
    head.requestHeaders = record.requestHeaders;
    return head;
}

} // namespace

Expected<QJsonArray> parseHeaderLines(const QString &text)
{
    QJsonArray headers;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':', 1); // `:authority`-style names are not fields
        const QString name = colon > 0 ? line.left(colon).trimmed() : QString();
        if (!isToken(name)) {
            Error error;
            error.message
                = QObject::tr("header line %1 is not \"Name: value\": \"%2\"").arg(i + 1).arg(line);
            return error;
        }
        headers.append(QJsonObject { { QStringLiteral("name"), name },
            { QStringLiteral("value"), line.mid(colon + 1).trimmed() } });
    }
    return headers;
}

ReplayEditor::ReplayEditor(const observe::ExchangeRecord &record, QWidget *parent)
    : QDialog(parent)
    , m_recordId(record.id)
    , m_head(headOf(record))
    , m_method(new QComboBox)
    , m_url(new QLineEdit)
    , m_headers(codeEdit(tr("Request headers")))
    , m_body(codeEdit(tr("Request body")))
    , m_message(new QLabel)
{
    setWindowTitle(tr("Edit and resend"));
    setAccessibleName(tr("Edit and resend"));
    m_method->setEditable(true);
    m_method->setAccessibleName(tr("Method"));
    m_method->addItems({ QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
        QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("HEAD"),
        QStringLiteral("OPTIONS") });
    m_url->setAccessibleName(tr("URL"));
    m_url->setToolTip(tr("The host names the router; the request goes to the entry point it "
                         "arrived on, so Portico routes and captures it again"));
    m_headers->setToolTip(tr("One \"Name: value\" per line; Host, Content-Length and "
                             "Connection are set when sending"));
    m_message->setAccessibleName(tr("Edit and resend message"));
    m_message->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_send = buttons->addButton(tr("&Send"), QDialogButtonBox::AcceptRole);
    m_send->setDefault(true);
    m_send->setAccessibleName(tr("Send the edited request"));
    m_send->setToolTip(tr("Send through Portico (Ctrl+Return)"));
    // Return belongs to the text fields; Ctrl+Return sends from anywhere in the dialog.
    auto *sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(sendShortcut, &QShortcut::activated, this, &ReplayEditor::send);
    connect(buttons, &QDialogButtonBox::accepted, this, &ReplayEditor::send);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    auto *line = new QHBoxLayout;
    line->addWidget(m_method);
    line->addWidget(m_url, 1);
    auto *requestLabel = new QLabel(tr("&Request:"));
    requestLabel->setBuddy(m_url);
    form->addRow(requestLabel, line);
    form->addRow(tr("&Headers:"), m_headers);
    form->addRow(tr("&Body:"), m_body);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form, 1);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    resize(720, 560);
    prefill(record);
}

void ReplayEditor::prefill(const observe::ExchangeRecord &record)
{
    // The replay's own reading of the record: the same defaults the API applies.
    observe::ReplayRequest request;
    QJsonObject noBody { { QStringLiteral("body"), QString() } };
    if (auto parsed = observe::replayRequest(record, noBody))
        request = *parsed;
    m_method->setCurrentText(QString::fromLatin1(record.method));
    m_url->setText(
        QStringLiteral("%1://%2%3")
            .arg(QString::fromLatin1(request.scheme), QString::fromUtf8(request.authority),
                QString::fromUtf8(request.target)));
    QStringList lines;
    for (const auto &field : request.headers)
        lines << QString::fromLatin1(field.name) + QStringLiteral(": ")
                + QString::fromUtf8(field.value);
    m_headers->setPlainText(lines.join(u'\n'));

    const QByteArray &captured = record.requestBody.data;
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString text = decoder.decode(captured);
    m_bodyIsText = !decoder.hasError() && !captured.contains('\0');
    m_body->setPlainText(m_bodyIsText ? text : hexDump(captured));
    m_body->setReadOnly(!m_bodyIsText);
    if (!m_bodyIsText)
        m_binaryBody = captured;
    QStringList notes;
    if (!m_bodyIsText)
        notes << tr("The body is binary: it is sent unchanged.");
    if (record.requestBody.truncated || record.requestBody.evicted)
        notes << tr("Only %1 of the %2 body was captured: what is shown is what is sent.")
                     .arg(formatSize(captured.size()), formatSize(record.requestBody.size));
    m_message->setText(notes.join(u' '));
}

Expected<QJsonObject> ReplayEditor::edits() const
{
    auto headers = parseHeaderLines(m_headers->toPlainText());
    if (!headers)
        return headers.error();
    QJsonObject edits { { QStringLiteral("method"), m_method->currentText().trimmed() },
        { QStringLiteral("url"), m_url->text().trimmed() },
        { QStringLiteral("headers"), *headers } };
    if (m_bodyIsText) {
        edits.insert(QStringLiteral("body"), m_body->toPlainText());
    } else {
        edits.insert(QStringLiteral("body"), QString::fromLatin1(m_binaryBody.toBase64()));
        edits.insert(QStringLiteral("bodyEncoding"), QStringLiteral("base64"));
    }
    return edits;
}

void ReplayEditor::send()
{
    auto built = edits();
    // Checked here with the replay's own rules (method token, URL), so mistakes show in place.
    auto checked = built ? observe::replayRequest(m_head, *built)
                         : Expected<observe::ReplayRequest>(built.error());
    if (!checked) {
        m_message->setText(checked.error().message);
        return;
    }
    Q_EMIT sendRequested(m_recordId, *built);
    accept();
}

QString ReplayEditor::messageText() const
{
    return m_message->text();
}

} // namespace portico::ui
