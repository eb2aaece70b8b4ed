#include "ui/requests/header_diff.h"

#include "ui/settings/theme.h"

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

QColor changeTint(const QColor &base, HeaderChange change)
{
    switch (change) {
    case HeaderChange::Added:
        return mixColours(base, QColor(0x3d, 0xa8, 0x5a), 0.25);
    case HeaderChange::Removed:
        return mixColours(base, QColor(0xd0, 0x3b, 0x3b), 0.25);
    case HeaderChange::Changed:
        return mixColours(base, QColor(0xe0, 0x9a, 0x2b), 0.25);
    case HeaderChange::Same:
        break;
    }
    return base;
}

} // namespace portico::ui
