#pragma once

#include "core/common/expected.h"
#include "core/tls/openssl_ptr.h"

#include <QByteArray>
#include <QFileDevice>
#include <QString>

namespace portico::tls {

/// PEM text of a certificate.
Expected<QByteArray> certificateToPem(X509 *certificate);
/// Unencrypted PKCS#8 PEM of a private key (it is protected by file permissions instead).
Expected<QByteArray> privateKeyToPem(EVP_PKEY *key);

/// The first certificate in PEM text; `origin` names the file in errors.
Expected<X509Ptr> certificateFromPem(const QByteArray &pem, const QString &origin);
/// The first private key in PEM text; `origin` names the file in errors.
Expected<EvpPkeyPtr> privateKeyFromPem(const QByteArray &pem, const QString &origin);

/// Owner read/write only (0600). On Windows this maps to the read-only bit alone: protection there
/// comes from the per-user profile directory's ACLs.
constexpr QFileDevice::Permissions ownerOnlyFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;

/// Whether an atomic write also waits for the data to reach the disk.
enum class Durability {
    Synced, ///< fsync before the rename: for the CA, which cannot be recreated silently
    Cache, ///< rename only (~3 ms faster): for leaves, which are re-issued if lost or torn
};

/// Replaces `path` atomically (write a temporary file, then rename) with `permissions` set
/// before the rename, so a reader never sees a partial or briefly world-readable key.
Expected<void> writeFileAtomically(const QString &path, const QByteArray &bytes,
    QFileDevice::Permissions permissions, Durability durability = Durability::Synced);

/// A whole file, or an Error naming it.
Expected<QByteArray> readWholeFile(const QString &path);

/// Creates `path` (and parents) and restricts it to its owner (0700).
Expected<void> makePrivateDirectory(const QString &path);

} // namespace portico::tls
