#include "ui/requests/filter_text.h"

#include <QUrlQuery>

namespace portico::ui {

QStringList filterKeys()
{
    return { QStringLiteral("host"), QStringLiteral("path"), QStringLiteral("method"),
        QStringLiteral("status"), QStringLiteral("router"), QStringLiteral("protocol"),
        QStringLiteral("since"), QStringLiteral("until"), QStringLiteral("q") };
}

Expected<observe::RecordFilter> parseFilterText(const QString &text)
{
    QUrlQuery query;
    QStringList words;
    for (const QString &token : text.split(u' ', Qt::SkipEmptyParts)) {
        const qsizetype colon = token.indexOf(u':');
        // `text:with:colons` whose key is not one of ours stays free text only when it looks
        // like a URL (`http://…`); anything else with a key is meant as a filter.
        if (colon <= 0 || token.startsWith(QStringLiteral("http://"))
            || token.startsWith(QStringLiteral("https://"))) {
            words << token;
            continue;
        }
        const QString key = token.left(colon).toLower();
        const QString value = token.mid(colon + 1);
        if (!filterKeys().contains(key))
            return Error { QStringLiteral("unknown filter \"%1\"").arg(token.left(colon)), {},
                QStringLiteral("use %1 or plain words")
                    .arg(filterKeys().join(QStringLiteral(":, ")) + u':') };
        if (key == u"q")
            words << value;
        else
            query.addQueryItem(key, value);
    }
    if (!words.isEmpty())
        query.addQueryItem(QStringLiteral("q"), words.join(u' '));
    return observe::parseRecordFilter(query);
}

} // namespace portico::ui
