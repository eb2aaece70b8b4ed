#include "ui/requests/timing_waterfall.h"

#include "ui/requests/requests_model.h"
#include "ui/settings/theme.h"

#include <QPainter>

namespace portico::ui {

QList<TimingPhase> timingPhases(const observe::Timing &timing)
{
    QList<TimingPhase> phases;
    // Every measure but clientTls counts from the parsed request head; the handshake came before.
    const qint64 origin = qMax<qint64>(0, timing.clientTls);
    if (timing.clientTls >= 0)
        phases << TimingPhase { QObject::tr("Client TLS"), 0, timing.clientTls };
    qint64 at = 0;
    if (timing.routing >= 0) {
        phases << TimingPhase { QObject::tr("Routing"), origin, timing.routing };
        at = timing.routing;
    }
    if (timing.upstreamConnect >= 0) {
        phases << TimingPhase { QObject::tr("Connect"), origin + at, timing.upstreamConnect };
        at += timing.upstreamConnect;
    }
    if (timing.timeToFirstByte >= 0) {
        phases << TimingPhase { QObject::tr("Waiting"), origin + at,
            qMax<qint64>(0, timing.timeToFirstByte - at) };
        at = qMax(at, timing.timeToFirstByte);
    }
    if (timing.total >= 0)
        phases << TimingPhase { QObject::tr("Receiving"), origin + at,
            qMax<qint64>(0, timing.total - at) };
    return phases;
}

WaterfallColours waterfallColours(const QPalette &palette)
{
    WaterfallColours out;
    out.text = palette.color(QPalette::WindowText);
    out.track = mixColours(palette.color(QPalette::Window), palette.color(QPalette::Mid), 0.35);
    for (const QColor &colour : { QColor(0x8e, 0x6c, 0xc8), QColor(0x9a, 0x9a, 0x9a),
             QColor(0xe0, 0x9a, 0x2b), QColor(0x3b, 0x82, 0xd0), QColor(0x3d, 0xa8, 0x5a) })
        out.bars << accentFor(palette, colour);
    return out;
}

TimingWaterfall::TimingWaterfall(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Timing waterfall"));
    setMinimumHeight(sizeHint().height());
}

void TimingWaterfall::setTiming(const observe::Timing &timing)
{
    m_phases = timingPhases(timing);
    QStringList description;
    for (const TimingPhase &phase : std::as_const(m_phases))
        description << phase.label + QStringLiteral(" ") + formatDuration(phase.durationUs);
    setAccessibleDescription(description.join(QStringLiteral(", ")));
    updateGeometry();
    update();
}

QSize TimingWaterfall::sizeHint() const
{
    const int line = fontMetrics().height() + 8;
    return { 420, line * int(qMax<qsizetype>(m_phases.size(), 5)) + 8 };
}

void TimingWaterfall::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const int line = fontMetrics().height() + 8;
    const int labelWidth = fontMetrics().horizontalAdvance(tr("Client TLS")) + 16;
    const int valueWidth = fontMetrics().horizontalAdvance(QStringLiteral("000.0 ms")) + 16;
    const int barWidth = qMax(40, width() - labelWidth - valueWidth);
    qint64 end = 1;
    for (const TimingPhase &phase : std::as_const(m_phases))
        end = qMax(end, phase.startUs + phase.durationUs);
    // Read at every paint: a theme change repaints in the new palette's colours.
    const WaterfallColours colours = waterfallColours(palette());
    int y = 4;
    for (const TimingPhase &phase : std::as_const(m_phases)) {
        painter.setPen(colours.text);
        painter.drawText(
            QRect(0, y, labelWidth - 8, line), Qt::AlignVCenter | Qt::AlignRight, phase.label);
        const QRectF full(labelWidth, y + line / 4.0, barWidth, line / 2.0);
        painter.fillRect(full, colours.track);
        const double x = full.left() + barWidth * double(phase.startUs) / double(end);
        const double w = qMax(2.0, barWidth * double(phase.durationUs) / double(end));
        const auto colour = (&phase - m_phases.constData()) % colours.bars.size();
        painter.fillRect(QRectF(x, full.top(), w, full.height()), colours.bars[colour]);
        painter.drawText(QRect(labelWidth + barWidth + 8, y, valueWidth, line),
            Qt::AlignVCenter | Qt::AlignLeft, formatDuration(phase.durationUs));
        y += line;
    }
}

} // namespace portico::ui
