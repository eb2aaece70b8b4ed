#include "core/observe/history_store.h"

#include "core/common/paths.h"
#include "core/observe/capture_hub.h"
#include "core/observe/history_database.h"
#include "core/observe/history_writer.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace portico::observe {

namespace {

qint64 maxAgeUs(const HistorySettings &settings)
{
    return qint64(std::chrono::duration_cast<std::chrono::microseconds>(settings.maxAge).count());
}

QString defaultPath()
{
    return paths::homeDir() + QStringLiteral("/history.sqlite");
}

} // namespace

HistoryStore::HistoryStore(HistorySettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_path(m_settings.path.isEmpty() ? defaultPath() : m_settings.path)
{
    qRegisterMetaType<portico::observe::RecordBatch>();
    m_thread.setObjectName(QStringLiteral("history"));
}

HistoryStore::~HistoryStore()
{
    if (!m_thread.isRunning())
        return;
    // Queued behind the writer's wake-up for what waits, so that is written before it stops.
    QMetaObject::invokeMethod(
        m_writer, [thread = &m_thread] { thread->quit(); }, Qt::QueuedConnection);
    m_thread.wait();
}

Expected<void> HistoryStore::open()
{
    if (m_writer)
        return {};
    if (m_settings.path.isEmpty()) // the default lives in the owner-only home directory
        static_cast<void>(paths::ensureHomeDir());
    if (!QDir().mkpath(QFileInfo(m_path).absolutePath())) {
        Error e;
        e.message = QStringLiteral("history: cannot create the directory of \"%1\"").arg(m_path);
        return e;
    }
    if (auto opened = openSchema(); !opened)
        return opened;
    m_writer
        = new HistoryWriter(*this, m_path, m_settings.maxBytes, maxAgeUs(m_settings), m_maxBacklog);
    m_writer->setMaxBacklogBytes(m_maxBacklogBytes);
    m_writer->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_writer, &QObject::deleteLater);
    m_thread.start();
    return {};
}

Expected<void> HistoryStore::openSchema()
{
    history::SchemaProblem problem = history::SchemaProblem::None;
    QString reason;
    {
        history::Connection connection(m_path);
        if (auto opened = connection.open(); !opened)
            return opened;
        auto prepared = history::prepareSchema(connection, problem);
        if (prepared || problem != history::SchemaProblem::Broken)
            return prepared;
        reason = prepared.error().message.section(QStringLiteral("\": "), 1); // without the path
    }
    // Never silently overwritten: the broken file stays next to the new one for inspection.
    if (auto moved = moveAside(reason); !moved)
        return moved;
    history::Connection fresh(m_path);
    if (auto opened = fresh.open(); !opened)
        return opened;
    return history::prepareSchema(fresh, problem);
}

Expected<void> HistoryStore::moveAside(const QString &reason)
{
    const QString stamp
        = QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
    m_movedAside = m_path + QStringLiteral(".broken-") + stamp;
    if (!QFile::rename(m_path, m_movedAside)) {
        Error e;
        e.message = QStringLiteral("history \"%1\" is not a usable database and cannot be moved "
                                   "to \"%2\"")
                        .arg(m_path, m_movedAside);
        e.hint = QStringLiteral("move or delete it, or set portico.capture.history.path");
        m_movedAside.clear();
        return e;
    }
    // The journal files belong to the broken database, not to the new one.
    for (const char *suffix : { "-wal", "-shm" })
        QFile::rename(m_path + QLatin1String(suffix), m_movedAside + QLatin1String(suffix));
    qCCritical(lcHistory).noquote()
        << QStringLiteral("history \"%1\" is not a usable database (%3): moved it to \"%2\" "
                          "and started a new history")
               .arg(m_path, m_movedAside, reason);
    return {};
}

void HistoryStore::attach(CaptureHub &hub)
{
    hub.seedIds(newestId());
    // Records waiting for the writer count against memory too: a share of the capture budget.
    const auto bound = [this](const CaptureSettings &settings) {
        m_maxBacklogBytes = settings.budgetBytes / kBacklogShareOfBudget;
        if (m_writer)
            m_writer->setMaxBacklogBytes(m_maxBacklogBytes);
    };
    bound(*hub.settings());
    connect(&hub, &CaptureHub::settingsChanged, this, bound, Qt::DirectConnection);
    connect(&hub, &CaptureHub::recordsPublished, this, &HistoryStore::write, Qt::DirectConnection);
}

void HistoryStore::write(const RecordBatch &records)
{
    if (m_writer)
        m_writer->enqueue(records);
}

HistoryWriterStatus HistoryStore::status() const
{
    return m_writer ? m_writer->status() : HistoryWriterStatus {};
}

Expected<RecordBatch> HistoryStore::search(const RecordFilter &filter, quint64 beforeId, int limit)
{
    history::Connection connection(m_path);
    if (auto opened = connection.open(); !opened)
        return opened.error();
    return history::searchRecords(connection, filter, beforeId, limit);
}

Expected<RecordPtr> HistoryStore::record(quint64 id)
{
    history::Connection connection(m_path);
    if (auto opened = connection.open(); !opened)
        return opened.error();
    return history::loadRecord(connection, id);
}

void HistoryStore::applyRetention()
{
    history::Connection connection(m_path);
    if (auto opened = connection.open(); !opened) {
        qCWarning(lcHistory).noquote() << opened.error().toString();
        return;
    }
    applyHistoryRetention(connection, m_settings.maxBytes, maxAgeUs(m_settings));
}

Expected<void> HistoryStore::clear()
{
    history::Connection connection(m_path);
    if (auto opened = connection.open(); !opened)
        return opened;
    return history::deleteAll(connection);
}

quint64 HistoryStore::newestId()
{
    history::Connection connection(m_path);
    if (auto opened = connection.open(); !opened)
        return 0;
    auto newest = history::newestRecordId(connection);
    return newest ? *newest : 0;
}

} // namespace portico::observe
