#include "core/proxy/tls_client_pki.h"

#include "core/common/log.h"
#include "core/config/dynamic_spec.h"

#include <QFile>

#include <map>
#include <mutex>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

namespace portico::proxy::pki {

namespace {

/// Adds every certificate of one rootCAs entry to `store`; false when there is none.
bool addRootCas(X509_STORE *store, const QString &entry)
{
    const QByteArray pem = readPem(entry);
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    int added = 0;
    while (X509 *cert = bio ? PEM_read_bio_X509(bio, nullptr, nullptr, nullptr) : nullptr) {
        added += X509_STORE_add_cert(store, cert) == 1 ? 1 : 0;
        X509_free(cert);
    }
    BIO_free(bio);
    ERR_clear_error(); // the end of the PEM stream is reported as an error
    return added > 0;
}

/// Loads the leaf, its intermediates and the key; the identity owns what it holds.
bool loadIdentity(const config::ClientCertificateSpec &spec, const QByteArray &certPem,
    const QByteArray &keyPem, ClientIdentity &out, QString *error)
{
    BIO *certBio = BIO_new_mem_buf(certPem.constData(), int(certPem.size()));
    BIO *keyBio = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    out.certificate = certBio ? PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr) : nullptr;
    out.chain = sk_X509_new_null();
    while (X509 *extra
        = out.certificate ? PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr) : nullptr)
        sk_X509_push(out.chain, extra);
    out.key = keyBio ? PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr) : nullptr;
    BIO_free(certBio);
    BIO_free(keyBio);
    ERR_clear_error();
    if (!out.certificate)
        *error = QStringLiteral("cannot read a PEM certificate from \"%1\"")
                     .arg(spec.certFile.left(80));
    else if (!out.key)
        *error = QStringLiteral("cannot read a PEM private key from \"%1\"")
                     .arg(spec.keyFile.left(80));
    else if (X509_check_private_key(out.certificate, out.key) != 1)
        *error = QStringLiteral("the key \"%1\" does not belong to the certificate \"%2\"")
                     .arg(spec.keyFile.left(80), spec.certFile.left(80));
    else
        return true;
    ERR_clear_error();
    return false;
}

} // namespace

QByteArray readPem(const QString &entry)
{
    const QByteArray text = entry.toUtf8();
    if (text.trimmed().startsWith("-----BEGIN"))
        return text;
    QFile file(entry);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

X509_STORE *rootCaStore(const QStringList &rootCAs)
{
    static std::mutex mutex;
    static std::map<QStringList, X509_STORE *> stores;
    std::lock_guard lock(mutex);
    X509_STORE *&store = stores[rootCAs];
    if (store)
        return store;
    store = X509_STORE_new();
    for (const QString &entry : rootCAs) {
        if (!addRootCas(store, entry))
            qCWarning(lcProxy).noquote()
                << QStringLiteral("serversTransport.rootCAs: \"%1\" holds no readable PEM "
                                  "certificate; https upstreams will not be trusted")
                       .arg(entry.left(80));
    }
    return store;
}

const ClientIdentity *clientIdentity(const config::ClientCertificateSpec &spec, QString *error)
{
    // Keyed by content: files are re-read for each new connection (small, and a renewed
    // certificate is picked up); parsing happens once per distinct pair.
    static std::mutex mutex;
    static std::map<std::pair<QByteArray, QByteArray>, ClientIdentity> identities;
    const std::pair<QByteArray, QByteArray> key { readPem(spec.certFile), readPem(spec.keyFile) };
    std::lock_guard lock(mutex);
    if (const auto it = identities.find(key); it != identities.end())
        return &it->second;
    ClientIdentity identity;
    if (loadIdentity(spec, key.first, key.second, identity, error))
        return &identities.emplace(key, identity).first->second;
    X509_free(identity.certificate);
    sk_X509_pop_free(identity.chain, X509_free);
    EVP_PKEY_free(identity.key);
    return nullptr;
}

bool hasUriSan(X509 *certificate, const QByteArray &uri)
{
    auto *names = static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
    bool found = false;
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names) && !found; ++i) {
        const GENERAL_NAME *name = sk_GENERAL_NAME_value(names, i);
        if (name->type != GEN_URI)
            continue;
        const ASN1_STRING *value = name->d.uniformResourceIdentifier;
        found = QByteArray(reinterpret_cast<const char *>(ASN1_STRING_get0_data(value)),
                    ASN1_STRING_length(value))
            == uri;
    }
    GENERAL_NAMES_free(names);
    return found;
}

} // namespace portico::proxy::pki
