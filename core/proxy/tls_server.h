#pragma once

#include "core/proxy/entry_point.h"
#include "core/proxy/routing_table.h"
#include "core/tls/certificate_store.h"
#include "core/tls/dev_names.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

typedef struct ssl_st SSL;

namespace portico::proxy {

class Engine;
class Stream;
class TlsServerHandshake;

/// Traefik sniffs the first byte of every connection: a TLS record starts with 0x16 (handshake,
/// RFC 8446 §5.1); anything else is served as plain HTTP on the same entry point.
constexpr char kTlsHandshakeRecord = 0x16;
/// A handshake must finish within this (or the entry point's readTimeout when shorter).
constexpr qint64 kTlsHandshakeTimeoutMs = 10000;

/// One engine's view of the local CA's leaves: the latest store snapshot, the CA's name policy,
/// and the handshakes suspended until the control thread issued a leaf for their name. Engine
/// thread only; each name is requested once however many handshakes wait for it.
class TlsLeafWaiters
{
public:
    /// Enables on-demand leaves: `request` posts a name to the issuer (thread-safe).
    void configure(std::shared_ptr<const tls::CertificateStore> store, tls::NamePolicy policy,
        std::function<void(const QString &)> request);
    bool enabled() const { return m_policy.has_value(); }
    const tls::CertificateStore *store() const { return m_store.get(); }
    const tls::NamePolicy *policy() const { return m_policy ? &*m_policy : nullptr; }

    /// Suspends `handshake` until the leaf for `name` is ready (requested on first wait).
    void wait(const QString &name, TlsServerHandshake *handshake);
    /// Asks for a renewal of `name` without waiting (a leaf close to expiry still serves).
    void renew(const QString &name);
    /// A handshake that goes away stops waiting.
    void forget(TlsServerHandshake *handshake);
    /// The issuer's answer: resumes every handshake waiting for `name`.
    void onLeafReady(
        const QString &name, bool ok, const std::shared_ptr<const tls::CertificateStore> &store);
    /// A new snapshot without a request (renewals).
    void onStoreChanged(const std::shared_ptr<const tls::CertificateStore> &store);
    /// Another root replaced the CA: its (empty) store and the names it may certify.
    void onCaChanged(
        const std::shared_ptr<const tls::CertificateStore> &store, const tls::NamePolicy &policy);

private:
    std::shared_ptr<const tls::CertificateStore> m_store;
    std::optional<tls::NamePolicy> m_policy;
    std::function<void(const QString &)> m_request;
    std::unordered_map<QString, std::vector<TlsServerHandshake *>> m_waiting;
    std::unordered_set<QString> m_renewing;
};

/// The server side of one TLS handshake on an accepted connection: creates the OpenSSL session
/// from the routing table's TLS configuration, and from its client-hello callback picks the TLS
/// options (by the SNI host's routers) and the certificate (chooseCertificate), suspending the
/// handshake while the local CA issues a leaf for a new name.
class TlsServerHandshake
{
public:
    TlsServerHandshake(Engine &engine, Stream &stream, QString entryPoint, RoutingTablePtr table);
    ~TlsServerHandshake();
    TlsServerHandshake(const TlsServerHandshake &) = delete;
    TlsServerHandshake &operator=(const TlsServerHandshake &) = delete;

    /// Whether a TLS connection can be accepted with this table (it has a TLS configuration).
    static bool available(const RoutingTablePtr &table);
    /// Starts the handshake with the bytes the stream already read; the stream reports
    /// onStreamConnected when it completes and onStreamError when it fails.
    void start(qint64 nowMs);
    /// True from start() until the stream completed the handshake.
    bool inProgress() const { return m_started && !m_done; }
    /// Marks the handshake finished; returns the negotiated ALPN protocol (empty when none).
    QByteArray finish();
    /// Whether the handshake has taken longer than allowed at `nowMs`.
    bool timedOut(qint64 nowMs, qint64 readTimeoutMs) const;
    /// The server name the certificate was chosen for (SNI, or the local address).
    const QString &serverName() const { return m_name; }

    /// Continues after the issuer answered; `leafFailed`: serve the default certificate.
    void resume(bool leafFailed);
    /// OpenSSL's client-hello callback, installed on every server options context.
    static int clientHelloCallback(SSL *ssl, int *alert, void *arg);

private:
    int onClientHello(SSL *ssl, int *alert);
    void resolveName(SSL *ssl);
    tls::ServerOptionsPtr optionsFor(const QString &name) const;

    Engine &m_engine;
    Stream &m_stream;
    QString m_entryPoint;
    RoutingTablePtr m_table; ///< the table the handshake started with (TLS config, options)
    QString m_name;
    qint64 m_startedAt = 0;
    bool m_nameResolved = false;
    bool m_fromSni = false;
    bool m_leafFailed = false;
    bool m_started = false;
    bool m_done = false;
};

} // namespace portico::proxy
