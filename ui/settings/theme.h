#pragma once

#include "ui/settings/gui_settings.h"

#include <QColor>
#include <QPalette>

namespace portico::ui {

/// The palette a theme stands for: the platform's own for System, Fusion's light or a dark one.
QPalette themePalette(Theme theme);
/// Applies `theme` to the whole application at once. System leaves no role of the application
/// palette set, so Qt re-resolves it from the platform whenever the desktop's colours change
/// (QEvent::ThemeChange), and every widget gets QEvent::ApplicationPaletteChange.
void applyTheme(Theme theme);
/// The theme last applied (System before any call).
Theme currentTheme();
/// Whether `palette` is dark (its window darker than its text).
bool isDark(const QPalette &palette);
/// `colour` mixed over `base` at `amount` (0..1): a tint readable on light and dark palettes.
QColor mixColours(const QColor &base, const QColor &colour, qreal amount);
/// An accent colour for `palette`: `colour` as is on a light palette, lightened on a dark one so
/// it keeps its contrast (bars, syntax colours, status marks).
QColor accentFor(const QPalette &palette, const QColor &colour);

} // namespace portico::ui
