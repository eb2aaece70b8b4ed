#include "core/tls/leaf_service.h"

#include "core/tls/tls_log.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileSystemWatcher>
#include <QTimer>

namespace portico::tls {

namespace {

/// Leaves live 90 days and renew with a third left, so twice a day is plenty.
constexpr int kRenewIntervalMs = 12 * 3600 * 1000;
/// A rotation renames two files and writes two new ones; reload once it has settled.
constexpr int kReloadDelayMs = 200;

} // namespace

LeafService::LeafService(LocalCa ca, CaOptions caOptions, IssuerOptions options)
    : m_issuer(std::move(ca), std::move(options))
    , m_caOptions(std::move(caOptions))
    , m_policy(m_issuer.ca().policy())
{
    qRegisterMetaType<std::shared_ptr<const portico::tls::CertificateStore>>();
    qRegisterMetaType<portico::tls::NamePolicy>();
    m_renewTimer = new QTimer(this);
    connect(m_renewTimer, &QTimer::timeout, this, &LeafService::renewDue);
    m_renewTimer->start(kRenewIntervalMs);
    m_reloadDelay = new QTimer(this);
    m_reloadDelay->setSingleShot(true);
    m_reloadDelay->setInterval(kReloadDelayMs);
    connect(m_reloadDelay, &QTimer::timeout, this, &LeafService::reloadCa);
    m_caWatcher = new QFileSystemWatcher(this);
    connect(m_caWatcher, &QFileSystemWatcher::directoryChanged, m_reloadDelay,
        qOverload<>(&QTimer::start));
    connect(
        m_caWatcher, &QFileSystemWatcher::fileChanged, m_reloadDelay, qOverload<>(&QTimer::start));
    watchCaFiles();
}

void LeafService::watchCaFiles()
{
    if (!m_caWatcher)
        return;
    // A renamed or replaced file leaves the watch list; the directory tells about new ones.
    const QString directory = m_issuer.ca().directory();
    const QString certificate = m_issuer.ca().certificatePath();
    if (!m_caWatcher->directories().contains(directory))
        m_caWatcher->addPath(directory);
    if (QFile::exists(certificate) && !m_caWatcher->files().contains(certificate))
        m_caWatcher->addPath(certificate);
}

void LeafService::stop()
{
    m_renewTimer->stop();
    m_reloadDelay->stop();
    delete m_caWatcher;
    m_caWatcher = nullptr;
}

void LeafService::reloadCa()
{
    watchCaFiles();
    auto ca = LocalCa::loadExisting(m_issuer.ca().directory(), m_caOptions);
    if (!ca) {
        qCDebug(lcTls).noquote() << "local CA not reloaded:" << ca.error().toString();
        return; // half-way through a rotation: the next change event retries
    }
    if (ca->sha256Fingerprint() == m_issuer.ca().sha256Fingerprint())
        return;
    qCInfo(lcTls).noquote() << QStringLiteral("the local CA changed on disk (now %1); leaves of "
                                              "the previous root are dropped")
                                   .arg(ca->sha256Fingerprint().left(16));
    m_policy = ca->policy();
    m_issuer.replaceCa(std::move(*ca));
    Q_EMIT caChanged(m_issuer.snapshot(), m_policy);
}

LeafService::~LeafService() = default;

Expected<std::unique_ptr<LeafService>> LeafService::create(
    const QString &caDirectory, const CaOptions &caOptions, IssuerOptions issuerOptions)
{
    auto ca = LocalCa::loadOrCreate(caDirectory, caOptions);
    if (!ca)
        return ca.error();
    std::unique_ptr<LeafService> service(
        new LeafService(std::move(*ca), caOptions, std::move(issuerOptions)));
    const int loaded = service->m_issuer.loadFromDisk();
    qCInfo(lcTls) << "local CA in" << caDirectory << "with" << loaded << "cached leaves";
    return service;
}

void LeafService::requestLeaf(const QString &name)
{
    const auto before = m_issuer.snapshot();
    QElapsedTimer timer;
    timer.start();
    auto leaf = m_issuer.certificateFor(name);
    const auto after = m_issuer.snapshot();
    if (after != before) {
        ++m_issued;
        qCInfo(lcTls).noquote() << QStringLiteral("issued a leaf for \"%1\" in %2 ms")
                                       .arg(name)
                                       .arg(timer.nsecsElapsed() / 1e6, 0, 'f', 1);
    }
    if (!leaf)
        qCInfo(lcTls).noquote() << "no leaf for" << name << ":" << leaf.error().toString();
    Q_EMIT leafReady(name, leaf.ok(), after);
}

void LeafService::renewDue()
{
    if (m_issuer.renewDue() > 0)
        Q_EMIT storeChanged(m_issuer.snapshot());
}

} // namespace portico::tls
