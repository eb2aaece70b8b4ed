#include "core/tls/server_context.h"

#include "core/tls/leaf_certificate.h"
#include "core/tls/openssl_error.h"

namespace portico::tls {

namespace {

void freeAlpn(void *, void *ptr, CRYPTO_EX_DATA *, int, long, void *)
{
    delete static_cast<QByteArray *>(ptr);
}

// The wire list lives in the SSL_CTX's ex_data so it dies with the context, whoever frees it.
int alpnIndex()
{
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, freeAlpn);
    return index;
}

int selectAlpn(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
    unsigned int inlen, void *)
{
    const auto *server
        = static_cast<const QByteArray *>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), alpnIndex()));
    if (!server || server->isEmpty())
        return SSL_TLSEXT_ERR_NOACK;
    unsigned char *chosen = nullptr;
    // Server preference first (RFC 7301 §3.2 leaves the choice to the server): h2 wins when
    // offered. No overlap → carry on without ALPN rather than abort: HTTP/1.1 is the default.
    const int r = SSL_select_next_proto(&chosen, outlen,
        reinterpret_cast<const unsigned char *>(server->constData()), unsigned(server->size()), in,
        inlen);
    if (r != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

} // namespace

QByteArray alpnWireList(const QList<QByteArray> &protocols)
{
    QByteArray wire;
    for (const QByteArray &p : protocols) {
        if (p.isEmpty() || p.size() > 255)
            continue;
        wire += char(p.size());
        wire += p;
    }
    return wire;
}

Expected<SslCtxPtr> makeServerContext(const LeafCertificate &leaf, const QList<QByteArray> &alpn)
{
    clearOpensslErrors();
    SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
    if (!ctx)
        return opensslError(QStringLiteral("cannot create a TLS server context"));
    const bool ok = SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION)
        && SSL_CTX_use_certificate(ctx.get(), leaf.certificate.get()) == 1
        && SSL_CTX_use_PrivateKey(ctx.get(), leaf.key.get()) == 1
        && SSL_CTX_check_private_key(ctx.get()) == 1;
    if (!ok) {
        return opensslError(
            QStringLiteral("cannot load the certificate for \"%1\"").arg(leaf.name.text));
    }
    SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (auto set = setServerAlpn(ctx.get(), alpn); !set)
        return set.error();
    return ctx;
}

Expected<void> setServerAlpn(SSL_CTX *ctx, const QList<QByteArray> &protocols)
{
    auto *wire = new QByteArray(alpnWireList(protocols));
    if (!SSL_CTX_set_ex_data(ctx, alpnIndex(), wire)) {
        delete wire;
        return opensslError(QStringLiteral("cannot attach the ALPN list"));
    }
    SSL_CTX_set_alpn_select_cb(ctx, selectAlpn, nullptr);
    return {};
}

} // namespace portico::tls
