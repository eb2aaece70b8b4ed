#pragma once

#include "core/common/expected.h"
#include "core/tls/dev_names.h"
#include "core/tls/openssl_ptr.h"

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <functional>

namespace portico::tls {

/// The current time as UTC; tests inject their own.
using Clock = std::function<QDateTime()>;

/// How the local CA is created (loading an existing one ignores all but extraSuffixes).
struct CaOptions
{
    QStringList extraSuffixes; ///< tls.extraSuffixes, checked with parseDevSuffix
    QString owner; ///< `user@host` in the subject; empty = this user on this machine
    int validityDays = 3650;
    Clock clock; ///< empty = QDateTime::currentDateTimeUtc
};

/// Portico's own name-constrained root: an ECDSA P-256 key and self-signed certificate kept as
/// `ca.pem` / `ca-key.pem` in a private directory. Copies share the same immutable key and cert.
class LocalCa
{
public:
    /// Loads the CA from `directory`, creating it (and the directory, 0700) on first run.
    static Expected<LocalCa> loadOrCreate(const QString &directory, const CaOptions &options);
    /// Loads the CA from `directory` and never creates one: an error when either file is missing
    /// (a rotation in progress, a removed CA).
    static Expected<LocalCa> loadExisting(const QString &directory, const CaOptions &options);

    /// Replaces the root with a new one (new key), keeping the old files as `ca-<stamp>.pem` and
    /// `ca-key-<stamp>.pem`; every leaf signed by the old root must be dropped afterwards.
    Expected<void> rotate();

    /// The root certificate and its key; owned by this CA (and its copies), never null.
    X509 *certificate() const { return m_certificate.get(); }
    EVP_PKEY *key() const { return m_key.get(); }
    /// Where `ca.pem`, `ca-key.pem` and `leaves/` live.
    const QString &directory() const { return m_directory; }
    /// `<directory>/ca.pem`: what trust stores import.
    QString certificatePath() const;
    /// `<directory>/ca-key.pem` (0600).
    QString keyPath() const;

    /// Names this root may sign, read back from its own name constraints.
    const NamePolicy &policy() const { return m_policy; }
    /// Configured extra suffixes the existing root does not permit (rotate to add them).
    const QStringList &missingSuffixes() const { return m_missingSuffixes; }

    /// When the root expires (UTC).
    QDateTime notAfter() const;
    /// Upper-case hex SHA-256 of the DER certificate, as trust stores display it.
    QString sha256Fingerprint() const;

private:
    LocalCa() = default;
    static Expected<LocalCa> open(const QString &directory, const CaOptions &options, bool create);
    Expected<void> create();
    Expected<void> load();
    Expected<void> adopt(X509Ptr certificate, EvpPkeyPtr key);
    QDateTime now() const;

    QString m_directory;
    CaOptions m_options;
    SharedX509 m_certificate;
    SharedEvpPkey m_key;
    NamePolicy m_policy;
    QStringList m_missingSuffixes;
};

} // namespace portico::tls
