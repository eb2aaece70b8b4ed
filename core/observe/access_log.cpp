#include "core/observe/access_log.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>

Q_LOGGING_CATEGORY(lcAccessLog, "portico.observe.accesslog")

namespace portico::observe {

namespace {

// With bufferingSize, lines that have not made a full buffer go out at the latest after this.
constexpr int flushDelayMs = 1000;

/// `filters.statusCodes` entries (`404`, `500-599`), already validated by the static schema.
std::vector<std::pair<int, int>> statusRanges(const QStringList &codes)
{
    std::vector<std::pair<int, int>> ranges;
    for (const QString &code : codes) {
        const QStringList parts = code.split(QLatin1Char('-'));
        const int low = parts.value(0).toInt();
        ranges.emplace_back(low, parts.size() > 1 ? parts.value(1).toInt() : low);
    }
    return ranges;
}

} // namespace

/// The output: the file (appended to, 0664 when created) or stdout, with the lines not yet
/// written out.
class AccessLog::Writer
{
public:
    explicit Writer(QString path)
        : m_path(std::move(path))
    { }

    Expected<void> open()
    {
        if (m_path.isEmpty()) {
            if (!m_file.open(stdout, QIODevice::WriteOnly | QIODevice::Append))
                return failure(QStringLiteral("cannot write to stdout"));
            return {};
        }
        if (!QDir().mkpath(QFileInfo(m_path).absolutePath()))
            return failure(QStringLiteral("cannot create the directory"));
        const bool existed = QFile::exists(m_path);
        m_file.setFileName(m_path);
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append))
            return failure(m_file.errorString().toLower());
        if (!existed)
            m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner
                | QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther);
        return {};
    }

    void close()
    {
        flush();
        m_file.close();
    }

    void append(const QByteArray &line)
    {
        m_pending += line;
        m_pending += '\n';
        ++m_pendingLines;
    }

    int pendingLines() const { return m_pendingLines; }

    void flush()
    {
        if (m_pending.isEmpty() || !m_file.isOpen())
            return;
        if (m_file.write(m_pending) != m_pending.size() || !m_file.flush())
            qCWarning(lcAccessLog).noquote()
                << QStringLiteral("access log \"%1\": cannot write: %2")
                       .arg(m_path, m_file.errorString().toLower());
        m_pending.clear();
        m_pendingLines = 0;
    }

private:
    Error failure(const QString &reason) const
    {
        Error e;
        e.message = QStringLiteral("access log \"%1\": %2").arg(m_path, reason);
        e.hint = QStringLiteral("check accessLog.filePath");
        return e;
    }

    QString m_path;
    QFile m_file;
    QByteArray m_pending;
    int m_pendingLines = 0;
};

AccessLog::AccessLog(config::AccessLogSpec spec, QObject *parent)
    : QObject(parent)
    , m_writer(std::make_unique<Writer>(spec.filePath))
    , m_spec(std::move(spec))
    , m_statusRanges(statusRanges(m_spec.statusCodes))
    , m_flushTimer(new QTimer(this))
{
    qRegisterMetaType<portico::observe::RecordBatch>();
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(flushDelayMs);
    connect(m_flushTimer, &QTimer::timeout, this, &AccessLog::flush);
}

AccessLog::~AccessLog()
{
    m_writer->close();
}

Expected<void> AccessLog::open()
{
    return m_writer->open();
}

void AccessLog::reopen()
{
    m_writer->close();
    if (auto opened = m_writer->open(); !opened)
        qCWarning(lcAccessLog).noquote() << opened.error().toString();
}

bool AccessLog::keeps(const ExchangeRecord &record) const
{
    // Traefik keeps a line when any configured filter matches; no filter set keeps everything.
    const qint64 minDurationUs = qint64(m_spec.minDuration.count()) * 1000;
    if (m_statusRanges.empty() && !m_spec.retryAttempts && minDurationUs == 0)
        return true;
    for (const auto &[low, high] : m_statusRanges) {
        if (record.status >= low && record.status <= high)
            return true;
    }
    if (m_spec.retryAttempts && record.retryAttempts > 0)
        return true;
    return minDurationUs > 0 && record.timing.total > minDurationUs;
}

void AccessLog::write(const RecordBatch &records)
{
    for (const RecordPtr &record : records) {
        if (!record || record->state == RecordState::InProgress)
            continue;
        ++m_requestCount; // counts every request, logged or filtered out, as Traefik's does
        if (keeps(*record))
            m_writer->append(formatLine(*record, m_spec, m_requestCount));
    }
    if (m_spec.bufferingSize <= 0 || m_writer->pendingLines() >= m_spec.bufferingSize)
        flush();
    else if (m_writer->pendingLines() > 0 && !m_flushTimer->isActive())
        m_flushTimer->start();
}

void AccessLog::flush()
{
    m_flushTimer->stop();
    m_writer->flush();
}

} // namespace portico::observe
