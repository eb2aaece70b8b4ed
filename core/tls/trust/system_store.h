#pragma once

#include "core/tls/trust/trust_store.h"

namespace portico::tls::trust {

/// How one Linux distribution family keeps its system anchors.
struct SystemLayout
{
    QString family; ///< `debian`, `fedora`, `arch`; empty when no known tool exists
    QString anchorDir; ///< where Portico writes `portico-<tag>.crt`
    QString bundle; ///< the generated PEM bundle OpenSSL reads, checked by contains()
    Command refresh; ///< regenerates the bundle from the anchors
};

/// The Linux system store (OpenSSL, curl, Python, Chromium on some distributions): a file in
/// the anchor directory plus `update-ca-certificates` (Debian, Ubuntu) or `update-ca-trust`
/// (Fedora, RHEL, Arch).
class SystemStore : public TrustStore
{
public:
    /// Detects the layout under `root` (empty = the real machine). With a root, Debian's tool is
    /// pointed at the sandbox through its --certsconf/--localcertsdir/... options.
    explicit SystemStore(const QString &root = {});
    /// Uses an explicit layout (tests).
    explicit SystemStore(SystemLayout layout);

    QString kind() const override { return QStringLiteral("system"); }
    QString name() const override;
    QString description() const override;
    bool isAvailable() const override;
    QString unavailableReason() const override;
    bool needsElevation() const override;

    Expected<bool> contains(const TrustedCa &ca) const override;
    Expected<void> install(const TrustedCa &ca) override;
    Expected<void> remove(const TrustedCa &ca) override;
    Expected<int> removeAllPortico() override;
    QList<Command> plannedInstall(const TrustedCa &ca) const override;
    QList<Command> plannedRemoval() const override;

    const SystemLayout &layout() const { return m_layout; }

private:
    QStringList porticoAnchors() const;
    Expected<void> removeFiles(const QStringList &paths);

    SystemLayout m_layout;
};

/// The layout of the distribution found under `root` (empty = `/`).
SystemLayout detectSystemLayout(const QString &root);

} // namespace portico::tls::trust
