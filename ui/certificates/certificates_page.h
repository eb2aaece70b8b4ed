#pragma once

#include "core/tls/leaf_inventory.h"
#include "ui/certificates/certificate_inventory.h"

#include <QWidget>

#include <optional>

class QFormLayout;
class QLabel;
class QPushButton;
class QTableWidget;

namespace portico::ui {

/// The "Certificates" page: the local CA (subject, fingerprint, validity, the names it may
/// certify), whether each trust store holds it with a Trust button per store, the issued leaf
/// certificates with their expiry, and rotation. Every check and change runs on a worker thread
/// (certutil and keytool take their time; pkexec waits for a password): the page shows
/// "checking…" meanwhile and never blocks the window.
class CertificatesPage : public QWidget
{
    Q_OBJECT
public:
    /// `caDir` and `environment` are where to look (tests point them at temporary directories).
    CertificatesPage(
        QString caDir, tls::trust::StoreEnvironment environment, QWidget *parent = nullptr);

    /// Suffixes beyond `localhost` and `test` a rotated root permits (`tls.extraSuffixes`).
    void setExtraSuffixes(const QStringList &suffixes) { m_extraSuffixes = suffixes; }
    /// Reads everything again (on a worker thread); also done when the page is first shown.
    void refresh();
    /// Trusts the CA in the store shown in `row` (what its Trust button does).
    void trustRow(int row);
    /// Rotates the CA after asking (rotateNow() skips the question, for tests).
    void rotate();
    void rotateNow();
    /// The CA and leaves of the running core (CoreRuntime::certificatesChanged): from now on the
    /// issued certificates are the core's, not the files; a new root also re-checks the stores.
    void setIssued(const tls::IssuedCertificates &issued);
    /// True once the running core described its certificates (setIssued).
    bool followsCore() const { return m_issued.has_value(); }
    /// What the running core last described (empty before setIssued).
    const std::optional<tls::IssuedCertificates> &issued() const { return m_issued; }

    bool isBusy() const { return m_busy > 0; }
    /// True once the first refresh finished (tests wait on it).
    bool hasInventory() const { return m_loaded; }
    const CertificateInventory &inventory() const { return m_inventory; }
    QTableWidget *storesTable() const { return m_stores; }
    QTableWidget *leavesTable() const { return m_leaves; }
    QPushButton *rotateButton() const { return m_rotate; }
    /// The last message shown under the CA (outcome of trust or rotation).
    QString message() const;

Q_SIGNALS:
    /// An inventory was read (after refresh, trust or rotation).
    void inventoryChanged();
    /// The CA was rotated; a running core serves leaves of the new root from now on only if it
    /// is told (GuiShell connects this).
    void caRotated();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showInventory(const CertificateInventory &inventory);
    void showCa(const CaSummary &ca);
    void showStores();
    void showLeaves();
    void showLeaf(int row, const QString &name, const QDateTime &notBefore,
        const QDateTime &notAfter, const QString &issuer, const QString &path);
    /// The CA as the running core holds it, over what the files said.
    CaSummary currentCa() const;
    void setBusy(bool busy);
    void showResults(const QList<tls::trust::StoreResult> &results);

    QString m_caDir;
    tls::trust::StoreEnvironment m_environment;
    QStringList m_extraSuffixes;
    CertificateInventory m_inventory;
    std::optional<tls::IssuedCertificates> m_issued;
    bool m_loaded = false;
    int m_busy = 0;
    QLabel *m_caTitle;
    QLabel *m_subject;
    QLabel *m_fingerprint;
    QLabel *m_validity;
    QLabel *m_permits;
    QLabel *m_path;
    QLabel *m_message;
    QPushButton *m_refresh;
    QPushButton *m_rotate;
    QTableWidget *m_stores;
    QTableWidget *m_leaves;
};

} // namespace portico::ui
