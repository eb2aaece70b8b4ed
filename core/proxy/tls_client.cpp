#include "core/proxy/tls_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace portico::proxy {

namespace {

/// One context per verification mode, shared by every engine thread (SSL_CTX is thread-safe once
/// configured; sessions are per connection).
SSL_CTX *clientContext(bool verify)
{
    static SSL_CTX *const contexts[2] = {
        [] {
            SSL_CTX *c = SSL_CTX_new(TLS_client_method());
            SSL_CTX_set_verify(c, SSL_VERIFY_NONE, nullptr);
            SSL_CTX_set_options(c, SSL_OP_IGNORE_UNEXPECTED_EOF);
            return c;
        }(),
        [] {
            SSL_CTX *c = SSL_CTX_new(TLS_client_method());
            SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
            SSL_CTX_set_default_verify_paths(c);
            SSL_CTX_set_options(c, SSL_OP_IGNORE_UNEXPECTED_EOF);
            return c;
        }(),
    };
    return contexts[verify ? 1 : 0];
}

} // namespace

QByteArray takeTlsErrors()
{
    QByteArray text;
    while (const unsigned long e = ERR_get_error()) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!text.isEmpty())
            text += "; ";
        text += buf;
    }
    return text;
}

SSL *newTlsClientSession(const QByteArray &host, bool sni, bool verify, QByteArray *error)
{
    SSL_CTX *ctx = clientContext(verify);
    SSL *ssl = ctx ? SSL_new(ctx) : nullptr;
    if (!ssl) {
        *error = takeTlsErrors();
        return nullptr;
    }
    SSL_set_mode(ssl, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (sni)
        SSL_set_tlsext_host_name(ssl, host.constData());
    if (verify) {
        // Names are checked as DNS names or IP literals, whichever `host` is.
        if (sni)
            SSL_set1_host(ssl, host.constData());
        else
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.constData());
    }
    SSL_set_connect_state(ssl);
    return ssl;
}

} // namespace portico::proxy
