#pragma once

#include "core/tls/trust/trust_store.h"

namespace portico::tls::trust {

/// An NSS certificate database (Chromium's `~/.pki/nssdb`, each Firefox profile) changed with
/// `certutil` from libnss3-tools; Portico's CA is filed as `Portico Local CA <TAG>`, trusted
/// for TLS servers (`C,,`).
class NssStore : public TrustStore
{
public:
    /// `kind` is `nss` or `firefox`; `createIfMissing` makes install() create an empty database
    /// (Chromium reads `~/.pki/nssdb` once it exists, even if it has not run yet).
    NssStore(QString kind, QString name, QString directory, bool createIfMissing = false);

    QString kind() const override { return m_kind; }
    QString name() const override { return m_name; }
    QString description() const override;
    bool isAvailable() const override;
    QString unavailableReason() const override;

    Expected<bool> contains(const TrustedCa &ca) const override;
    Expected<void> install(const TrustedCa &ca) override;
    Expected<void> remove(const TrustedCa &ca) override;
    Expected<int> removeAllPortico() override;

    /// Every nickname in the database (`certutil -L`).
    Expected<QStringList> nicknames() const;
    const QString &directory() const { return m_directory; }

private:
    bool databaseExists() const;
    QString database() const;
    Command certutil(QStringList arguments) const;
    Expected<void> createDatabase();
    Expected<void> deleteNickname(const QString &nickname);

    QString m_kind;
    QString m_name;
    QString m_directory;
    bool m_createIfMissing;
    QString m_certutil;
};

/// Parses `certutil -L` output into nicknames (the trust column is dropped).
QStringList parseCertutilList(const QByteArray &output);

} // namespace portico::tls::trust
