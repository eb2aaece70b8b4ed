#pragma once

#include <QPalette>
#include <QSyntaxHighlighter>

namespace portico::ui {

/// The colours JSON is shown in, chosen from a palette so they keep their contrast on light and
/// dark themes.
struct JsonColours
{
    QColor key;
    QColor string;
    QColor number;
    QColor keyword; ///< true, false, null
};

/// The JSON colours for `palette`.
JsonColours jsonColours(const QPalette &palette);

/// Colours keys, strings, numbers and keywords of the pretty-printed JSON in a body view; off
/// for other bodies. setPalette() re-colours the whole document (a theme change).
class JsonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument *document);

    /// Highlights from the next rehighlight on (only JSON bodies are).
    void setActive(bool active);
    /// Takes the colours of `palette` and highlights the document again.
    void setPalette(const QPalette &palette);
    const JsonColours &colours() const { return m_colours; }

protected:
    void highlightBlock(const QString &text) override;

private:
    bool m_active = false;
    JsonColours m_colours;
};

} // namespace portico::ui
