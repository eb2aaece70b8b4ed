#pragma once

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <vector>

class QWidget;

namespace portico::ui {

/// A measuring aid for benchmarks (`PORTICO_UI_PROBE=FILE portico`): every `periodMs` the GUI
/// thread arms a precise single-shot timer and records how late its event loop ran it, which is
/// how long a click or a repaint would have waited. Appends to FILE, one line each:
///   `L <epoch ms> <lateness µs> <busy µs>`  a sample; busy = CPU the GUI thread used from
///                                  arming to firing (lateness far above it = no core was free);
///   `M <epoch ms> <rss KiB>`       the process's resident memory, once a second;
///   `P <epoch ms> <ms since process start>`  the watched window's first paint;
///   `S n=… p50_us=… p99_us=… max_us=…`       every sample, when the probe ends;
///   `W <paint events> <class> <accessible name>`  the most painted widgets, when it ends (what a
///                                  flood makes the window redraw).
/// Off the benchmark nothing creates it: an idle Portico keeps no timer running.
class EventLoopProbe final : public QObject
{
public:
    /// Starts sampling at once; an unwritable `path` is reported by ok() and nothing is sampled.
    explicit EventLoopProbe(const QString &path, int periodMs = 10, QObject *parent = nullptr);
    ~EventLoopProbe() override;

    bool ok() const { return m_file.isOpen(); }
    QString errorString() const { return m_file.errorString(); }
    /// Records the first paint of `window` (a `P` line); paints of every widget are counted.
    void watchFirstPaint(QWidget *window);
    /// The summary line written at the end, over the samples so far.
    QByteArray summary() const;

protected:
    void timerEvent(QTimerEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void arm();
    void write(const QByteArray &line);
    void countPaint(QObject *widget);
    QByteArray paintCounts() const;

    QFile m_file;
    int m_periodMs;
    int m_timerId = 0;
    QElapsedTimer m_armed;
    qint64 m_armedCpuUs = 0;
    std::vector<qint64> m_latenessUs;
    QByteArray m_pending;
    QPointer<QWidget> m_window;
    QHash<QByteArray, qint64> m_paints;
};

/// Resident memory of this process in KiB (Linux /proc/self/statm; 0 elsewhere).
qint64 residentKiB();
/// Milliseconds since this process started (Linux /proc; -1 elsewhere).
qint64 msSinceProcessStart();

} // namespace portico::ui
