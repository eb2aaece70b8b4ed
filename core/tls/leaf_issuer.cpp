#include "core/tls/leaf_issuer.h"

#include "core/tls/pem_file.h"
#include "core/tls/server_context.h"
#include "core/tls/tls_log.h"

#include <QDir>
#include <QFile>

namespace portico::tls {

LeafIssuer::LeafIssuer(LocalCa ca, IssuerOptions options)
    : m_ca(std::move(ca))
    , m_options(std::move(options))
    , m_snapshot(std::make_shared<const CertificateStore>())
{ }

int LeafIssuer::loadFromDisk()
{
    const QDir dir(leafDirectory());
    const QStringList files = dir.entryList({ QStringLiteral("*.pem") }, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        const QString path = dir.filePath(file);
        auto pem = readWholeFile(path);
        auto leaf = pem ? leafFromPem(*pem, path, m_ca) : Expected<LeafCertificate>(pem.error());
        auto ready = leaf ? withContext(std::move(*leaf))
                          : Expected<std::shared_ptr<const LeafCertificate>>(leaf.error());
        if (!ready) {
            // Leaves are a cache: a stale or damaged one is simply issued again when asked for.
            qCInfo(lcTls).noquote() << "dropping cached leaf:" << ready.error().toString();
            QFile::remove(path);
            continue;
        }
        m_leaves.insert((*ready)->name.text, *ready);
    }
    publish();
    return int(m_leaves.size());
}

Expected<std::shared_ptr<const LeafCertificate>> LeafIssuer::certificateFor(const QString &name)
{
    auto parsed = parseDevName(name);
    if (!parsed)
        return parsed.error();
    const auto cached = m_leaves.value(parsed->text);
    if (cached && !cached->needsRenewal(now()))
        return cached;
    if (auto allowed = m_ca.policy().check(*parsed); !allowed)
        return allowed.error();
    auto fresh = issue(*parsed);
    if (!fresh && cached && now() < cached->notAfter) {
        qCWarning(lcTls).noquote() << "keeping the old leaf:" << fresh.error().toString();
        return cached;
    }
    return fresh;
}

int LeafIssuer::renewDue()
{
    int renewed = 0;
    const QDateTime at = now();
    QList<DevName> due; // collected first: issue() replaces entries of m_leaves
    for (const auto &leaf : std::as_const(m_leaves)) {
        if (leaf->needsRenewal(at))
            due << leaf->name;
    }
    for (const DevName &name : std::as_const(due)) {
        if (auto fresh = issue(name); fresh)
            ++renewed;
        else
            qCWarning(lcTls).noquote() << fresh.error().toString();
    }
    return renewed;
}

Expected<std::shared_ptr<const LeafCertificate>> LeafIssuer::issue(const DevName &name)
{
    auto leaf = issueLeaf(m_ca, name, now(), m_options.validitySecs);
    if (!leaf)
        return leaf.error();
    // A failed save only costs a re-issue on the next start, so it must not fail the handshake.
    auto pem = leaf->toPem();
    Expected<void> saved = pem ? Expected<void>() : Expected<void>(pem.error());
    if (saved && !m_directoryReady)
        saved = makePrivateDirectory(leafDirectory());
    m_directoryReady = saved.ok();
    if (saved)
        saved = writeFileAtomically(leafPath(name), *pem, ownerOnlyFile, Durability::Cache);
    if (!saved)
        qCWarning(lcTls).noquote() << "cannot cache leaf:" << saved.error().toString();
    auto ready = withContext(std::move(*leaf));
    if (!ready)
        return ready;
    m_leaves.insert(name.text, *ready);
    publish();
    return ready;
}

Expected<std::shared_ptr<const LeafCertificate>> LeafIssuer::withContext(LeafCertificate leaf)
{
    auto ctx = makeServerContext(leaf, m_options.alpn);
    if (!ctx)
        return ctx.error();
    leaf.context = share(std::move(*ctx));
    return std::make_shared<const LeafCertificate>(std::move(leaf));
}

void LeafIssuer::replaceCa(LocalCa ca)
{
    m_ca = std::move(ca);
    for (const auto &leaf : std::as_const(m_leaves))
        QFile::remove(leafPath(leaf->name));
    m_leaves.clear();
    loadFromDisk(); // removes any remaining file the new CA did not sign
}

std::shared_ptr<const CertificateStore> LeafIssuer::snapshot() const
{
    const std::lock_guard lock(m_snapshotMutex);
    return m_snapshot;
}

void LeafIssuer::publish()
{
    auto next = std::make_shared<const CertificateStore>(m_leaves);
    const std::lock_guard lock(m_snapshotMutex);
    m_snapshot = std::move(next);
}

QString LeafIssuer::leafDirectory() const
{
    return m_ca.directory() + QStringLiteral("/leaves");
}

QString LeafIssuer::leafPath(const DevName &name) const
{
    QString file = name.text;
    file.replace(u':', u'_');
    return leafDirectory() + u'/' + file + QStringLiteral(".pem");
}

QDateTime LeafIssuer::now() const
{
    return m_options.clock ? m_options.clock() : QDateTime::currentDateTimeUtc();
}

} // namespace portico::tls
