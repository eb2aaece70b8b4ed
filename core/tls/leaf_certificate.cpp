#include "core/tls/leaf_certificate.h"

#include "core/tls/certificate_builder.h"
#include "core/tls/local_ca.h"
#include "core/tls/openssl_error.h"
#include "core/tls/pem_file.h"

namespace portico::tls {

namespace {

// The SAN is the identity browsers check (RFC 6125 §6.4.4: CN is ignored when a SAN exists).
// A CN is still set for DNS names because tools display it; IP leaves get none so verifiers
// that treat a CN as a host name never compare an IP text with DNS constraints.
Expected<X509NamePtr> leafSubject(const DevName &name)
{
    QList<QPair<QByteArray, QString>> attributes { { "O",
        QStringLiteral("Portico development certificate") } };
    if (!name.isIp())
        attributes.append({ "CN", name.text });
    return makeName(attributes);
}

Expected<void> addLeafExtensions(X509 *leaf, X509 *ca, const DevName &name)
{
    const struct
    {
        int nid;
        const char *value;
    } conf[] = {
        { NID_basic_constraints, "critical,CA:FALSE" },
        { NID_key_usage, "critical,digitalSignature" }, // ECDHE + ECDSA signs, never encrypts
        { NID_ext_key_usage, "serverAuth" },
        { NID_subject_key_identifier, "hash" },
        { NID_authority_key_identifier, "keyid:always" },
    };
    for (const auto &[nid, value] : conf) {
        if (auto added = addConfExtension(leaf, ca, nid, value); !added)
            return added;
    }
    const GeneralNamesPtr san(GENERAL_NAMES_new());
    GeneralNamePtr entry
        = name.isIp() ? ipGeneralName(name.ipOctets) : dnsGeneralName(name.text.toLatin1());
    if (!san || !entry || !sk_GENERAL_NAME_push(san.get(), entry.get()))
        return opensslError(QStringLiteral("cannot build the subjectAltName"));
    entry.release();
    return addExtension(leaf, NID_subject_alt_name, san.get(), false);
}

// The single name a leaf of ours certifies: its one SAN entry.
Expected<DevName> sanName(X509 *leaf, const QString &origin)
{
    const GeneralNamesPtr san(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(leaf, NID_subject_alt_name, nullptr, nullptr)));
    if (!san || sk_GENERAL_NAME_num(san.get()) != 1)
        return Error { QStringLiteral("\"%1\" does not certify exactly one name").arg(origin), {},
            {} };
    const GENERAL_NAME *gen = sk_GENERAL_NAME_value(san.get(), 0);
    if (gen->type == GEN_IPADD) {
        const ASN1_STRING *s = gen->d.iPAddress;
        const QByteArray bytes(
            reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
        if (bytes.size() != 4 && bytes.size() != 16)
            return Error { QStringLiteral("\"%1\" has a malformed IP address").arg(origin), {},
                {} };
        return DevName { ipToText(bytes), bytes };
    }
    if (gen->type != GEN_DNS)
        return Error { QStringLiteral("\"%1\" certifies neither a DNS name nor an IP").arg(origin),
            {}, {} };
    const ASN1_STRING *s = gen->d.dNSName;
    return parseDevName(QString::fromLatin1(
        reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s)));
}

} // namespace

bool LeafCertificate::needsRenewal(const QDateTime &now) const
{
    const qint64 lifetime = notBefore.secsTo(notAfter);
    return now.secsTo(notAfter) < lifetime / 3;
}

Expected<QByteArray> LeafCertificate::toPem() const
{
    auto keyPem = privateKeyToPem(key.get());
    if (!keyPem)
        return keyPem;
    auto certPem = certificateToPem(certificate.get());
    if (!certPem)
        return certPem;
    return *keyPem + *certPem;
}

Expected<LeafCertificate> issueLeaf(
    const LocalCa &ca, const DevName &name, const QDateTime &now, qint64 validitySecs)
{
    if (auto allowed = ca.policy().check(name); !allowed)
        return allowed.error();
    auto key = generateKey();
    if (!key)
        return key.error();
    auto subject = leafSubject(name);
    if (!subject)
        return subject.error();
    const qint64 validity = qMin(validitySecs, qint64(maxLeafValidityDays) * 24 * 3600);
    const QDateTime notBefore = now.addSecs(-3600);
    const QDateTime notAfter = now.addSecs(validity);
    auto cert = newCertificate({ key->get(), subject->get(),
        X509_get_subject_name(ca.certificate()), notBefore, notAfter });
    if (!cert)
        return cert.error();
    if (auto ext = addLeafExtensions(cert->get(), ca.certificate(), name); !ext)
        return ext.error();
    if (auto signedOk = signCertificate(cert->get(), ca.key()); !signedOk)
        return signedOk.error();
    // Read back from the certificate: ASN.1 times have whole seconds, the QDateTimes may not.
    const QDateTime from = toDateTime(X509_get0_notBefore(cert->get()));
    const QDateTime until = toDateTime(X509_get0_notAfter(cert->get()));
    return LeafCertificate { name, share(std::move(*cert)), share(std::move(*key)), from, until,
        nullptr };
}

Expected<LeafCertificate> leafFromPem(
    const QByteArray &pem, const QString &origin, const LocalCa &ca)
{
    auto key = privateKeyFromPem(pem, origin);
    if (!key)
        return key.error();
    auto cert = certificateFromPem(pem, origin);
    if (!cert)
        return cert.error();
    if (EVP_PKEY_eq(X509_get0_pubkey(cert->get()), key->get()) != 1)
        return Error {
            QStringLiteral("the key in \"%1\" does not match its certificate").arg(origin), {}, {}
        };
    if (X509_verify(cert->get(), X509_get0_pubkey(ca.certificate())) != 1) {
        clearOpensslErrors();
        return Error { QStringLiteral("\"%1\" was not signed by the current local CA").arg(origin),
            {}, {} };
    }
    auto name = sanName(cert->get(), origin);
    if (!name)
        return name.error();
    if (auto allowed = ca.policy().check(*name); !allowed)
        return allowed.error();
    const QDateTime notBefore = toDateTime(X509_get0_notBefore(cert->get()));
    const QDateTime notAfter = toDateTime(X509_get0_notAfter(cert->get()));
    return LeafCertificate { *name, share(std::move(*cert)), share(std::move(*key)), notBefore,
        notAfter, nullptr };
}

} // namespace portico::tls
