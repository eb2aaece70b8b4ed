#pragma once

#include "core/common/error.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace portico::ui {

/// "Explain a URL": a field for a URL and the answer of the core's explainer below it, in the
/// words of `portico explain` (control/explain_text.h): which router wins and why every other one
/// did not. Asks through explainRequested; the answer is shown by showExplanation/showError.
class ExplainPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ExplainPanel(QWidget *parent = nullptr);

    QLineEdit *urlField() const { return m_url; }
    QPushButton *explainButton() const { return m_explain; }
    /// The explanation as shown (same text as `portico explain URL`).
    QString text() const;
    /// One line above it: the winner (or "no router matches", or the error).
    QString verdict() const;
    /// Sets the URL field (e.g. to the selected router's URL) without asking.
    void setUrl(const QString &url);

public Q_SLOTS:
    /// Asks for the URL in the field (Enter or the button).
    void explainField();
    /// The core's answer for `url`; ignored when the field asks about another URL meanwhile.
    void showExplanation(const QString &url, const QJsonObject &explanation);
    void showError(const QString &url, const portico::Error &error);

Q_SIGNALS:
    /// Asks the core to explain `url` (as typed; `shop.localhost/x` means http).
    void explainRequested(const QString &url);

private:
    QLineEdit *m_url;
    QPushButton *m_explain;
    QLabel *m_verdict;
    QPlainTextEdit *m_output;
    QString m_asked; ///< the URL of the question in flight or answered
};

} // namespace portico::ui
