#include "core/tls/server_options.h"

#include "core/common/suggest.h"
#include "core/tls/openssl_error.h"
#include "core/tls/server_certificate.h"
#include "core/tls/server_context.h"

#include <openssl/pem.h>
#include <utility>

namespace portico::tls {

namespace {

Error fieldError(const QString &field, QString message, QString hint = {})
{
    return Error { std::move(message), { QString(), 0, 0, field }, std::move(hint) };
}

int versionFromName(const QString &name, int fallback)
{
    static const std::pair<const char *, int> versions[]
        = { { "VersionTLS10", TLS1_VERSION }, { "VersionTLS11", TLS1_1_VERSION },
              { "VersionTLS12", TLS1_2_VERSION }, { "VersionTLS13", TLS1_3_VERSION } };
    for (const auto &[text, version] : versions) {
        if (name == QLatin1String(text))
            return version;
    }
    return fallback;
}

/// Go's crypto/tls names (what Traefik users write) → OpenSSL's, for TLS 1.0–1.2 suites.
const std::pair<const char *, const char *> kCipherSuites[] = {
    { "TLS_RSA_WITH_AES_128_CBC_SHA", "AES128-SHA" },
    { "TLS_RSA_WITH_AES_256_CBC_SHA", "AES256-SHA" },
    { "TLS_RSA_WITH_AES_128_CBC_SHA256", "AES128-SHA256" },
    { "TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256" },
    { "TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384" },
    { "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "ECDHE-ECDSA-AES128-SHA" },
    { "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", "ECDHE-ECDSA-AES256-SHA" },
    { "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA" },
    { "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", "ECDHE-RSA-AES256-SHA" },
    { "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "ECDHE-ECDSA-AES128-SHA256" },
    { "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", "ECDHE-RSA-AES128-SHA256" },
    { "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "ECDHE-RSA-AES128-GCM-SHA256" },
    { "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256" },
    { "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384" },
    { "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384" },
    { "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-RSA-CHACHA20-POLY1305" },
    { "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-CHACHA20-POLY1305" },
    { "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305", "ECDHE-RSA-CHACHA20-POLY1305" },
    { "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305", "ECDHE-ECDSA-CHACHA20-POLY1305" },
};

/// TLS 1.3 suites are fixed, as in Go: named in a list they are accepted and change nothing.
bool isTls13Suite(const QString &name)
{
    return name == QLatin1String("TLS_AES_128_GCM_SHA256")
        || name == QLatin1String("TLS_AES_256_GCM_SHA384")
        || name == QLatin1String("TLS_CHACHA20_POLY1305_SHA256");
}

Expected<QByteArray> cipherList(const QStringList &names)
{
    QByteArrayList out;
    QStringList known;
    for (const auto &[go, openssl] : kCipherSuites)
        known << QLatin1String(go);
    for (const QString &name : names) {
        const qsizetype i = known.indexOf(name);
        if (i >= 0)
            out << kCipherSuites[i].second;
        else if (!isTls13Suite(name))
            return fieldError(QStringLiteral("cipherSuites"),
                QStringLiteral("unknown cipher suite \"%1\"").arg(name), didYouMean(name, known));
    }
    return out.join(':');
}

Expected<QByteArray> groupList(const QStringList &names)
{
    static const std::pair<const char *, const char *> curves[]
        = { { "CurveP256", "P-256" }, { "secp256r1", "P-256" }, { "CurveP384", "P-384" },
              { "secp384r1", "P-384" }, { "CurveP521", "P-521" }, { "secp521r1", "P-521" },
              { "X25519", "X25519" }, { "x25519", "X25519" } };
    QByteArrayList out;
    for (const QString &name : names) {
        const char *group = nullptr;
        QStringList known;
        for (const auto &[go, openssl] : curves) {
            known << QLatin1String(go);
            if (name == QLatin1String(go))
                group = openssl;
        }
        if (!group)
            return fieldError(QStringLiteral("curvePreferences"),
                QStringLiteral("unknown curve \"%1\"").arg(name), didYouMean(name, known));
        out << group;
    }
    return out.join(':');
}

int acceptAnyClientCertificate(int, X509_STORE_CTX *)
{
    return 1; // RequestClientCert / RequireAnyClientCert: presence only, as Go does
}

/// `clientAuth`: caFiles become the verification store and the advertised CA list.
Expected<void> setClientAuth(SSL_CTX *ctx, const config::TlsOptionsSpec &spec, ServerOptions &o)
{
    QString type = spec.clientAuthType;
    if (type.isEmpty())
        type = spec.clientAuthCaFiles.isEmpty() ? QStringLiteral("NoClientCert")
                                                : QStringLiteral("RequireAndVerifyClientCert");
    const bool require = type == QLatin1String("RequireAnyClientCert")
        || type == QLatin1String("RequireAndVerifyClientCert");
    o.verifyClientChain = type == QLatin1String("VerifyClientCertIfGiven")
        || type == QLatin1String("RequireAndVerifyClientCert");
    o.verifyMode = type == QLatin1String("NoClientCert")
        ? SSL_VERIFY_NONE
        : SSL_VERIFY_PEER | (require ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0);
    if (o.verifyClientChain && spec.clientAuthCaFiles.isEmpty())
        return fieldError(QStringLiteral("clientAuth"),
            QStringLiteral("clientAuthType \"%1\" needs caFiles").arg(type),
            QStringLiteral("list the CA certificates client certificates must chain to"));
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    STACK_OF(X509_NAME) *names = sk_X509_NAME_new_null();
    for (const QString &file : spec.clientAuthCaFiles) {
        auto loaded = loadCertificates(file);
        if (!loaded) {
            sk_X509_NAME_pop_free(names, X509_NAME_free);
            Error e = loaded.error();
            e.where.path = QStringLiteral("clientAuth.caFiles");
            return e;
        }
        for (const SharedX509 &ca : *loaded) {
            X509_STORE_add_cert(store, ca.get());
            sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(ca.get())));
        }
    }
    SSL_CTX_set_client_CA_list(ctx, names);
    return {};
}

} // namespace

QList<QByteArray> supportedAlpnProtocols()
{
    return { QByteArrayLiteral("h2"), QByteArrayLiteral("http/1.1") }; // Traefik's order
}

void ServerOptions::applyTo(SSL *ssl) const
{
    SSL_set_min_proto_version(ssl, minVersion);
    SSL_set_max_proto_version(ssl, maxVersion);
    if (!cipherList.isEmpty())
        SSL_set_cipher_list(ssl, cipherList.constData());
    if (!groups.isEmpty())
        SSL_set1_groups_list(ssl, groups.constData());
    SSL_set_verify(ssl, verifyMode, verifyClientChain ? nullptr : acceptAnyClientCertificate);
}

Expected<ServerOptionsPtr> compileServerOptions(const QString &qualifiedName,
    const config::TlsOptionsSpec &spec, SSL_client_hello_cb_fn helloCallback)
{
    auto o = std::make_shared<ServerOptions>();
    o->name = qualifiedName;
    o->minVersion = versionFromName(spec.minVersion, TLS1_2_VERSION);
    o->maxVersion = versionFromName(spec.maxVersion, 0);
    o->sniStrict = spec.sniStrict;
    if (o->maxVersion != 0 && o->maxVersion < o->minVersion)
        return fieldError(QStringLiteral("maxVersion"),
            QStringLiteral("maxVersion \"%1\" is below minVersion \"%2\"")
                .arg(spec.maxVersion, spec.minVersion));
    auto ciphers = cipherList(spec.cipherSuites);
    if (!ciphers)
        return ciphers.error();
    o->cipherList = *ciphers;
    auto groups = groupList(spec.curvePreferences);
    if (!groups)
        return groups.error();
    o->groups = *groups;
    const QList<QByteArray> supported = supportedAlpnProtocols();
    for (const QString &p : spec.alpnProtocols) {
        if (supported.contains(p.toLatin1()))
            o->alpn << p.toLatin1();
    }
    if (spec.alpnProtocols.isEmpty())
        o->alpn = supported;

    clearOpensslErrors();
    SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
    if (!ctx)
        return opensslError(QStringLiteral("cannot create a TLS server context"));
    SSL_CTX_set_min_proto_version(ctx.get(), o->minVersion);
    SSL_CTX_set_max_proto_version(ctx.get(), o->maxVersion);
    SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // A session id context is required once client certificates are verified (resumption).
    SSL_CTX_set_session_id_context(
        ctx.get(), reinterpret_cast<const unsigned char *>("portico"), 7);
    if (!o->cipherList.isEmpty()
        && SSL_CTX_set_cipher_list(ctx.get(), o->cipherList.constData()) != 1)
        return fieldError(QStringLiteral("cipherSuites"),
            QStringLiteral("none of the cipher suites is available in this OpenSSL"));
    if (!o->groups.isEmpty() && SSL_CTX_set1_groups_list(ctx.get(), o->groups.constData()) != 1)
        return fieldError(QStringLiteral("curvePreferences"),
            QStringLiteral("a curve is not available in this OpenSSL"));
    if (auto auth = setClientAuth(ctx.get(), spec, *o); !auth)
        return auth.error();
    if (auto alpn = setServerAlpn(ctx.get(), o->alpn); !alpn)
        return alpn.error();
    if (helloCallback)
        SSL_CTX_set_client_hello_cb(ctx.get(), helloCallback, nullptr);
    o->context = share(std::move(ctx));
    return ServerOptionsPtr(std::move(o));
}

} // namespace portico::tls
