#include "core/tls/trust/trusted_ca.h"

#include "core/tls/pem_file.h"

#include <QCryptographicHash>

#include <openssl/err.h>
#include <openssl/pem.h>

namespace portico::tls::trust {

namespace {

QByteArray toDer(X509 *certificate)
{
    unsigned char *data = nullptr;
    const int length = i2d_X509(certificate, &data);
    if (length <= 0)
        return {};
    QByteArray der(reinterpret_cast<const char *>(data), length);
    OPENSSL_free(data);
    return der;
}

QString oneLineSubject(X509 *certificate)
{
    const BioPtr bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), X509_get_subject_name(certificate), 0, XN_FLAG_ONELINE);
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return QString::fromUtf8(data, qsizetype(length));
}

} // namespace

Expected<TrustedCa> TrustedCa::fromFile(const QString &path)
{
    auto pem = readWholeFile(path);
    if (!pem)
        return pem.error();
    auto ca = fromPem(*pem, path);
    if (ca)
        ca->certificatePath = path;
    return ca;
}

Expected<TrustedCa> TrustedCa::fromPem(const QByteArray &pem, const QString &origin)
{
    auto certificate = certificateFromPem(pem, origin);
    if (!certificate)
        return certificate.error();
    TrustedCa ca;
    ca.pem = pem;
    ca.der = toDer(certificate->get());
    ca.sha256 = sha256Hex(ca.der);
    ca.sha1 = QString::fromLatin1(
        QCryptographicHash::hash(ca.der, QCryptographicHash::Sha1).toHex().toUpper());
    ca.subject = oneLineSubject(certificate->get());
    return ca;
}

QString TrustedCa::tag() const
{
    return sha256.left(16).toLower();
}

QString TrustedCa::nickname() const
{
    return nicknamePrefix() + tag().toUpper();
}

QString TrustedCa::anchorFileName() const
{
    return anchorFilePrefix() + tag() + QStringLiteral(".crt");
}

QString TrustedCa::javaAlias() const
{
    return javaAliasPrefix() + tag();
}

QString nicknamePrefix()
{
    return QStringLiteral("Portico Local CA ");
}

QString anchorFilePrefix()
{
    return QStringLiteral("portico-");
}

QString javaAliasPrefix()
{
    return QStringLiteral("portico-local-ca-");
}

QList<QByteArray> certificatesInPem(const QByteArray &pem)
{
    QList<QByteArray> result;
    const BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    while (X509 *raw = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        const X509Ptr certificate(raw);
        result.append(toDer(raw));
    }
    ERR_clear_error(); // the loop ends on "no start line", which is not an error here
    return result;
}

QString sha256Hex(const QByteArray &der)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(der, QCryptographicHash::Sha256).toHex().toUpper());
}

} // namespace portico::tls::trust
