#pragma once

#include "core/observe/exchange_record.h"

#include <QList>
#include <QWidget>

namespace portico::ui {

/// One bar of the waterfall: a phase on the exchange's time line, in microseconds from the
/// first phase's start.
struct TimingPhase
{
    QString label;
    qint64 startUs = 0;
    qint64 durationUs = 0;
};

/// The phases `timing` recorded, in order: client TLS, routing, upstream connect, waiting for
/// the first byte, receiving. Phases that did not happen (-1) are left out.
QList<TimingPhase> timingPhases(const observe::Timing &timing);

/// The colours the waterfall paints with: text and track from `palette`, one accent per phase
/// (brighter on a dark palette).
struct WaterfallColours
{
    QColor text;
    QColor track;
    QList<QColor> bars;
};
WaterfallColours waterfallColours(const QPalette &palette);

/// A small waterfall: one labelled bar per phase, to scale, with its duration.
class TimingWaterfall : public QWidget
{
    Q_OBJECT
public:
    explicit TimingWaterfall(QWidget *parent = nullptr);

    void setTiming(const observe::Timing &timing);
    const QList<TimingPhase> &phases() const { return m_phases; }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<TimingPhase> m_phases;
};

} // namespace portico::ui
