#include "core/proxy/tls_client.h"

#include "core/common/log.h"
#include "core/config/dynamic_spec.h"
#include "core/proxy/tls_client_pki.h"

#include <QHostAddress>
#include <QSet>

#include <mutex>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace portico::proxy {

namespace {

/// ALPN protocol lists in wire format (length-prefixed names, RFC 7301 §3.1).
constexpr unsigned char kAlpnHttp1[] = { 8, 'h', 't', 't', 'p', '/', '1', '.', '1' };
constexpr unsigned char kAlpnH2OrHttp1[]
    = { 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1' };

/// The SSL's pointer to the `peerCertURI` its verification checks (owned by the transport).
int peerUriIndex()
{
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

/// Verification with `peerCertURI`: the chain as usual, then the leaf's URI SAN instead of the
/// host name (Traefik checks the URI, not the name, when one is configured).
int verifyPeerUri(int preverified, X509_STORE_CTX *ctx)
{
    if (!preverified || X509_STORE_CTX_get_error_depth(ctx) != 0)
        return preverified;
    const auto *ssl = static_cast<const SSL *>(
        X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
    const auto *uri
        = ssl ? static_cast<const QString *>(SSL_get_ex_data(ssl, peerUriIndex())) : nullptr;
    if (!uri || pki::hasUriSan(X509_STORE_CTX_get_current_cert(ctx), uri->toUtf8()))
        return 1;
    X509_STORE_CTX_set_error(ctx, X509_V_ERR_HOSTNAME_MISMATCH);
    return 0;
}

/// `serverName` replaces the URL's host as SNI and as the name the certificate must match.
void useServerName(SSL *ssl, const QString &serverName, bool verify)
{
    const QByteArray name = serverName.toUtf8();
    SSL_set_tlsext_host_name(ssl, name.constData());
    if (!verify)
        return;
    X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set1_ip(param, nullptr, 0); // set for an IP literal URL host
    QHostAddress ip;
    if (ip.setAddress(serverName))
        X509_VERIFY_PARAM_set1_ip_asc(param, name.constData());
    else
        SSL_set1_host(ssl, name.constData());
}

/// Presents the transport's first client certificate; one that cannot be loaded is logged and
/// none is sent (a server requiring one then refuses the handshake: 502).
void useClientCertificate(SSL *ssl, const config::ClientCertificateSpec &spec)
{
    QString error;
    const pki::ClientIdentity *identity = pki::clientIdentity(spec, &error);
    if (!identity) {
        qCWarning(lcProxy).noquote()
            << QStringLiteral("serversTransport.certificates: %1").arg(error);
        return;
    }
    SSL_use_cert_and_key(ssl, identity->certificate, identity->key, identity->chain, 1);
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
    const bool verify = verifiesPeer(transport);
    if (!transport.serverName.isEmpty())
        useServerName(ssl, transport.serverName, verify);
    if (verify && !transport.rootCAs.isEmpty())
        SSL_set1_verify_cert_store(ssl, pki::rootCaStore(transport.rootCAs));
    if (!transport.certificates.empty())
        useClientCertificate(ssl, transport.certificates.front());
    if (!transport.peerCertURI.isEmpty()) {
        SSL_set1_host(ssl, nullptr);
        X509_VERIFY_PARAM_set1_ip(SSL_get0_param(ssl), nullptr, 0);
        SSL_set_ex_data(ssl, peerUriIndex(), const_cast<QString *>(&transport.peerCertURI));
        SSL_set_verify(ssl, SSL_VERIFY_PEER, verifyPeerUri);
    }
}

bool verifiesPeer(const config::ServersTransportSpec &transport)
{
    return !transport.insecureSkipVerify || !transport.peerCertURI.isEmpty();
}

Expected<void> checkUpstreamTls(const config::ServersTransportSpec &transport)
{
    for (const QString &entry : transport.rootCAs) {
        const QByteArray pem = pki::readPem(entry);
        if (!pem.contains("-----BEGIN CERTIFICATE-----"))
            return Error { QStringLiteral("rootCAs: \"%1\" holds no readable PEM certificate")
                               .arg(entry.left(80)),
                { {}, 0, 0, QStringLiteral("rootCAs") },
                QStringLiteral("give a PEM file path or the PEM text itself") };
    }
    for (const config::ClientCertificateSpec &spec : transport.certificates) {
        QString error;
        if (!pki::clientIdentity(spec, &error))
            return Error { QStringLiteral("certificates: %1").arg(error),
                { {}, 0, 0, QStringLiteral("certificates") },
                QStringLiteral("certFile and keyFile take PEM file paths or PEM text") };
    }
    return {};
}

void logUpstreamTlsFailure(const QString &host, quint16 port, const QByteArray &error,
    const config::ServersTransportSpec &transport)
{
    QString hint;
    if (!transport.peerCertURI.isEmpty() && error.contains("mismatch"))
        hint = QStringLiteral(" (the certificate lacks the URI SAN \"%1\" of peerCertURI)")
                   .arg(transport.peerCertURI);
    else if (error.contains("mismatch"))
        hint = QStringLiteral(" (set serversTransport serverName to the name the certificate "
                              "carries)");
    else if (error.contains("issuer") || error.contains("self-signed"))
        hint = QStringLiteral(" (trust its CA with serversTransport rootCAs)");
    const QString line = QStringLiteral("tls handshake with upstream %1:%2 failed: %3%4")
                             .arg(host)
                             .arg(port)
                             .arg(QString::fromUtf8(error), hint);
    // An error the first time (visible at the default log level, next to the 502s), then at
    // debug level: every request to a misconfigured server fails the same way.
    static std::mutex mutex;
    static QSet<QString> reported;
    std::unique_lock lock(mutex);
    const bool first = !reported.contains(line) && reported.size() < 1000;
    if (first)
        reported.insert(line);
    lock.unlock();
    if (first)
        qCCritical(lcProxy).noquote() << line;
    else
        qCDebug(lcProxy).noquote() << line;
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
