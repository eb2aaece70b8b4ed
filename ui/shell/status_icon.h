#pragma once

#include "ui/shell/core_status.h"

#include <QColor>
#include <QIcon>

namespace portico::ui {

/// The colour that stands for a health state (also used for status dots in tables).
QColor healthColor(Health health);

/// Portico's mark — a portico (pediment, two columns, a step) — on a disc of the health colour,
/// drawn for every size the tray and window ask for, so it stays sharp on HiDPI screens.
QIcon statusIcon(Health health);

/// A small filled dot of the health colour, for table cells and lists.
QIcon statusDot(Health health);

/// The health a runtime object's status stands for.
Health healthOf(control::Status status);

} // namespace portico::ui
