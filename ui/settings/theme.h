#pragma once

#include "ui/settings/gui_settings.h"

#include <QPalette>

namespace portico::ui {

/// The palette a theme stands for: the platform's own for System, Fusion's light or a dark one.
QPalette themePalette(Theme theme);
/// Applies `theme` to the whole application (the first call remembers the system palette).
void applyTheme(Theme theme);

} // namespace portico::ui
