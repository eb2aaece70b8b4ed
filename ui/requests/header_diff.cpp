#include "ui/requests/header_diff.h"

namespace portico::ui {

namespace {

/// Distinct names in order of first occurrence.
QList<QByteArray> names(const HeaderList &headers)
{
    QList<QByteArray> out;
    for (const HeaderField &field : headers) {
        const bool seen = std::any_of(out.begin(), out.end(),
            [&](const QByteArray &name) { return HeaderList::nameEquals(name, field.name); });
        if (!seen)
            out << field.name;
    }
    return out;
}

} // namespace

QList<HeaderRow> diffHeaders(const HeaderList &before, const HeaderList &after)
{
    QList<HeaderRow> rows;
    QList<QByteArray> all = names(before);
    for (const QByteArray &name : names(after)) {
        if (!before.contains(name))
            all << name;
    }
    for (const QByteArray &name : all) {
        HeaderRow row;
        row.name = QString::fromLatin1(name);
        const bool inBefore = before.contains(name), inAfter = after.contains(name);
        row.before = QString::fromUtf8(before.combined(name));
        row.after = QString::fromUtf8(after.combined(name));
        if (!inBefore)
            row.change = HeaderChange::Added;
        else if (!inAfter)
            row.change = HeaderChange::Removed;
        else
            row.change = row.before == row.after ? HeaderChange::Same : HeaderChange::Changed;
        rows << row;
    }
    return rows;
}

} // namespace portico::ui
