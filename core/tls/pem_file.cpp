#include "core/tls/pem_file.h"

#include "core/tls/openssl_error.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryFile>

#include <filesystem>
#include <openssl/pem.h>

namespace portico::tls {

namespace {

QByteArray drain(BIO *bio)
{
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(length));
}

BioPtr readOnlyBio(const QByteArray &bytes)
{
    return BioPtr(BIO_new_mem_buf(bytes.constData(), int(bytes.size())));
}

Error writeError(const QString &path, const QString &reason)
{
    return Error { QStringLiteral("cannot write \"%1\": %2").arg(path, reason), {}, {} };
}

// QSaveFile always fsyncs; this is the same temporary-file-and-rename without the sync.
Expected<void> writeWithoutSync(
    const QString &path, const QByteArray &bytes, QFileDevice::Permissions permissions)
{
    QTemporaryFile file(path + QStringLiteral(".XXXXXX"));
    if (!file.open() || !file.setPermissions(permissions) || file.write(bytes) != bytes.size()
        || !file.flush()) {
        return writeError(path, file.errorString());
    }
    file.close(); // Windows cannot rename an open file
    std::error_code ec;
    // Unlike QFile::rename, std::filesystem::rename replaces an existing target atomically.
    std::filesystem::rename(QFile::encodeName(file.fileName()).toStdString(),
        QFile::encodeName(path).toStdString(), ec);
    if (ec)
        return writeError(path, QString::fromStdString(ec.message()));
    file.setAutoRemove(false);
    return {};
}

} // namespace

Expected<QByteArray> certificateToPem(X509 *certificate)
{
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || !PEM_write_bio_X509(bio.get(), certificate))
        return opensslError(QStringLiteral("cannot encode the certificate as PEM"));
    return drain(bio.get());
}

Expected<QByteArray> privateKeyToPem(EVP_PKEY *key)
{
    const BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || !PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
        return opensslError(QStringLiteral("cannot encode the private key as PEM"));
    return drain(bio.get());
}

Expected<X509Ptr> certificateFromPem(const QByteArray &pem, const QString &origin)
{
    clearOpensslErrors();
    const BioPtr bio = readOnlyBio(pem);
    X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!cert)
        return opensslError(QStringLiteral("no certificate in \"%1\"").arg(origin));
    return cert;
}

Expected<EvpPkeyPtr> privateKeyFromPem(const QByteArray &pem, const QString &origin)
{
    clearOpensslErrors();
    const BioPtr bio = readOnlyBio(pem);
    // An empty passphrase callback result makes an encrypted key fail instead of prompting.
    EvpPkeyPtr key(bio
            ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, const_cast<char *>(""))
            : nullptr);
    if (!key)
        return opensslError(QStringLiteral("no private key in \"%1\"").arg(origin));
    return key;
}

Expected<void> writeFileAtomically(const QString &path, const QByteArray &bytes,
    QFileDevice::Permissions permissions, Durability durability)
{
    if (durability == Durability::Cache)
        return writeWithoutSync(path, bytes, permissions);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error { QStringLiteral("cannot write \"%1\": %2").arg(path, file.errorString()), {},
            {} };
    const bool ok = file.setPermissions(permissions) && file.write(bytes) == bytes.size();
    if (!ok || !file.commit())
        return Error { QStringLiteral("cannot write \"%1\": %2").arg(path, file.errorString()), {},
            {} };
    return {};
}

Expected<QByteArray> readWholeFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error { QStringLiteral("cannot read \"%1\": %2").arg(path, file.errorString()), {},
            {} };
    return file.readAll();
}

Expected<void> makePrivateDirectory(const QString &path)
{
    if (!QDir().mkpath(path))
        return Error { QStringLiteral("cannot create directory \"%1\"").arg(path), {}, {} };
    const auto owner = QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
    // Only when they differ: a chmod, even to the same mode, is an attribute change that the
    // LeafService's CA directory watcher reports, and its reload calls this again (a loop).
    const auto mode = QFile::permissions(path)
        & ~(QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser);
    if (mode != owner && !QFile::setPermissions(path, owner))
        return Error { QStringLiteral("cannot restrict \"%1\" to its owner").arg(path), {}, {} };
    return {};
}

} // namespace portico::tls
