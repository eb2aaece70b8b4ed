#include "core/config/address.h"
#include "core/config/schema.h"

#include <QHostAddress>

#include <algorithm>
#include <limits>

namespace portico::config::schema {

namespace {

/// `address`: required, `[host]:port` with an optional `/tcp` suffix.
void readAddress(MapReader &r, const Node::Entry &entry, EntryPointSpec &spec, Errors &errors)
{
    const Node node = r.take(QStringLiteral("address"));
    if (!node.isDefined() || node.isNull()) {
        addError(errors, entry.keyNode, QStringLiteral("missing \"address\""),
            QStringLiteral("for example address: \":8080\""));
        return;
    }
    if (!readString(node, spec.address, errors))
        return;
    const Expected<ListenAddress> address = parseListenAddress(spec.address);
    if (!address) {
        addError(errors, node, address.error().message, address.error().hint);
        return;
    }
    spec.host = address->host;
    spec.port = address->port;
}

/// `forwardedHeaders.trustedIPs`: addresses or CIDR ranges whose X-Forwarded-* are kept.
void readForwardedHeaders(const Node &node, EntryPointSpec &spec, Errors &errors)
{
    MapReader r(node, errors);
    const Node trusted = r.take(QStringLiteral("trustedIPs"));
    if (readStringList(trusted, spec.forwardedHeaders.trustedIPs, errors)) {
        const std::vector<Node> elements = trusted.elements();
        for (qsizetype i = 0; i < spec.forwardedHeaders.trustedIPs.size(); ++i) {
            const QString &ip = spec.forwardedHeaders.trustedIPs[i];
            const bool ok = ip.contains(u'/') ? QHostAddress::parseSubnet(ip).second >= 0
                                              : !QHostAddress(ip).isNull();
            if (!ok)
                addError(errors, size_t(i) < elements.size() ? elements[size_t(i)] : trusted,
                    QStringLiteral("invalid IP address or CIDR range \"%1\"").arg(ip),
                    QStringLiteral("expected \"10.0.0.1\" or \"10.0.0.0/8\""));
        }
    }
    readBool(r.take(QStringLiteral("insecure")), spec.forwardedHeaders.insecure, errors);
    r.unsupported({ QStringLiteral("connection") });
    r.finish();
}

/// `transport`: responding timeouts of this entry point and the global grace period.
void readTransport(const Node &node, EntryPointSpec &spec,
    std::optional<milliseconds> &graceTimeout, Errors &errors)
{
    MapReader r(node, errors);
    MapReader timeouts(r.take(QStringLiteral("respondingTimeouts")), errors);
    auto &rt = spec.respondingTimeouts;
    readDuration(timeouts.take(QStringLiteral("readTimeout")), rt.readTimeout, errors);
    readDuration(timeouts.take(QStringLiteral("writeTimeout")), rt.writeTimeout, errors);
    readDuration(timeouts.take(QStringLiteral("idleTimeout")), rt.idleTimeout, errors);
    timeouts.finish();
    MapReader lifeCycle(r.take(QStringLiteral("lifeCycle")), errors);
    milliseconds grace {};
    // Portico drains all entry points together, so the longest grace period of any wins.
    if (readDuration(lifeCycle.take(QStringLiteral("graceTimeOut")), grace, errors))
        graceTimeout = graceTimeout ? std::max(*graceTimeout, grace) : grace;
    lifeCycle.unsupported({ QStringLiteral("requestAcceptGraceTimeout") });
    lifeCycle.finish();
    r.unsupported({ QStringLiteral("keepAliveMaxRequests"), QStringLiteral("keepAliveMaxTime") });
    r.finish();
}

/// `http.tls`: `true`/`{}` makes every router of the entry point a TLS router; `options` names
/// the TLS options (`name@provider`) of routers without their own; `certResolver` and `domains`
/// are accepted for compatibility (certificates come from Portico's CA or `tls.certificates`).
void readEntryPointTls(const Node &node, EntryPointSpec &spec, Errors &errors)
{
    if (node.isScalar()) {
        bool enabled = false;
        if (readBool(node, enabled, errors) && enabled)
            spec.tls = RouterTlsSpec {};
        return;
    }
    RouterTlsSpec tls;
    MapReader r(node, errors);
    readString(r.take(QStringLiteral("options")), tls.options, errors);
    readString(r.take(QStringLiteral("certResolver")), tls.certResolver, errors);
    readTlsDomains(r.take(QStringLiteral("domains")), tls.domains, errors);
    r.finish();
    spec.tls = tls;
}

/// `http.redirections.entryPoint`: `to` (required: an entry point name or a port), `scheme`
/// (default `https`), `permanent` (default true) and `priority` (default MaxInt64 - 1), as
/// Traefik's internal `<ep>-to-<to>@internal` router applies them.
void readRedirections(const Node &node, EntryPointSpec &spec, Errors &errors)
{
    MapReader r(node, errors);
    const Node entryPoint = r.take(QStringLiteral("entryPoint"));
    r.finish();
    if (!entryPoint.isDefined() || entryPoint.isNull())
        return;
    EntryPointSpec::Redirection redirection;
    MapReader e(entryPoint, errors);
    const Node to = e.take(QStringLiteral("to"));
    readString(to, redirection.to, errors);
    readString(e.take(QStringLiteral("scheme")), redirection.scheme, errors);
    readBool(e.take(QStringLiteral("permanent")), redirection.permanent, errors);
    readInt(e.take(QStringLiteral("priority")), redirection.priority, 1,
        std::numeric_limits<qint64>::max() - 1, errors);
    e.finish();
    if (redirection.to.trimmed().isEmpty()) {
        addError(errors, to.isDefined() ? to : entryPoint, QStringLiteral("missing \"to\""),
            QStringLiteral("for example to: websecure"));
        return;
    }
    spec.redirection = redirection;
}

/// `http`: entry-point-wide middlewares, header limit, TLS and redirections.
void readHttp(const Node &node, EntryPointSpec &spec, Errors &errors)
{
    MapReader r(node, errors);
    readInt(
        r.take(QStringLiteral("maxHeaderBytes")), spec.maxHeaderBytes, 1, qint64(1) << 30, errors);
    readStringList(r.take(QStringLiteral("middlewares")), spec.middlewares, errors);
    const Node tls = r.take(QStringLiteral("tls"));
    if (tls.isDefined() && !tls.isNull())
        readEntryPointTls(tls, spec, errors);
    else if (tls.isDefined())
        spec.tls = RouterTlsSpec {}; // `tls:` with no value, as `--entryPoints.x.http.tls`
    readRedirections(r.take(QStringLiteral("redirections")), spec, errors);
    r.unsupported({ QStringLiteral("encodedCharacters"), QStringLiteral("sanitizePath"),
        QStringLiteral("encodeQuerySemicolons"), QStringLiteral("underscoreHeadersStrategy") });
    r.finish();
}

/// `entryPoints.<name>`: `address` (required), `asDefault`, `forwardedHeaders`, `transport`
/// and `http`; Traefik's other entry point options are refused as not supported yet.
EntryPointSpec readEntryPoint(
    const Node::Entry &entry, std::optional<milliseconds> &graceTimeout, Errors &errors)
{
    EntryPointSpec spec;
    spec.name = entry.key;
    spec.where = entry.keyNode.location();
    MapReader r(entry.value, errors);
    readAddress(r, entry, spec, errors);
    readBool(r.take(QStringLiteral("asDefault")), spec.asDefault, errors);
    readForwardedHeaders(r.take(QStringLiteral("forwardedHeaders")), spec, errors);
    readTransport(r.take(QStringLiteral("transport")), spec, graceTimeout, errors);
    readHttp(r.take(QStringLiteral("http")), spec, errors);
    r.unsupported({ QStringLiteral("reusePort"), QStringLiteral("proxyProtocol"),
        QStringLiteral("http2"), QStringLiteral("http3"), QStringLiteral("udp"),
        QStringLiteral("observability"), QStringLiteral("allowACMEByPass") });
    r.finish();
    return spec;
}

} // namespace

void readEntryPoints(const Node &node, StaticConfig &config, Errors &errors)
{
    std::optional<milliseconds> graceTimeout;
    for (const Node::Entry &entry : namedEntries(node, errors))
        config.entryPoints.push_back(readEntryPoint(entry, graceTimeout, errors));
    if (graceTimeout)
        config.graceTimeout = *graceTimeout;
}

void readServersTransport(const Node &node, ServersTransportSpec &spec, Errors &errors)
{
    MapReader r(node, errors);
    MapReader timeouts(r.take(QStringLiteral("forwardingTimeouts")), errors);
    readTransportFields(r, timeouts, spec, errors);
    timeouts.unsupported({ QStringLiteral("readIdleTimeout"), QStringLiteral("pingTimeout") });
    timeouts.finish();
    r.unsupported({ QStringLiteral("spiffe") });
    r.finish();
}

} // namespace portico::config::schema
