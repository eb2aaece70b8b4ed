#include "ui/shell/event_loop_probe.h"

#include <QApplication>
#include <QDateTime>
#include <QEvent>
#include <QTimerEvent>
#include <QWidget>

#include <algorithm>
#include <utility>

#if defined(Q_OS_LINUX)
#include <time.h>
#include <unistd.h>
#endif

namespace portico::ui {

namespace {

/// Samples are written in chunks (one write per second at 10 ms) so the probe costs little.
constexpr int kFlushEvery = 100;

qint64 percentile(std::vector<qint64> sorted, double p)
{
    if (sorted.empty())
        return 0;
    std::sort(sorted.begin(), sorted.end());
    const size_t at = std::min(sorted.size() - 1, size_t(p * double(sorted.size())));
    return sorted[at];
}

/// CPU time this thread has used, in µs (0 where unknown).
qint64 threadCpuUs()
{
#if defined(Q_OS_LINUX)
    timespec t {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1000000 + t.tv_nsec / 1000;
#else
    return 0;
#endif
}

QByteArray readProcFile(const char *path)
{
    QFile file(QString::fromLatin1(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

qint64 residentKiB()
{
#if defined(Q_OS_LINUX)
    // statm: size resident shared … in pages.
    const QList<QByteArray> fields = readProcFile("/proc/self/statm").split(' ');
    if (fields.size() < 2)
        return 0;
    return fields[1].toLongLong() * (sysconf(_SC_PAGESIZE) / 1024);
#else
    return 0;
#endif
}

qint64 msSinceProcessStart()
{
#if defined(Q_OS_LINUX)
    // Field 22 of /proc/self/stat is the start time in clock ticks since boot (proc(5)); the
    // command name before it may hold spaces, so count from the closing parenthesis.
    const QByteArray stat = readProcFile("/proc/self/stat");
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0)
        return -1;
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    if (fields.size() < 20)
        return -1;
    const qint64 startTicks = fields[19].toLongLong();
    timespec now {};
    clock_gettime(CLOCK_BOOTTIME, &now);
    const qint64 nowMs = qint64(now.tv_sec) * 1000 + now.tv_nsec / 1000000;
    return nowMs - startTicks * 1000 / sysconf(_SC_CLK_TCK);
#else
    return -1;
#endif
}

EventLoopProbe::EventLoopProbe(const QString &path, int periodMs, QObject *parent)
    : QObject(parent)
    , m_file(path)
    , m_periodMs(std::max(1, periodMs))
{
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return;
    m_latenessUs.reserve(size_t(60 * 1000 / m_periodMs));
    write("M " + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + ' '
        + QByteArray::number(residentKiB()) + '\n');
    arm();
}

EventLoopProbe::~EventLoopProbe()
{
    if (!ok())
        return;
    write("M " + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + ' '
        + QByteArray::number(residentKiB()) + '\n');
    m_file.write(m_pending);
    m_file.write(paintCounts());
    m_file.write(summary() + '\n');
}

void EventLoopProbe::watchFirstPaint(QWidget *window)
{
    m_window = window;
    qApp->installEventFilter(this); // every object's events: the paints of every widget
}

QByteArray EventLoopProbe::summary() const
{
    const qint64 max
        = m_latenessUs.empty() ? 0 : *std::max_element(m_latenessUs.begin(), m_latenessUs.end());
    return "S n=" + QByteArray::number(qsizetype(m_latenessUs.size()))
        + " p50_us=" + QByteArray::number(percentile(m_latenessUs, 0.50)) + " p99_us="
        + QByteArray::number(percentile(m_latenessUs, 0.99)) + " max_us=" + QByteArray::number(max);
}

void EventLoopProbe::arm()
{
    // A precise timer: a coarse one may fire up to 5 % late by design, which is not latency.
    m_timerId = startTimer(m_periodMs, Qt::PreciseTimer);
    m_armed.start();
    m_armedCpuUs = threadCpuUs();
}

void EventLoopProbe::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timerId)
        return;
    killTimer(m_timerId);
    const qint64 late = std::max<qint64>(0, m_armed.nsecsElapsed() / 1000 - m_periodMs * 1000);
    // What the GUI thread itself ran meanwhile: lateness well above it means the thread waited
    // for a core (a loaded machine), not for our code.
    const qint64 busy = threadCpuUs() - m_armedCpuUs;
    m_latenessUs.push_back(late);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_pending += "L " + QByteArray::number(now) + ' ' + QByteArray::number(late) + ' '
        + QByteArray::number(busy) + '\n';
    if (m_latenessUs.size() % kFlushEvery == 0)
        write("M " + QByteArray::number(now) + ' ' + QByteArray::number(residentKiB()) + '\n');
    arm();
}

bool EventLoopProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::Paint)
        return false;
    countPaint(watched);
    if (m_window && watched == m_window.data()) {
        write("P " + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + ' '
            + QByteArray::number(msSinceProcessStart()) + '\n');
        m_window = nullptr;
    }
    return false;
}

void EventLoopProbe::countPaint(QObject *widget)
{
    QByteArray key = widget->metaObject()->className();
    if (auto *w = qobject_cast<QWidget *>(widget)) {
        // Unnamed parts (a view's viewport, a scroll bar) are told apart by their named parent.
        const QWidget *named = w;
        while (named && named->accessibleName().isEmpty())
            named = named->parentWidget();
        if (named)
            key += " \"" + named->accessibleName().toUtf8() + '"';
    }
    ++m_paints[key];
}

QByteArray EventLoopProbe::paintCounts() const
{
    std::vector<std::pair<qint64, QByteArray>> counts;
    for (auto it = m_paints.begin(); it != m_paints.end(); ++it)
        counts.emplace_back(it.value(), it.key());
    std::sort(counts.rbegin(), counts.rend());
    QByteArray out;
    for (size_t i = 0; i < counts.size() && i < 25; ++i)
        out += "W " + QByteArray::number(counts[i].first) + ' ' + counts[i].second + '\n';
    return out;
}

void EventLoopProbe::write(const QByteArray &line)
{
    m_pending += line;
    m_file.write(std::exchange(m_pending, {}));
    m_file.flush();
}

} // namespace portico::ui
