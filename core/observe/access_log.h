#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"
#include "core/observe/exchange_record.h"

#include <QObject>

#include <map>
#include <memory>

class QTimer;

namespace portico::observe {

/// Traefik's access log: one line per finished exchange in the `common` (CLF plus Traefik's
/// extra fields), `genericCLF` or `json` format with Traefik's field names, to a file or stdout,
/// honouring `filters.statusCodes`, `filters.retryAttempts`, `filters.minDuration`, `fields` and
/// `bufferingSize`. The file is reopened on SIGUSR1 (log rotation): connect ReopenSignal to
/// reopen(). Connect CaptureHub::exchangesFinished to write() (queued).
///
/// Threads: lives on one thread (any with an event loop); all calls on that thread. Writing is
/// already off the request path (the hub batches), so `bufferingSize: N` only lets up to N lines
/// gather in memory (flushed at N lines or within a second) instead of flushing every batch.
class AccessLog final : public QObject
{
    Q_OBJECT
public:
    explicit AccessLog(config::AccessLogSpec spec, QObject *parent = nullptr);
    /// Flushes what is buffered.
    ~AccessLog() override;

    /// Opens the file for appending (creating directories, mode 0664) or stdout when `filePath`
    /// is empty; an error names the path and the reason.
    Expected<void> open();
    /// Closes and reopens the file (SIGUSR1, after logrotate moved it).
    void reopen();
    /// Writes the lines of the finished exchanges that pass the filters.
    void write(const portico::observe::RecordBatch &records);
    /// Writes buffered lines out now.
    void flush();

    /// True when the filters keep an exchange with this status, retry count and duration.
    bool keeps(const ExchangeRecord &record) const;

private:
    class Writer;
    std::unique_ptr<Writer> m_writer;
    config::AccessLogSpec m_spec;
    std::vector<std::pair<int, int>> m_statusRanges; ///< parsed filters.statusCodes
    quint64 m_requestCount = 0; ///< Traefik's RequestCount: every finished exchange, from 1
    QTimer *m_flushTimer;
};

/// One record as a `common` format line (no newline), exactly as Traefik writes it; `spec`
/// brings `fields` (and `format: genericCLF` stops after the User-Agent), `requestCount` is
/// Traefik's global request counter.
QByteArray formatCommon(
    const ExchangeRecord &record, const config::AccessLogSpec &spec = {}, quint64 requestCount = 1);
/// One record as a `json` format line (no newline) with Traefik's field names, keys sorted,
/// durations in nanoseconds.
QByteArray formatJson(
    const ExchangeRecord &record, const config::AccessLogSpec &spec = {}, quint64 requestCount = 1);
/// The line for `spec.format` (`common`, `genericCLF` or `json`).
QByteArray formatLine(
    const ExchangeRecord &record, const config::AccessLogSpec &spec, quint64 requestCount);

} // namespace portico::observe
