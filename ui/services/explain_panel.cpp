#include "ui/services/explain_panel.h"

#include "core/control/explain_text.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace portico::ui {

namespace {

/// `app@file serves it on web`, per entry point; "no router matches" when none does.
QString winnerLine(const QJsonObject &explanation)
{
    QStringList parts;
    for (const QJsonValue &value : explanation.value(QLatin1String("entryPoints")).toArray()) {
        const QJsonObject ep = value.toObject();
        const QString entryPoint = ep.value(QLatin1String("entryPoint")).toString();
        const QJsonValue winner = ep.value(QLatin1String("winner"));
        if (winner.isString()) {
            const bool paused = ep.value(QLatin1String("paused")).toBool();
            parts << QObject::tr("%1 serves it on %2%3")
                         .arg(winner.toString(), entryPoint,
                             paused ? QObject::tr(" (paused: the paused page answers)")
                                    : QString());
        } else {
            parts << QObject::tr("no router matches on %1 (404)").arg(entryPoint);
        }
    }
    return parts.isEmpty() ? QObject::tr("no entry point serves this URL") : parts.join(u'\n');
}

} // namespace

ExplainPanel::ExplainPanel(QWidget *parent)
    : QWidget(parent)
    , m_url(new QLineEdit)
    , m_explain(new QPushButton(tr("E&xplain")))
    , m_verdict(new QLabel)
    , m_output(new QPlainTextEdit)
{
    setAccessibleName(tr("Explain a URL"));
    m_url->setAccessibleName(tr("URL to explain"));
    m_url->setPlaceholderText(tr("http://shop.localhost/cart — which router serves it, and why"));
    m_url->setClearButtonEnabled(true);
    m_explain->setAccessibleName(tr("Explain"));
    m_explain->setToolTip(tr("Show which router serves this URL and why the others do not"));
    m_verdict->setAccessibleName(tr("Explain verdict"));
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict->setWordWrap(true);
    QFont bold = m_verdict->font();
    bold.setBold(true);
    m_verdict->setFont(bold);
    m_output->setAccessibleName(tr("Explanation"));
    m_output->setReadOnly(true);
    m_output->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_output->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_output->setPlaceholderText(
        tr("The explanation appears here, as `portico explain URL` prints it."));

    auto *row = new QHBoxLayout;
    row->addWidget(m_url, 1);
    row->addWidget(m_explain);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_verdict);
    layout->addWidget(m_output, 1);

    connect(m_url, &QLineEdit::returnPressed, this, &ExplainPanel::explainField);
    connect(m_explain, &QPushButton::clicked, this, &ExplainPanel::explainField);
}

QString ExplainPanel::text() const
{
    return m_output->toPlainText();
}

QString ExplainPanel::verdict() const
{
    return m_verdict->text();
}

void ExplainPanel::setUrl(const QString &url)
{
    m_url->setText(url);
}

void ExplainPanel::explainField()
{
    QString url = m_url->text().trimmed();
    if (url.isEmpty())
        return;
    if (!url.contains(QLatin1String("://"))) // `shop.localhost/x` means http, as in the CLI
        url.prepend(QLatin1String("http://"));
    m_asked = url;
    m_verdict->setText(tr("Explaining %1…").arg(url));
    Q_EMIT explainRequested(url);
}

void ExplainPanel::showExplanation(const QString &url, const QJsonObject &explanation)
{
    if (url != m_asked)
        return;
    m_verdict->setText(winnerLine(explanation));
    m_output->setPlainText(control::explanationText(explanation, url));
}

void ExplainPanel::showError(const QString &url, const Error &error)
{
    if (url != m_asked)
        return;
    m_verdict->setText(tr("Cannot explain: %1").arg(error.toString()));
    m_output->clear();
}

} // namespace portico::ui
