#pragma once

#include "core/common/error.h"
#include "core/config/node.h"

#include <QString>
#include <QStringList>

#include <chrono>
#include <map>
#include <optional>
#include <vector>

namespace portico::config {

using std::chrono::milliseconds;

/// Where a dynamic object was defined and the errors found while reading it. An object with errors
/// is kept (so the API and GUI can show it) but disabled; the rest of the configuration serves.
struct Origin
{
    SourceLocation where; ///< the object's own key, e.g. `dev.yaml:3:5: http.routers.api`
    std::map<QString, SourceLocation> fields; ///< location of each field that was set, by key
    std::vector<Error> errors;

    /// Location of a field if known, else of the object.
    SourceLocation at(const QString &field) const;
};

/// A client certificate chain and its key (each a file path or inline PEM) that Portico presents
/// to upstream servers asking for one (mutual TLS).
struct ClientCertificateSpec
{
    QString certFile;
    QString keyFile;
    friend bool operator==(const ClientCertificateSpec &, const ClientCertificateSpec &) = default;
};

/// How Portico reaches upstream servers: the static `serversTransport` (the default) or one
/// dynamic `http.serversTransports.<name>` that a service selects with
/// `loadBalancer.serversTransport`.
struct ServersTransportSpec
{
    /// `serverName`: SNI and the name the server certificate must match; empty = the URL's host.
    QString serverName;
    bool insecureSkipVerify = false;
    /// `rootCAs`: PEM files (or PEM text) trusted instead of the system roots when set.
    QStringList rootCAs;
    /// `certificates`: client certificates for mutual TLS; the first one is presented.
    std::vector<ClientCertificateSpec> certificates;
    int maxIdleConnsPerHost = 200;
    /// `disableHTTP2`: `https://` servers are offered HTTP/1.1 only (no h2 by ALPN).
    bool disableHTTP2 = false;
    /// `peerCertURI`: the server certificate must carry this URI SAN (checked instead of the
    /// host name; the chain is still verified).
    QString peerCertURI;
    milliseconds dialTimeout { 30000 };
    milliseconds responseHeaderTimeout { 0 };
    milliseconds idleConnTimeout { 90000 };
    friend bool operator==(const ServersTransportSpec &, const ServersTransportSpec &) = default;
};

/// `http.serversTransports.<name>` of a dynamic configuration.
struct ServersTransportObjectSpec
{
    QString name;
    ServersTransportSpec transport;
    Origin origin;
};

struct RouterTlsSpec
{
    QString options;
    QString certResolver;
    struct Domain
    {
        QString main;
        QStringList sans;
    };
    std::vector<Domain> domains;
};

struct RouterSpec
{
    QString name; ///< as written (unqualified within its provider)
    QString rule;
    QString service;
    QStringList middlewares;
    qint64 priority = 0; ///< 0 = default (rule length)
    QStringList entryPoints; ///< empty = every entry point with asDefault (or all when none has)
    std::optional<RouterTlsSpec> tls;
    Origin origin;
};

struct ServerSpec
{
    QString url;
    int weight = 1;
    bool preservePath = false;
    friend bool operator==(const ServerSpec &, const ServerSpec &) = default;
};

struct HealthCheckSpec
{
    QString scheme; ///< overrides the server URL scheme when set
    QString mode = QStringLiteral("http");
    QString path;
    QString method = QStringLiteral("GET");
    QString hostname;
    int port = 0; ///< 0 = the server's port
    int status = 0; ///< expected status; 0 = any 2xx or 3xx
    milliseconds interval { 30000 };
    milliseconds unhealthyInterval { 0 }; ///< 0 = same as interval
    milliseconds timeout { 5000 };
    bool followRedirects = true;
    std::vector<std::pair<QString, QString>> headers;
    friend bool operator==(const HealthCheckSpec &, const HealthCheckSpec &) = default;
};

struct StickyCookieSpec
{
    QString name; ///< empty = generated from the service name
    bool secure = false;
    bool httpOnly = false;
    QString sameSite;
    int maxAge = 0;
    QString path = QStringLiteral("/");
    QString domain;
    friend bool operator==(const StickyCookieSpec &, const StickyCookieSpec &) = default;
};

struct LoadBalancerSpec
{
    std::vector<ServerSpec> servers;
    QString strategy = QStringLiteral("wrr");
    bool passHostHeader = true;
    std::optional<HealthCheckSpec> healthCheck;
    std::optional<StickyCookieSpec> stickyCookie;
    milliseconds flushInterval { 100 };
    QString serversTransport;
    friend bool operator==(const LoadBalancerSpec &, const LoadBalancerSpec &) = default;
};

struct ServiceSpec
{
    QString name;
    std::optional<LoadBalancerSpec> loadBalancer; ///< the only kind in this release
    Origin origin;
};

/// A middleware as configured: its kind (`stripPrefix`) and its options node, parsed by the
/// middleware registry when the routing table is built.
struct MiddlewareSpec
{
    QString name;
    QString kind;
    Node options;
    Origin origin;
};

/// `tls.certificates[]` (or a store's `defaultCertificate`): a PEM certificate (chain) and its
/// key, each a file path or inline PEM, as Traefik accepts.
struct TlsCertificateSpec
{
    QString certFile;
    QString keyFile;
    QStringList stores; ///< empty = the default store (the only one)
    SourceLocation where;
};

/// `tls.options.<name>`: the TLS parameters routers pick with `tls.options`.
struct TlsOptionsSpec
{
    QString name;
    QString minVersion; ///< `VersionTLS12` (Traefik's default) when empty
    QString maxVersion; ///< empty = the newest supported
    QStringList cipherSuites; ///< Go names, TLS 1.2 and older (1.3 suites are fixed, as in Go)
    QStringList curvePreferences; ///< `CurveP256`, `X25519`, ...
    QStringList alpnProtocols; ///< empty = the server's default list
    bool sniStrict = false;
    QStringList clientAuthCaFiles; ///< `clientAuth.caFiles`: paths or inline PEM
    QString clientAuthType; ///< `clientAuth.clientAuthType`; empty = NoClientCert
    Origin origin;
};

/// `tls.stores.<name>`: only `default` exists in Portico (as in Traefik's labels).
struct TlsStoreSpec
{
    QString name;
    std::optional<TlsCertificateSpec> defaultCertificate;
    QString defaultGeneratedCertMain; ///< `defaultGeneratedCert.domain.main` (informative)
    Origin origin;
};

/// `tcp.routers.<name>.tls`: present = the router serves TLS connections only, matched on the
/// ClientHello; `passthrough` forwards the encrypted bytes untouched, otherwise Portico
/// terminates TLS (certificate by SNI, as for HTTPS routers) and forwards the plain bytes.
struct TcpRouterTlsSpec
{
    bool passthrough = false;
    QString options;
    QString certResolver;
    std::vector<RouterTlsSpec::Domain> domains;
};

struct TcpRouterSpec
{
    QString name;
    QString rule;
    QString service;
    QStringList middlewares;
    qint64 priority = 0; ///< 0 = default (rule length)
    QStringList entryPoints; ///< empty = every entry point with asDefault (or all when none has)
    std::optional<TcpRouterTlsSpec> tls;
    Origin origin;
};

/// `tcp.services.<name>.loadBalancer.servers[]`: `address` is `host:port`.
struct TcpServerSpec
{
    QString address;
    bool tls = false; ///< dial the server with TLS (Traefik `tls: true`)

    /// Splits `address` into host (brackets removed) and port; false when it is no `host:port`.
    bool split(QString *host, quint16 *port) const;
    friend bool operator==(const TcpServerSpec &, const TcpServerSpec &) = default;
};

struct TcpLoadBalancerSpec
{
    std::vector<TcpServerSpec> servers;
    milliseconds terminationDelay { 100 }; ///< negative = wait forever after one side's FIN
    QString serversTransport;
    friend bool operator==(const TcpLoadBalancerSpec &, const TcpLoadBalancerSpec &) = default;
};

struct TcpWeightedSpec
{
    struct Child
    {
        QString name;
        int weight = 1;
        friend bool operator==(const Child &, const Child &) = default;
    };
    std::vector<Child> services;
    friend bool operator==(const TcpWeightedSpec &, const TcpWeightedSpec &) = default;
};

struct TcpServiceSpec
{
    QString name;
    std::optional<TcpLoadBalancerSpec> loadBalancer;
    std::optional<TcpWeightedSpec> weighted; ///< exactly one of the two
    Origin origin;
};

/// `tcp.middlewares.<name>`: `ipAllowList` (or its old name `ipWhiteList`) and `inFlightConn`.
struct TcpMiddlewareSpec
{
    QString name;
    QString kind; ///< `ipAllowList` or `inFlightConn`
    QStringList sourceRange; ///< ipAllowList: IPs and CIDRs allowed
    int amount = 0; ///< inFlightConn: simultaneous connections per client IP
    Origin origin;
};

/// One provider's whole view of the dynamic configuration (`http.*`), in definition order.
struct DynamicConfig
{
    std::vector<RouterSpec> routers;
    std::vector<ServiceSpec> services;
    std::vector<MiddlewareSpec> middlewares;
    std::vector<TlsCertificateSpec> tlsCertificates; ///< `tls.certificates`
    std::vector<TlsOptionsSpec> tlsOptions; ///< `tls.options`
    std::vector<TlsStoreSpec> tlsStores; ///< `tls.stores`
    std::vector<TcpRouterSpec> tcpRouters; ///< `tcp.routers`
    std::vector<TcpServiceSpec> tcpServices; ///< `tcp.services`
    std::vector<TcpMiddlewareSpec> tcpMiddlewares; ///< `tcp.middlewares`
    std::vector<ServersTransportObjectSpec> serversTransports; ///< `http.serversTransports`
    std::vector<Error> errors; ///< errors not attached to an object (bad top-level key, …)
};

} // namespace portico::config
