#pragma once

#include <QIcon>

namespace portico::ui {

/// The toolbar glyphs Portico draws itself.
enum class Glyph { Pause, Play, Clear, Save, Replay, Edit, Copy };

/// A vector icon for `glyph`, drawn at whatever size and device pixel ratio it is asked for (so
/// sharp on HiDPI screens) in the colours of the application palette at that moment: painted
/// again after a palette change, it follows the light or dark theme without being rebuilt.
QIcon glyphIcon(Glyph glyph);

/// The colour glyphIcon() draws `mode` in with `palette` (ButtonText; its Disabled shade; the
/// HighlightedText when selected).
QColor glyphColour(const QPalette &palette, QIcon::Mode mode);

} // namespace portico::ui
