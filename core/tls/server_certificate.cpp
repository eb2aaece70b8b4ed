#include "core/tls/server_certificate.h"

#include "core/tls/certificate_builder.h"
#include "core/tls/openssl_error.h"
#include "core/tls/pem_file.h"

#include <openssl/err.h>
#include <openssl/pem.h>

namespace portico::tls {

namespace {

/// Traefik's certificate fields hold a path or the PEM itself.
Expected<QByteArray> pemFrom(const QString &value)
{
    if (value.contains(QLatin1String("-----BEGIN")))
        return value.toUtf8();
    return readWholeFile(value);
}

QString originOf(const QString &value)
{
    return value.contains(QLatin1String("-----BEGIN")) ? QStringLiteral("inline PEM") : value;
}

/// Every certificate in a PEM document, leaf first.
Expected<std::vector<X509Ptr>> certificatesFromPem(const QByteArray &pem, const QString &origin)
{
    clearOpensslErrors();
    const BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    std::vector<X509Ptr> out;
    while (bio) {
        X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!cert)
            break;
        out.push_back(std::move(cert));
    }
    clearOpensslErrors(); // the loop ends on "no start line"
    if (out.empty())
        return Error { QStringLiteral("no certificate in \"%1\"").arg(origin), {},
            QStringLiteral("expected a PEM file starting with -----BEGIN CERTIFICATE-----") };
    return out;
}

void collectNames(X509 *cert, ServerCertificate &out)
{
    const GeneralNamesPtr san(static_cast<GENERAL_NAMES *>(
        X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
    for (int i = 0; san && i < sk_GENERAL_NAME_num(san.get()); ++i) {
        const GENERAL_NAME *gen = sk_GENERAL_NAME_value(san.get(), i);
        const ASN1_STRING *s = gen->type == GEN_DNS ? gen->d.dNSName
            : gen->type == GEN_IPADD                ? gen->d.iPAddress
                                                    : nullptr;
        if (!s)
            continue;
        const QByteArray bytes(
            reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
        if (gen->type == GEN_DNS)
            out.dnsNames << QString::fromLatin1(bytes).toLower();
        else
            out.ipAddresses << bytes;
    }
    if (!out.dnsNames.isEmpty() || !out.ipAddresses.isEmpty())
        return;
    // No SAN at all: fall back to the CN, as Traefik's store indexes certificates by it too.
    char cn[256] = {};
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) > 0)
        out.dnsNames << QString::fromLatin1(cn).toLower();
}

std::shared_ptr<STACK_OF(X509)> makeChain(std::vector<X509Ptr> &certs)
{
    std::shared_ptr<STACK_OF(X509)> chain(
        sk_X509_new_null(), [](STACK_OF(X509) * s) { sk_X509_pop_free(s, X509_free); });
    for (size_t i = 1; chain && i < certs.size(); ++i) {
        if (sk_X509_push(chain.get(), certs[i].get()))
            certs[i].release();
    }
    return chain;
}

} // namespace

bool ServerCertificate::matches(const QString &name) const
{
    for (const QString &dns : dnsNames) {
        if (dns == name)
            return true;
        // `*.example.test` covers `a.example.test`, never `example.test` or `a.b.example.test`.
        if (dns.startsWith(QLatin1String("*.")) && name.endsWith(QStringView(dns).mid(1))) {
            const qsizetype labelEnd = name.size() - (dns.size() - 1);
            if (labelEnd > 0 && !QStringView(name).left(labelEnd).contains(u'.'))
                return true;
        }
    }
    if (ipAddresses.isEmpty())
        return false;
    const Asn1OctetStringPtr ip(a2i_IPADDRESS(name.toLatin1().constData()));
    if (!ip)
        return false;
    const QByteArray octets(reinterpret_cast<const char *>(ASN1_STRING_get0_data(ip.get())),
        ASN1_STRING_length(ip.get()));
    return ipAddresses.contains(octets);
}

bool ServerCertificate::useOn(SSL *ssl) const
{
    return SSL_use_cert_and_key(ssl, certificate.get(), key.get(), chain.get(), 1) == 1;
}

Expected<ServerCertificatePtr> loadServerCertificate(
    const QString &certFile, const QString &keyFile)
{
    auto certPem = pemFrom(certFile);
    if (!certPem)
        return certPem.error();
    auto keyPem = pemFrom(keyFile);
    if (!keyPem)
        return keyPem.error();
    auto certs = certificatesFromPem(*certPem, originOf(certFile));
    if (!certs)
        return certs.error();
    auto key = privateKeyFromPem(*keyPem, originOf(keyFile));
    if (!key)
        return key.error();
    clearOpensslErrors();
    if (X509_check_private_key(certs->front().get(), key->get()) != 1) {
        clearOpensslErrors();
        return Error { QStringLiteral("the key in \"%1\" does not belong to the certificate in "
                                      "\"%2\"")
                           .arg(originOf(keyFile), originOf(certFile)),
            {}, QStringLiteral("check that certFile and keyFile are a pair") };
    }
    auto out = std::make_shared<ServerCertificate>();
    collectNames(certs->front().get(), *out);
    out->chain = makeChain(*certs);
    out->certificate = share(std::move(certs->front()));
    out->key = share(std::move(*key));
    out->origin = originOf(certFile);
    return ServerCertificatePtr(std::move(out));
}

Expected<QList<SharedX509>> loadCertificates(const QString &fileOrPem)
{
    auto pem = pemFrom(fileOrPem);
    if (!pem)
        return pem.error();
    auto certs = certificatesFromPem(*pem, originOf(fileOrPem));
    if (!certs)
        return certs.error();
    QList<SharedX509> out;
    for (X509Ptr &cert : *certs)
        out << share(std::move(cert));
    return out;
}

namespace {

Expected<ServerCertificatePtr> buildDefaultCertificate()
{
    auto key = generateKey();
    if (!key)
        return key.error();
    auto name = makeName({ { "CN", QStringLiteral("PORTICO DEFAULT CERT") } });
    if (!name)
        return name.error();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto cert = newCertificate(
        { key->get(), name->get(), name->get(), now.addSecs(-3600), now.addDays(365) });
    if (!cert)
        return cert.error();
    const GeneralNamesPtr san(GENERAL_NAMES_new());
    GeneralNamePtr entry = dnsGeneralName("portico.default.invalid"); // RFC 6761 §6.4
    if (!san || !entry || !sk_GENERAL_NAME_push(san.get(), entry.get()))
        return opensslError(QStringLiteral("cannot build the default certificate"));
    entry.release();
    Expected<void> ok
        = addConfExtension(cert->get(), cert->get(), NID_basic_constraints, "CA:FALSE");
    if (ok)
        ok = addExtension(cert->get(), NID_subject_alt_name, san.get(), false);
    if (ok)
        ok = signCertificate(cert->get(), key->get());
    if (!ok)
        return ok.error();
    auto out = std::make_shared<ServerCertificate>();
    out->dnsNames << QStringLiteral("portico.default.invalid");
    out->certificate = share(std::move(*cert));
    out->key = share(std::move(*key));
    out->origin = QStringLiteral("generated default certificate");
    return ServerCertificatePtr(std::move(out));
}

} // namespace

Expected<ServerCertificatePtr> generatedDefaultCertificate()
{
    // Made once: a new default per configuration change would only confuse pinning tools.
    static const Expected<ServerCertificatePtr> made = buildDefaultCertificate();
    return made;
}

} // namespace portico::tls
