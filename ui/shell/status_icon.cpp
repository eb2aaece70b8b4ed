#include "ui/shell/status_icon.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace portico::ui {

namespace {

/// A transparent square pixmap with a disc of the health colour, `inset` pixels from each edge.
QPixmap drawDisc(Health health, int size, qreal inset)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(healthColor(health));
    p.drawEllipse(QRectF(0, 0, size, size).adjusted(inset, inset, -inset, -inset));
    return pixmap;
}

QPixmap drawMark(Health health, int size)
{
    QPixmap pixmap = drawDisc(health, size, 0.5);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);

    // The glyph lives on a 16-unit grid scaled to the pixmap.
    p.scale(size / 16.0, size / 16.0);
    p.setBrush(Qt::white);
    QPainterPath roof;
    roof.moveTo(8, 3);
    roof.lineTo(12.5, 6);
    roof.lineTo(3.5, 6);
    roof.closeSubpath();
    p.drawPath(roof);
    p.drawRect(QRectF(5, 7, 1.6, 4.5));
    p.drawRect(QRectF(9.4, 7, 1.6, 4.5));
    p.drawRect(QRectF(3.5, 12, 9, 1.4));
    return pixmap;
}

} // namespace

QColor healthColor(Health health)
{
    switch (health) {
    case Health::Starting:
        return QColor(0x80, 0x86, 0x8b);
    case Health::Running:
        return QColor(0x2e, 0x9d, 0x4f);
    case Health::Warning:
        return QColor(0xd9, 0x8e, 0x04);
    case Health::Error:
        return QColor(0xd2, 0x36, 0x2f);
    }
    return {};
}

QIcon statusIcon(Health health)
{
    QIcon icon;
    for (int size : { 16, 22, 24, 32, 48, 64, 128 })
        icon.addPixmap(drawMark(health, size));
    return icon;
}

QIcon statusDot(Health health)
{
    QIcon icon;
    for (int size : { 16, 32 })
        icon.addPixmap(drawDisc(health, size, size * 0.25));
    return icon;
}

Health healthOf(control::Status status)
{
    switch (status) {
    case control::Status::Enabled:
        return Health::Running;
    case control::Status::Warning:
        return Health::Warning;
    case control::Status::Disabled:
        return Health::Error;
    }
    return Health::Error;
}

} // namespace portico::ui
