#include "core/tls/certificate_builder.h"

#include "core/tls/openssl_error.h"

namespace portico::tls {

Expected<EvpPkeyPtr> generateKey()
{
    EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    if (!key)
        return opensslError(QStringLiteral("cannot generate an ECDSA P-256 key"));
    return key;
}

Expected<Asn1IntegerPtr> randomSerial()
{
    const BignumPtr bn(BN_new());
    // Top bit set so every serial is exactly 128 bits: fixed-length, positive, never zero.
    if (!bn || !BN_rand(bn.get(), 128, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY))
        return opensslError(QStringLiteral("cannot draw a random serial number"));
    Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    if (!serial)
        return opensslError(QStringLiteral("cannot encode the serial number"));
    return serial;
}

Expected<X509NamePtr> makeName(const QList<QPair<QByteArray, QString>> &attributes)
{
    X509NamePtr name(X509_NAME_new());
    if (!name)
        return opensslError(QStringLiteral("cannot allocate a certificate name"));
    for (const auto &[field, value] : attributes) {
        const QByteArray utf8 = value.toUtf8();
        if (!X509_NAME_add_entry_by_txt(name.get(), field.constData(), MBSTRING_UTF8,
                reinterpret_cast<const unsigned char *>(utf8.constData()), int(utf8.size()), -1,
                0)) {
            return opensslError(
                QStringLiteral("cannot set %1 \"%2\"").arg(QString::fromLatin1(field), value));
        }
    }
    return name;
}

Expected<X509Ptr> newCertificate(const CertificateFields &fields)
{
    auto serial = randomSerial();
    if (!serial)
        return serial.error();
    X509Ptr cert(X509_new());
    const bool ok = cert && X509_set_version(cert.get(), X509_VERSION_3)
        && X509_set_serialNumber(cert.get(), serial->get())
        && X509_set_subject_name(cert.get(), fields.subject)
        && X509_set_issuer_name(cert.get(), fields.issuer)
        && ASN1_TIME_set(X509_getm_notBefore(cert.get()), fields.notBefore.toSecsSinceEpoch())
        && ASN1_TIME_set(X509_getm_notAfter(cert.get()), fields.notAfter.toSecsSinceEpoch())
        && X509_set_pubkey(cert.get(), fields.subjectKey);
    if (!ok)
        return opensslError(QStringLiteral("cannot fill in the certificate"));
    return cert;
}

Expected<void> addConfExtension(X509 *certificate, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, certificate, nullptr, nullptr, 0);
    const X509ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
    if (!ext || !X509_add_ext(certificate, ext.get(), -1)) {
        return opensslError(
            QStringLiteral("cannot add extension %1 \"%2\"")
                .arg(QString::fromLatin1(OBJ_nid2sn(nid)), QString::fromLatin1(value)));
    }
    return {};
}

Expected<void> addExtension(X509 *certificate, int nid, void *value, bool critical)
{
    if (X509_add1_ext_i2d(certificate, nid, value, critical ? 1 : 0, X509V3_ADD_DEFAULT) != 1) {
        return opensslError(
            QStringLiteral("cannot add extension %1").arg(QString::fromLatin1(OBJ_nid2sn(nid))));
    }
    return {};
}

Expected<void> signCertificate(X509 *certificate, EVP_PKEY *key)
{
    if (X509_sign(certificate, key, EVP_sha256()) <= 0)
        return opensslError(QStringLiteral("cannot sign the certificate"));
    return {};
}

GeneralNamePtr dnsGeneralName(const QByteArray &name)
{
    GeneralNamePtr gen(GENERAL_NAME_new());
    Asn1StringPtr ia5(ASN1_IA5STRING_new());
    if (!gen || !ia5 || !ASN1_STRING_set(ia5.get(), name.constData(), int(name.size())))
        return nullptr;
    GENERAL_NAME_set0_value(gen.get(), GEN_DNS, ia5.release());
    return gen;
}

GeneralNamePtr ipGeneralName(const QByteArray &octets)
{
    GeneralNamePtr gen(GENERAL_NAME_new());
    Asn1OctetStringPtr os(ASN1_OCTET_STRING_new());
    if (!gen || !os
        || !ASN1_OCTET_STRING_set(
            os.get(), reinterpret_cast<const unsigned char *>(octets.data()), int(octets.size()))) {
        return nullptr;
    }
    GENERAL_NAME_set0_value(gen.get(), GEN_IPADD, os.release());
    return gen;
}

QDateTime toDateTime(const ASN1_TIME *time)
{
    struct tm tm = {};
    if (!time || !ASN1_TIME_to_tm(time, &tm))
        return {};
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
        QTime(tm.tm_hour, tm.tm_min, tm.tm_sec), Qt::UTC);
}

QByteArray toDer(X509 *certificate)
{
    unsigned char *der = nullptr;
    const int length = i2d_X509(certificate, &der);
    if (length <= 0)
        return {};
    QByteArray out(reinterpret_cast<const char *>(der), length);
    OPENSSL_free(der);
    return out;
}

} // namespace portico::tls
