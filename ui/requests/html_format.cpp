#include "ui/requests/html_format.h"

#include <QStringList>

namespace portico::ui {

namespace {

/// HTML's void elements (WHATWG HTML §13.1.2): they have no closing tag.
bool isVoid(const QString &name)
{
    static const QStringList names { QStringLiteral("area"), QStringLiteral("base"),
        QStringLiteral("br"), QStringLiteral("col"), QStringLiteral("embed"), QStringLiteral("hr"),
        QStringLiteral("img"), QStringLiteral("input"), QStringLiteral("link"),
        QStringLiteral("meta"), QStringLiteral("source"), QStringLiteral("track"),
        QStringLiteral("wbr") };
    return names.contains(name);
}

/// Elements whose content is not markup or whose whitespace matters.
bool isVerbatim(const QString &name)
{
    return name == u"script" || name == u"style" || name == u"pre" || name == u"textarea";
}

/// `div` for `<div class=x>`, `/div` for `</div>`.
QString tagName(const QString &tag)
{
    qsizetype end = 1;
    while (end < tag.size() && !tag[end].isSpace() && tag[end] != u'>' && tag[end] != u'/')
        ++end;
    if (tag.startsWith(QStringLiteral("</"))) {
        end = 2;
        while (end < tag.size() && !tag[end].isSpace() && tag[end] != u'>')
            ++end;
        return u'/' + tag.mid(2, end - 2).toLower();
    }
    return tag.mid(1, end - 1).toLower();
}

} // namespace

QString prettyHtml(const QString &html)
{
    // Already laid out by its author (or a template engine): leave it.
    if (html.count(u'\n') * 3 >= html.count(u'<'))
        return html;
    QStringList lines;
    int depth = 0;
    qsizetype at = 0;
    const auto add = [&](const QString &text) {
        if (!text.trimmed().isEmpty())
            lines << QString(depth * 2, u' ') + text.trimmed();
    };
    while (at < html.size()) {
        const qsizetype open = html.indexOf(u'<', at);
        if (open < 0) {
            add(html.mid(at));
            break;
        }
        add(html.mid(at, open - at));
        const bool comment = html.mid(open, 4) == QLatin1String("<!--");
        const qsizetype close
            = comment ? html.indexOf(QStringLiteral("-->"), open) : html.indexOf(u'>', open);
        const qsizetype end = close < 0 ? html.size() : close + (comment ? 3 : 1);
        const QString tag = html.mid(open, end - open);
        const QString name = tagName(tag);
        at = end;
        if (name.startsWith(u'/')) {
            depth = qMax(0, depth - 1);
            add(tag);
            continue;
        }
        add(tag);
        if (comment || name.startsWith(u'!') || name.startsWith(u'?') || isVoid(name)
            || tag.endsWith(QStringLiteral("/>")))
            continue;
        if (isVerbatim(name)) {
            // Kept as written up to its closing tag, which goes on the same line.
            const qsizetype closing
                = html.indexOf(QStringLiteral("</") + name, at, Qt::CaseInsensitive);
            const qsizetype stop = closing < 0 ? html.size() : html.indexOf(u'>', closing) + 1;
            lines.last() += html.mid(at, (stop > 0 ? stop : html.size()) - at);
            at = stop > 0 ? stop : html.size();
            continue;
        }
        // `<title>Shop</title>`: an element holding only text stays on one line.
        const qsizetype next = html.indexOf(u'<', at);
        const QString closing = QStringLiteral("</") + name + u'>';
        if (next >= 0
            && html.mid(next, closing.size()).compare(closing, Qt::CaseInsensitive) == 0) {
            lines.last() += html.mid(at, next - at).trimmed() + closing;
            at = next + closing.size();
            continue;
        }
        ++depth;
    }
    return lines.join(u'\n');
}

} // namespace portico::ui
