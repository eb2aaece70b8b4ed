#pragma once

#include "ui/requests/body_presentation.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QTableWidget;

namespace portico::ui {

class JsonHighlighter;

/// One captured body as a person reads it: pretty JSON, text/HTML, form fields, an image, or a
/// hex dump (binary, or on request for anything).
class BodyView : public QWidget
{
    Q_OBJECT
public:
    explicit BodyView(const QString &accessibleName, QWidget *parent = nullptr);

    void setBody(const observe::CapturedBody &body, const HeaderList &headers);
    void clear();

    const BodyPresentation &presentation() const { return m_presentation; }
    /// The text shown in the text view (tests).
    QString shownText() const;
    /// Whether the text, form, image or (empty) page is current (tests).
    QWidget *currentView() const;
    QPlainTextEdit *textView() const { return m_text; }
    QTableWidget *formView() const { return m_form; }
    QLabel *imageView() const { return m_image; }
    JsonHighlighter *highlighter() const { return m_highlighter; }

protected:
    /// A theme change re-colours the JSON.
    void changeEvent(QEvent *event) override;

private:
    void show();

    BodyPresentation m_presentation;
    QLabel *m_note;
    QCheckBox *m_hex;
    QStackedWidget *m_stack;
    QPlainTextEdit *m_text;
    QTableWidget *m_form;
    QLabel *m_image;
    JsonHighlighter *m_highlighter;
};

} // namespace portico::ui
