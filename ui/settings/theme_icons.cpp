#include "ui/settings/theme_icons.h"

#include <QApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPalette>
#include <QPixmap>

namespace portico::ui {

namespace {

/// The glyph's outline on a 16-unit grid.
QPainterPath glyphPath(Glyph glyph)
{
    QPainterPath path;
    switch (glyph) {
    case Glyph::Pause:
        path.addRect(3.5, 2.5, 3, 11);
        path.addRect(9.5, 2.5, 3, 11);
        break;
    case Glyph::Play:
        path.moveTo(4, 2.5);
        path.lineTo(13, 8);
        path.lineTo(4, 13.5);
        path.closeSubpath();
        break;
    case Glyph::Clear: // a crossed circle
        path.addEllipse(QPointF(8, 8), 5.5, 5.5);
        path.moveTo(4.2, 11.8);
        path.lineTo(11.8, 4.2);
        break;
    case Glyph::Save: // an arrow down onto a tray
        path.moveTo(8, 2);
        path.lineTo(8, 10);
        path.moveTo(4.5, 6.5);
        path.lineTo(8, 10);
        path.lineTo(11.5, 6.5);
        path.moveTo(2.5, 11);
        path.lineTo(2.5, 13.5);
        path.lineTo(13.5, 13.5);
        path.lineTo(13.5, 11);
        break;
    case Glyph::Replay: // a circular arrow
        path.arcMoveTo(QRectF(2.5, 2.5, 11, 11), 60);
        path.arcTo(QRectF(2.5, 2.5, 11, 11), 60, 300);
        path.moveTo(10.2, 1.6);
        path.lineTo(10.75, 3.24);
        path.lineTo(8.9, 4.6);
        break;
    case Glyph::Edit: // a pencil
        path.moveTo(3, 13);
        path.lineTo(3.5, 10.5);
        path.lineTo(11, 3);
        path.lineTo(13, 5);
        path.lineTo(5.5, 12.5);
        path.closeSubpath();
        break;
    case Glyph::Copy: // two sheets
        path.addRect(5.5, 5.5, 8, 8);
        path.moveTo(3, 10.5);
        path.lineTo(2.5, 10.5);
        path.lineTo(2.5, 2.5);
        path.lineTo(10.5, 2.5);
        path.lineTo(10.5, 3);
        break;
    }
    return path;
}

bool filled(Glyph glyph)
{
    return glyph == Glyph::Pause || glyph == Glyph::Play;
}

/// Paints the glyph at paint time, so the palette in force then gives its colour.
class GlyphEngine final : public QIconEngine
{
public:
    explicit GlyphEngine(Glyph glyph)
        : m_glyph(glyph)
    { }

    void paint(QPainter *painter, const QRect &rect, QIcon::Mode mode, QIcon::State) override
    {
        const qreal side = qMin(rect.width(), rect.height());
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->translate(
            rect.x() + (rect.width() - side) / 2.0, rect.y() + (rect.height() - side) / 2.0);
        painter->scale(side / 16.0, side / 16.0);
        const QColor colour = glyphColour(QApplication::palette(), mode);
        if (filled(m_glyph)) {
            painter->fillPath(glyphPath(m_glyph), colour);
        } else {
            QPen pen(colour, 1.5, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
            painter->strokePath(glyphPath(m_glyph), pen);
        }
        painter->restore();
    }

    QPixmap pixmap(const QSize &size, QIcon::Mode mode, QIcon::State state) override
    {
        return scaledPixmap(size, mode, state, 1.0);
    }

    /// `size` is in device pixels (QIcon::pixmap multiplied it by `scale` already).
    QPixmap scaledPixmap(
        const QSize &size, QIcon::Mode mode, QIcon::State state, qreal scale) override
    {
        QPixmap pixmap(size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        paint(&painter, QRect(QPoint(0, 0), size), mode, state);
        painter.end();
        pixmap.setDevicePixelRatio(scale);
        return pixmap;
    }

    QSize actualSize(const QSize &size, QIcon::Mode, QIcon::State) override { return size; }
    QIconEngine *clone() const override { return new GlyphEngine(m_glyph); }
    QString key() const override { return QStringLiteral("portico-glyph"); }

private:
    Glyph m_glyph;
};

} // namespace

QColor glyphColour(const QPalette &palette, QIcon::Mode mode)
{
    switch (mode) {
    case QIcon::Disabled:
        return palette.color(QPalette::Disabled, QPalette::ButtonText);
    case QIcon::Selected:
        return palette.color(QPalette::HighlightedText);
    case QIcon::Normal:
    case QIcon::Active:
        break;
    }
    return palette.color(QPalette::Active, QPalette::ButtonText);
}

QIcon glyphIcon(Glyph glyph)
{
    return QIcon(new GlyphEngine(glyph));
}

} // namespace portico::ui
