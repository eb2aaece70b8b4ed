#include "ui/requests/json_highlighter.h"

#include "ui/settings/theme.h"

#include <QRegularExpression>

namespace portico::ui {

JsonColours jsonColours(const QPalette &palette)
{
    return JsonColours { accentFor(palette, QColor(0x1f, 0x5f, 0xa8)),
        accentFor(palette, QColor(0x2e, 0x7d, 0x32)), accentFor(palette, QColor(0xb3, 0x5c, 0x00)),
        accentFor(palette, QColor(0x8e, 0x3c, 0xb8)) };
}

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{ }

void JsonHighlighter::setActive(bool active)
{
    m_active = active;
}

void JsonHighlighter::setPalette(const QPalette &palette)
{
    m_colours = jsonColours(palette);
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    if (!m_active)
        return;
    // QJsonDocument::Indented puts one value per line: a line-local scan is enough.
    static const QRegularExpression token(
        QStringLiteral("(\"(?:[^\"\\\\]|\\\\.)*\")(\\s*:)?"
                       "|(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)|\\b(true|false|null)\\b"));
    for (auto it = token.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        QColor colour;
        if (match.capturedLength(1) > 0)
            colour = match.capturedLength(2) > 0 ? m_colours.key : m_colours.string;
        else if (match.capturedLength(3) > 0)
            colour = m_colours.number;
        else
            colour = m_colours.keyword;
        const int group = match.capturedLength(1) > 0 ? 1 : match.capturedLength(3) > 0 ? 3 : 4;
        setFormat(int(match.capturedStart(group)), int(match.capturedLength(group)), colour);
    }
}

} // namespace portico::ui
