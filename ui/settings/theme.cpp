#include "ui/settings/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace portico::ui {

namespace {

const QPalette &systemPalette()
{
    static const QPalette palette = QApplication::palette();
    return palette;
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
    systemPalette(); // remember it before the first change
    QApplication::setPalette(themePalette(theme));
}

} // namespace portico::ui
