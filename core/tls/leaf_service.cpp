#include "core/tls/leaf_service.h"

#include "core/tls/tls_log.h"

#include <QElapsedTimer>
#include <QTimer>

namespace portico::tls {

namespace {

/// Leaves live 90 days and renew with a third left, so twice a day is plenty.
constexpr int kRenewIntervalMs = 12 * 3600 * 1000;

} // namespace

LeafService::LeafService(LocalCa ca, IssuerOptions options)
    : m_issuer(std::move(ca), std::move(options))
    , m_policy(m_issuer.ca().policy())
{
    qRegisterMetaType<std::shared_ptr<const portico::tls::CertificateStore>>();
    m_renewTimer = new QTimer(this);
    connect(m_renewTimer, &QTimer::timeout, this, &LeafService::renewDue);
    m_renewTimer->start(kRenewIntervalMs);
}

LeafService::~LeafService() = default;

Expected<std::unique_ptr<LeafService>> LeafService::create(
    const QString &caDirectory, const CaOptions &caOptions, IssuerOptions issuerOptions)
{
    auto ca = LocalCa::loadOrCreate(caDirectory, caOptions);
    if (!ca)
        return ca.error();
    std::unique_ptr<LeafService> service(new LeafService(std::move(*ca), std::move(issuerOptions)));
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
