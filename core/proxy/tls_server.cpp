#include "core/proxy/tls_server.h"

#include "core/common/log.h"
#include "core/proxy/engine.h"
#include "core/proxy/stream.h"
#include "core/tls/tls_config.h"

#include <openssl/ssl.h>

namespace portico::proxy {

namespace {

/// The SSL's back-pointer to its handshake, read by the client-hello callback.
int handshakeIndex()
{
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

/// The host_name entry of the server_name extension (RFC 6066 §3), lower-case, without a
/// trailing dot; empty when absent or malformed.
QString sniFromClientHello(SSL *ssl)
{
    const unsigned char *p = nullptr;
    size_t len = 0;
    if (!SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &p, &len) || len < 2)
        return {};
    if (size_t((p[0] << 8) | p[1]) + 2 != len)
        return {};
    p += 2;
    len -= 2;
    while (len >= 3) {
        const size_t nameLen = size_t((p[1] << 8) | p[2]);
        if (nameLen + 3 > len)
            return {};
        if (p[0] == TLSEXT_NAMETYPE_host_name) {
            QString name
                = QString::fromLatin1(reinterpret_cast<const char *>(p + 3), qsizetype(nameLen));
            if (name.endsWith(u'.'))
                name.chop(1);
            return name.toLower();
        }
        p += nameLen + 3;
        len -= nameLen + 3;
    }
    return {};
}

/// The address the client connected to, as canonical text (`127.0.0.1`, `::1`); clients send no
/// SNI for IP literals (RFC 6066 §3), so this names the leaf instead.
QString localAddressText(net::Handle socket)
{
    BIO_ADDR *addr = BIO_ADDR_new();
    BIO_sock_info_u info;
    info.addr = addr;
    QString out;
    if (addr && BIO_sock_info(int(socket), BIO_SOCK_INFO_ADDRESS, &info)) {
        if (char *host = BIO_ADDR_hostname_string(addr, 1)) {
            out = QString::fromLatin1(host);
            OPENSSL_free(host);
        }
    }
    BIO_ADDR_free(addr);
    // A dual-stack socket reports IPv4 clients as IPv4-mapped IPv6 (RFC 4291 §2.5.5.2).
    if (out.startsWith(QLatin1String("::ffff:")) && out.contains(u'.'))
        out = out.mid(7);
    return tls::parseDevName(out).ok() ? tls::parseDevName(out)->text : out;
}

} // namespace

// ---- TlsLeafWaiters ----

void TlsLeafWaiters::configure(std::shared_ptr<const tls::CertificateStore> store,
    tls::NamePolicy policy, std::function<void(const QString &)> request)
{
    m_store = std::move(store);
    m_policy = std::move(policy);
    m_request = std::move(request);
}

void TlsLeafWaiters::wait(const QString &name, TlsServerHandshake *handshake)
{
    auto &list = m_waiting[name];
    const bool first = list.empty();
    if (std::find(list.begin(), list.end(), handshake) == list.end())
        list.push_back(handshake);
    if (first && m_request)
        m_request(name);
}

void TlsLeafWaiters::renew(const QString &name)
{
    if (m_request && m_renewing.insert(name).second)
        m_request(name);
}

void TlsLeafWaiters::forget(TlsServerHandshake *handshake)
{
    for (auto &[name, list] : m_waiting)
        list.erase(std::remove(list.begin(), list.end(), handshake), list.end());
}

void TlsLeafWaiters::onLeafReady(
    const QString &name, bool ok, const std::shared_ptr<const tls::CertificateStore> &store)
{
    if (store)
        m_store = store;
    m_renewing.erase(name);
    const auto it = m_waiting.find(name);
    if (it == m_waiting.end())
        return;
    const std::vector<TlsServerHandshake *> waiting = std::move(it->second);
    m_waiting.erase(it);
    for (TlsServerHandshake *handshake : waiting)
        handshake->resume(!ok);
}

void TlsLeafWaiters::onStoreChanged(const std::shared_ptr<const tls::CertificateStore> &store)
{
    if (store)
        m_store = store;
}

void TlsLeafWaiters::onCaChanged(
    const std::shared_ptr<const tls::CertificateStore> &store, const tls::NamePolicy &policy)
{
    if (!m_policy)
        return; // on-demand leaves are off on this engine
    m_store = store;
    m_policy = policy;
    m_renewing.clear();
}

// ---- TlsServerHandshake ----

TlsServerHandshake::TlsServerHandshake(
    Engine &engine, Stream &stream, QString entryPoint, RoutingTablePtr table)
    : m_engine(engine)
    , m_stream(stream)
    , m_entryPoint(std::move(entryPoint))
    , m_table(std::move(table))
{ }

TlsServerHandshake::~TlsServerHandshake()
{
    m_engine.tlsLeaves().forget(this);
    if (SSL *ssl = m_stream.tlsSession())
        SSL_set_ex_data(ssl, handshakeIndex(), nullptr);
}

bool TlsServerHandshake::available(const RoutingTablePtr &table)
{
    return table && table->tls;
}

void TlsServerHandshake::start(qint64 nowMs)
{
    m_started = true;
    m_startedAt = nowMs;
    SSL *ssl = SSL_new(m_table->tls->defaultOptions()->context.get());
    if (ssl)
        SSL_set_ex_data(ssl, handshakeIndex(), this);
    m_stream.startTlsServer(ssl); // reports a failure (null) through onStreamError
}

QByteArray TlsServerHandshake::finish()
{
    m_done = true;
    const unsigned char *alpn = nullptr;
    unsigned int len = 0;
    if (SSL *ssl = m_stream.tlsSession())
        SSL_get0_alpn_selected(ssl, &alpn, &len);
    return alpn ? QByteArray(reinterpret_cast<const char *>(alpn), int(len)) : QByteArray();
}

bool TlsServerHandshake::timedOut(qint64 nowMs, qint64 readTimeoutMs) const
{
    const qint64 limit = readTimeoutMs > 0 ? std::min(readTimeoutMs, kTlsHandshakeTimeoutMs)
                                           : kTlsHandshakeTimeoutMs;
    return inProgress() && nowMs - m_startedAt > limit;
}

void TlsServerHandshake::resume(bool leafFailed)
{
    m_leafFailed = leafFailed;
    m_stream.resumeHandshake();
}

int TlsServerHandshake::clientHelloCallback(SSL *ssl, int *alert, void *)
{
    auto *handshake = static_cast<TlsServerHandshake *>(SSL_get_ex_data(ssl, handshakeIndex()));
    return handshake ? handshake->onClientHello(ssl, alert) : SSL_CLIENT_HELLO_SUCCESS;
}

void TlsServerHandshake::resolveName(SSL *ssl)
{
    if (m_nameResolved)
        return;
    m_nameResolved = true;
    m_name = sniFromClientHello(ssl);
    m_fromSni = !m_name.isEmpty();
    if (!m_fromSni)
        m_name = localAddressText(m_stream.socketHandle());
}

tls::ServerOptionsPtr TlsServerHandshake::optionsFor(const QString &name) const
{
    // Traefik picks TLS options by the SNI host of the TLS routers' Host rules.
    if (const EntryPointRoutes *routes = m_table->forEntryPoint(m_entryPoint, true)) {
        const auto it = routes->tlsOptionsByHost.find(name);
        if (it != routes->tlsOptionsByHost.end())
            return it->second;
    }
    return m_table->tls->defaultOptions();
}

int TlsServerHandshake::onClientHello(SSL *ssl, int *alert)
{
    using Kind = tls::CertificateChoice::Kind;
    resolveName(ssl);
    const tls::TlsConfig &config = *m_table->tls;
    const tls::ServerOptionsPtr options = optionsFor(m_name);
    if (SSL_get_SSL_CTX(ssl) != options->context.get())
        SSL_set_SSL_CTX(ssl, options->context.get());
    options->applyTo(ssl);
    TlsLeafWaiters &leaves = m_engine.tlsLeaves();
    const tls::CertificateChoice choice = tls::chooseCertificate(config, leaves.store(),
        leaves.policy(), m_name, m_fromSni, options->sniStrict, m_leafFailed);
    bool ok = false;
    switch (choice.kind) {
    case Kind::IssueLeaf:
        // Suspended (SSL_ERROR_WANT_CLIENT_HELLO_CB) until the control thread issued the leaf.
        leaves.wait(m_name, this);
        return SSL_CLIENT_HELLO_RETRY;
    case Kind::Refuse:
        qCDebug(lcProxy) << "TLS handshake refused (sniStrict) for" << m_name;
        *alert = SSL_AD_UNRECOGNIZED_NAME;
        return SSL_CLIENT_HELLO_ERROR;
    case Kind::Leaf:
        if (choice.leaf->needsRenewal(QDateTime::currentDateTimeUtc()))
            leaves.renew(m_name);
        ok = SSL_use_cert_and_key(
                 ssl, choice.leaf->certificate.get(), choice.leaf->key.get(), nullptr, 1)
            == 1;
        break;
    case Kind::User:
        ok = choice.user->useOn(ssl);
        break;
    case Kind::Default:
        ok = config.defaultCertificate->useOn(ssl);
        break;
    }
    if (!ok) {
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_CLIENT_HELLO_ERROR;
    }
    return SSL_CLIENT_HELLO_SUCCESS;
}

} // namespace portico::proxy
