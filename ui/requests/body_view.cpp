#include "ui/requests/body_view.h"

#include "ui/requests/json_highlighter.h"

#include <QCheckBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QPixmap>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QStackedWidget>
#include <QTableWidget>

namespace portico::ui {

BodyView::BodyView(const QString &accessibleName, QWidget *parent)
    : QWidget(parent)
    , m_note(new QLabel)
    , m_hex(new QCheckBox(tr("He&x")))
    , m_stack(new QStackedWidget)
    , m_text(new QPlainTextEdit)
    , m_form(new QTableWidget(0, 2))
    , m_image(new QLabel)
    , m_highlighter(new JsonHighlighter(m_text->document()))
{
    m_highlighter->setPalette(palette());
    setAccessibleName(accessibleName);
    m_note->setAccessibleName(tr("Body notes"));
    m_hex->setAccessibleName(tr("Show as hex"));
    m_hex->setToolTip(tr("Show the bytes as a hex dump"));
    m_text->setReadOnly(true);
    m_text->setAccessibleName(accessibleName + tr(" text"));
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_form->setAccessibleName(accessibleName + tr(" form fields"));
    m_form->setHorizontalHeaderLabels({ tr("Field"), tr("Value") });
    m_form->horizontalHeader()->setStretchLastSection(true);
    m_form->verticalHeader()->hide();
    m_form->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_image->setAccessibleName(accessibleName + tr(" image"));
    m_image->setAlignment(Qt::AlignCenter);
    auto *scroll = new QScrollArea;
    scroll->setWidget(m_image);
    scroll->setWidgetResizable(true);
    m_stack->addWidget(m_text);
    m_stack->addWidget(m_form);
    m_stack->addWidget(scroll);

    auto *top = new QHBoxLayout;
    top->addWidget(m_note, 1);
    top->addWidget(m_hex);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_stack, 1);
    connect(m_hex, &QCheckBox::toggled, this, &BodyView::show);
}

void BodyView::setBody(const observe::CapturedBody &body, const HeaderList &headers)
{
    m_presentation = presentBody(body, headers);
    show();
}

void BodyView::clear()
{
    m_presentation = {};
    show();
}

void BodyView::show()
{
    const BodyPresentation &p = m_presentation;
    QString kind;
    switch (p.kind) {
    case BodyKind::Empty:
        kind = QString();
        break;
    case BodyKind::Json:
        kind = tr("JSON");
        break;
    case BodyKind::Html:
        kind = tr("HTML");
        break;
    case BodyKind::Text:
        kind = tr("text");
        break;
    case BodyKind::Form:
        kind = tr("form");
        break;
    case BodyKind::Image:
        kind = tr("image");
        break;
    case BodyKind::Binary:
        kind = tr("binary");
        break;
    }
    QStringList note;
    if (!kind.isEmpty())
        note << tr("%1, %2 bytes").arg(kind).arg(p.data.size());
    if (!p.note.isEmpty())
        note << p.note;
    m_note->setText(note.join(QStringLiteral(" — ")));
    m_hex->setEnabled(p.kind != BodyKind::Empty && p.kind != BodyKind::Binary);
    const bool hex = m_hex->isChecked() && p.kind != BodyKind::Empty;
    m_highlighter->setActive(!hex && p.kind == BodyKind::Json);
    if (hex || p.kind == BodyKind::Binary) {
        m_text->setPlainText(p.kind == BodyKind::Binary ? p.text : hexDump(p.data));
        m_stack->setCurrentWidget(m_text);
    } else if (p.kind == BodyKind::Form) {
        m_form->setRowCount(int(p.fields.size()));
        for (int row = 0; row < p.fields.size(); ++row) {
            m_form->setItem(row, 0, new QTableWidgetItem(p.fields[row].first));
            m_form->setItem(row, 1, new QTableWidgetItem(p.fields[row].second));
        }
        m_stack->setCurrentWidget(m_form);
    } else if (p.kind == BodyKind::Image) {
        m_image->setPixmap(QPixmap::fromImage(QImage::fromData(p.data)));
        m_stack->setCurrentIndex(2);
    } else {
        m_text->setPlainText(p.text);
        m_stack->setCurrentWidget(m_text);
    }
}

void BodyView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setPalette(palette());
}

QString BodyView::shownText() const
{
    return m_text->toPlainText();
}

QWidget *BodyView::currentView() const
{
    return m_stack->currentWidget();
}

} // namespace portico::ui
