#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace portico::tls::trust {

/// The CA certificate a trust store installs, with the names stores file it under.
struct TrustedCa
{
    QString certificatePath; ///< PEM file on disk (what `certutil -i` / `keytool -file` read)
    QByteArray pem;
    QByteArray der;
    QString sha256; ///< upper-case hex of the DER, as LocalCa::sha256Fingerprint()
    QString sha1; ///< upper-case hex of the DER (Windows' thumbprint)
    QString subject; ///< one-line subject, for messages

    /// Reads the first certificate of a PEM file.
    static Expected<TrustedCa> fromFile(const QString &path);
    /// Parses the first certificate of PEM text; `origin` names it in errors.
    static Expected<TrustedCa> fromPem(const QByteArray &pem, const QString &origin);

    /// First 16 hex digits of the SHA-256 fingerprint (lower-case): tells rotated CAs apart.
    QString tag() const;
    /// NSS nickname, `Portico Local CA <TAG>`; nicknamePrefix() finds every rotation.
    QString nickname() const;
    /// File name in a system anchor directory, `portico-<tag>.crt`.
    QString anchorFileName() const;
    /// Java keystore alias, `portico-local-ca-<tag>` (keytool lower-cases aliases).
    QString javaAlias() const;
};

/// `Portico Local CA `: the start of every nickname and certificate common name Portico uses.
QString nicknamePrefix();
/// `portico-`: the start of every anchor file Portico writes.
QString anchorFilePrefix();
/// `portico-local-ca-`: the start of every Java alias Portico writes.
QString javaAliasPrefix();

/// DER of every certificate in PEM text (a system bundle); unreadable blocks are skipped.
QList<QByteArray> certificatesInPem(const QByteArray &pem);
/// Upper-case hex SHA-256 of DER bytes.
QString sha256Hex(const QByteArray &der);

} // namespace portico::tls::trust
