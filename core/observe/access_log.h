#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"
#include "core/observe/exchange_record.h"

#include <QObject>

namespace portico::observe {

/// Traefik's access log: one line per finished exchange in the `common` (CLF plus Traefik's
/// extra fields) or `json` format with Traefik's field names, to a file or stdout, honouring
/// `filters.statusCodes`, `filters.retryAttempts`, `filters.minDuration` and `bufferingSize`.
/// The file is reopened on SIGUSR1 (log rotation). Connect CaptureHub::exchangesFinished.
class AccessLog final : public QObject
{
    Q_OBJECT
public:
    explicit AccessLog(config::AccessLogSpec spec, QObject *parent = nullptr);
    ~AccessLog() override;

    /// Opens the file (creating directories); an error names the path and the reason.
    Expected<void> open();
    /// Closes and reopens the file (SIGUSR1, after logrotate moved it).
    void reopen();
    /// Writes the lines of the finished exchanges that pass the filters.
    void write(const portico::observe::RecordBatch &records);

private:
    class Writer;
    std::unique_ptr<Writer> m_writer;
    config::AccessLogSpec m_spec;
};

/// One record as a `common` format line (no newline), exactly as Traefik writes it.
QByteArray formatCommon(const ExchangeRecord &record);
/// One record as a `json` format line (no newline) with Traefik's field names.
QByteArray formatJson(const ExchangeRecord &record);

} // namespace portico::observe
