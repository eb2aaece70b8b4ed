#pragma once

#include "core/common/header_list.h"

#include <QColor>
#include <QList>
#include <QString>

namespace portico::ui {

/// What the middlewares (or the proxy itself) did to one header.
enum class HeaderChange { Same, Added, Removed, Changed };

/// One header name, before and after; values of repeated fields joined with ", ".
struct HeaderRow
{
    QString name; ///< spelling of its first occurrence
    QString before; ///< empty when added
    QString after; ///< empty when removed
    HeaderChange change = HeaderChange::Same;
};

/// The headers of `before` and `after` side by side, matched case-insensitively (RFC 9110
/// §5.1): names of `before` in their order, then the names only `after` has.
QList<HeaderRow> diffHeaders(const HeaderList &before, const HeaderList &after);

/// The background that marks `change` on a view whose base colour is `base`: a quarter of green
/// (added), red (removed) or amber (changed) over it, readable on light and dark palettes.
QColor changeTint(const QColor &base, HeaderChange change);

} // namespace portico::ui
