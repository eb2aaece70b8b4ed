#pragma once

#include "core/common/expected.h"
#include "core/tls/leaf_issuer.h"

#include <QObject>
#include <QString>

#include <memory>

class QFileSystemWatcher;
class QTimer;

namespace portico::tls {

/// The local CA's issuer as a service of the control thread: engines ask it for a leaf with
/// requestLeaf() (a queued call from any thread) and receive leafReady() with the new store
/// snapshot; issuance (key generation, disk write) never runs on an engine thread. Requests for
/// a name that already has a fresh leaf cost a lookup, so concurrent first handshakes issue once.
class LeafService final : public QObject
{
    Q_OBJECT
public:
    /// Loads or creates the CA in `caDirectory` and the leaves cached there; call on the thread
    /// the service will live on, or move it there before any request.
    static Expected<std::unique_ptr<LeafService>> create(const QString &caDirectory,
        const CaOptions &caOptions = {}, IssuerOptions issuerOptions = {});
    ~LeafService() override;

    /// The current store; safe from any thread.
    std::shared_ptr<const CertificateStore> snapshot() const { return m_issuer.snapshot(); }
    /// The names the CA may certify; read on the service's thread (or before it runs). It
    /// changes only with the CA (caChanged).
    const NamePolicy &policy() const { return m_policy; }
    /// `ca.pem`, what clients must trust.
    QString caCertificatePath() const { return m_issuer.ca().certificatePath(); }
    /// Leaves issued (not loaded) since start; read on the service's thread.
    int issuedCount() const { return m_issued; }
    /// The issuer (its CA, its leaves); read on the service's thread (leaf_inventory.h).
    const LeafIssuer &issuer() const { return m_issuer; }

public Q_SLOTS:
    /// Issues (or renews) the leaf for `name` unless a fresh one exists, then emits leafReady.
    void requestLeaf(const QString &name);
    /// Renews every leaf close to expiry (also run twice a day by a timer).
    void renewDue();
    /// Re-reads the CA from its directory; when it is another root (`portico ca rotate`), every
    /// leaf of the old one is dropped and caChanged follows. Runs by itself when `ca.pem`
    /// changes on disk.
    void reloadCa();
    /// Stops the timers and the file watch on the service's own thread (connect its
    /// QThread::finished directly), so the service can then be deleted from any thread.
    void stop();

Q_SIGNALS:
    /// Answer to requestLeaf: `ok` false when the name cannot be certified (the handshake falls
    /// back to the default certificate). `store` holds the leaf when ok.
    void leafReady(const QString &name, bool ok,
        const std::shared_ptr<const portico::tls::CertificateStore> &store);
    /// The store changed without a request (renewals).
    void storeChanged(const std::shared_ptr<const portico::tls::CertificateStore> &store);
    /// Another root replaced the CA: `store` is empty of old leaves, `policy` is the new root's.
    void caChanged(const std::shared_ptr<const portico::tls::CertificateStore> &store,
        const portico::tls::NamePolicy &policy);

private:
    LeafService(LocalCa ca, CaOptions caOptions, IssuerOptions options);
    void watchCaFiles();

    LeafIssuer m_issuer;
    CaOptions m_caOptions;
    NamePolicy m_policy;
    QTimer *m_renewTimer = nullptr;
    QFileSystemWatcher *m_caWatcher = nullptr;
    QTimer *m_reloadDelay = nullptr; ///< lets a rotation finish writing both files
    int m_issued = 0;
};

} // namespace portico::tls
