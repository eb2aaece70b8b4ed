#include "core/proxy/tls_client.h"

#include "core/common/log.h"
#include "core/config/static_spec.h"

#include <QFile>

#include <map>
#include <mutex>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace portico::proxy {

namespace {

/// ALPN protocol lists in wire format (length-prefixed names, RFC 7301 §3.1).
constexpr unsigned char kAlpnHttp1[] = { 8, 'h', 't', 't', 'p', '/', '1', '.', '1' };
constexpr unsigned char kAlpnH2OrHttp1[]
    = { 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1' };

/// Adds every certificate of one rootCAs entry (a PEM file path, or PEM text as Traefik also
/// accepts) to `store`; false when there is none.
bool addRootCas(X509_STORE *store, const QString &entry)
{
    QByteArray pem = entry.toUtf8();
    if (!pem.trimmed().startsWith("-----BEGIN")) {
        QFile file(entry);
        if (!file.open(QIODevice::ReadOnly))
            return false;
        pem = file.readAll();
    }
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

/// The trust store of a rootCAs list, built once per distinct list and kept for the process
/// (engine threads share it; X509_STORE is safe for concurrent verification).
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

void prepareUpstreamTls(SSL *ssl, const config::ServersTransportSpec &transport, AlpnOffer offer)
{
    if (!ssl)
        return;
    if (offer == AlpnOffer::H2OrHttp1)
        SSL_set_alpn_protos(ssl, kAlpnH2OrHttp1, sizeof kAlpnH2OrHttp1);
    else
        SSL_set_alpn_protos(ssl, kAlpnHttp1, sizeof kAlpnHttp1);
    if (!transport.insecureSkipVerify && !transport.rootCAs.isEmpty())
        SSL_set1_verify_cert_store(ssl, rootCaStore(transport.rootCAs));
}

bool negotiatedH2(const SSL *ssl)
{
    const unsigned char *name = nullptr;
    unsigned int length = 0;
    if (ssl)
        SSL_get0_alpn_selected(ssl, &name, &length);
    return length == 2 && name[0] == 'h' && name[1] == '2';
}

} // namespace portico::proxy
