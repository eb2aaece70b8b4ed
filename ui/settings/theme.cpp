#include "ui/settings/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace portico::ui {

namespace {

Theme g_theme = Theme::System;
QPalette g_system; ///< the platform's palette when System was last left

/// The platform's palette: the application palette while System is in force (it has no role of
/// its own then), else the one last seen.
QPalette systemPalette()
{
    return g_theme == Theme::System ? QApplication::palette() : g_system;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1f, 0x20, 0x23), text(0xe6, 0xe6, 0xe6);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x55, 0x57, 0x5c));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xd0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6a, 0xb0, 0xf3));
    p.setColor(QPalette::PlaceholderText, QColor(0x8a, 0x8c, 0x90));
    for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
        p.setColor(QPalette::Disabled, role, QColor(0x7a, 0x7c, 0x80));
    return p;
}

} // namespace

QPalette themePalette(Theme theme)
{
    switch (theme) {
    case Theme::Light:
        if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"))) {
            const QPalette palette = fusion->standardPalette();
            delete fusion;
            return palette;
        }
        return systemPalette();
    case Theme::Dark:
        return darkPalette();
    case Theme::System:
        break;
    }
    return systemPalette();
}

void applyTheme(Theme theme)
{
    if (theme != Theme::System) {
        if (g_theme == Theme::System)
            g_system = QApplication::palette();
        g_theme = theme;
        QApplication::setPalette(themePalette(theme));
        return;
    }
    g_theme = theme;
    // No role set: QGuiApplication resolves every role from the platform theme, now and on each
    // of its later changes, so the window follows the desktop while Portico runs.
    QPalette follow = QApplication::palette();
    follow.setResolveMask(0);
    QApplication::setPalette(follow);
}

Theme currentTheme()
{
    return g_theme;
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness()
        < palette.color(QPalette::WindowText).lightness();
}

QColor mixColours(const QColor &base, const QColor &colour, qreal amount)
{
    const qreal keep = 1.0 - amount;
    return QColor::fromRgbF(float(base.redF() * keep + colour.redF() * amount),
        float(base.greenF() * keep + colour.greenF() * amount),
        float(base.blueF() * keep + colour.blueF() * amount));
}

QColor accentFor(const QPalette &palette, const QColor &colour)
{
    return isDark(palette) ? colour.lighter(135) : colour;
}

} // namespace portico::ui
