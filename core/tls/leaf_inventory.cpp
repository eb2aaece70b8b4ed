#include "core/tls/leaf_inventory.h"

#include "core/tls/certificate_builder.h"
#include "core/tls/leaf_issuer.h"

#include <QCryptographicHash>

#include <algorithm>
#include <openssl/bio.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace portico::tls {

namespace {

QString fingerprint(X509 *certificate)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(toDer(certificate), QCryptographicHash::Sha256).toHex().toUpper());
}

QString oneLine(const X509_NAME *name)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio)
        return {};
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    QString out = QString::fromUtf8(data, qsizetype(size));
    BIO_free(bio);
    return out;
}

} // namespace

IssuedCertificates describeIssued(const LeafIssuer &issuer)
{
    const LocalCa &ca = issuer.ca();
    IssuedCertificates out;
    out.caSubject = oneLine(X509_get_subject_name(ca.certificate()));
    out.caSha256 = ca.sha256Fingerprint();
    out.caNotBefore = toDateTime(X509_get0_notBefore(ca.certificate()));
    out.caNotAfter = ca.notAfter();
    out.caPath = ca.certificatePath();
    out.permits = ca.policy().describe();
    const auto store = issuer.snapshot();
    for (const auto &leaf : store->leaves()) {
        X509 *certificate = leaf->certificate.get();
        // A leaf of another root would be a bug after rotation: show it without an issuer.
        const bool ours = X509_check_issued(ca.certificate(), certificate) == X509_V_OK;
        out.leaves << IssuedLeaf { leaf->name.text, leaf->notBefore, leaf->notAfter,
            fingerprint(certificate), ours ? out.caSha256 : QString(),
            issuer.leafPath(leaf->name) };
    }
    std::sort(out.leaves.begin(), out.leaves.end(),
        [](const IssuedLeaf &a, const IssuedLeaf &b) { return a.name < b.name; });
    return out;
}

} // namespace portico::tls
