#include "core/config/schema.h"

namespace portico::config::schema {

namespace {

/// `certificates`: `- certFile: … keyFile: …` entries (file paths or inline PEM, as Traefik's
/// file provider takes them).
void readClientCertificates(
    const Node &node, std::vector<ClientCertificateSpec> &out, Errors &errors)
{
    if (!node.isDefined() || node.isNull())
        return;
    if (!node.isSequence()) {
        addError(errors, node, QStringLiteral("expected a list, got %1").arg(node.kindName()),
            QStringLiteral("for example certificates: [{certFile: client.pem, keyFile: "
                           "client-key.pem}]"));
        return;
    }
    for (const Node &element : node.elements()) {
        if (element.isScalar()) {
            addError(errors, element,
                QStringLiteral("expected certFile and keyFile, got a single value"),
                QStringLiteral("write {certFile: client.pem, keyFile: client-key.pem}"));
            continue;
        }
        ClientCertificateSpec certificate;
        MapReader r(element, errors);
        const Node certFile = r.take(QStringLiteral("certFile"));
        const Node keyFile = r.take(QStringLiteral("keyFile"));
        readString(certFile, certificate.certFile, errors);
        readString(keyFile, certificate.keyFile, errors);
        r.finish();
        if (certificate.certFile.isEmpty() || certificate.keyFile.isEmpty()) {
            addError(errors, element,
                QStringLiteral("a client certificate needs both certFile "
                               "and keyFile"));
            continue;
        }
        out.push_back(certificate);
    }
}

} // namespace

void readTransportFields(
    MapReader &r, MapReader &timeouts, ServersTransportSpec &spec, Errors &errors)
{
    readBool(r.take(QStringLiteral("insecureSkipVerify")), spec.insecureSkipVerify, errors);
    readStringList(r.take(QStringLiteral("rootCAs")), spec.rootCAs, errors);
    readInt(r.take(QStringLiteral("maxIdleConnsPerHost")), spec.maxIdleConnsPerHost, -1, 1 << 20,
        errors);
    readDuration(timeouts.take(QStringLiteral("dialTimeout")), spec.dialTimeout, errors);
    readDuration(
        timeouts.take(QStringLiteral("responseHeaderTimeout")), spec.responseHeaderTimeout, errors);
    readDuration(timeouts.take(QStringLiteral("idleConnTimeout")), spec.idleConnTimeout, errors);
}

/// `http.serversTransports.<name>` (Traefik v3): `serverName` (SNI and verified name; default the
/// server URL's host), `insecureSkipVerify`, `rootCAs` (PEM files or text replacing the system
/// roots), `certificates` (client certificates for mutual TLS, `certFile`/`keyFile`),
/// `maxIdleConnsPerHost` (default 200), `disableHTTP2` (HTTP/1.1 only toward https servers),
/// `peerCertURI` (a URI SAN the server certificate must carry, instead of the host name) and
/// `forwardingTimeouts` (`dialTimeout` 30s, `responseHeaderTimeout` 0 = none, `idleConnTimeout`
/// 90s). `readIdleTimeout`/`pingTimeout` tune HTTP/2 keep-alive pings Portico does not send:
/// accepted, no effect. `spiffe` is not supported.
ServersTransportObjectSpec readServersTransportObject(const Node::Entry &entry)
{
    ServersTransportObjectSpec object;
    object.name = entry.key;
    object.origin = originOf(entry);
    ServersTransportSpec &spec = object.transport;
    Errors &errors = object.origin.errors;
    MapReader r(entry.value, errors, &object.origin);
    MapReader timeouts(r.take(QStringLiteral("forwardingTimeouts")), errors, &object.origin,
        QStringLiteral("forwardingTimeouts."));
    readTransportFields(r, timeouts, spec, errors);
    timeouts.ignore({ QStringLiteral("readIdleTimeout"), QStringLiteral("pingTimeout") });
    timeouts.finish();
    readString(r.take(QStringLiteral("serverName")), spec.serverName, errors);
    readClientCertificates(r.take(QStringLiteral("certificates")), spec.certificates, errors);
    readBool(r.take(QStringLiteral("disableHTTP2")), spec.disableHTTP2, errors);
    readString(r.take(QStringLiteral("peerCertURI")), spec.peerCertURI, errors);
    r.unsupported({ QStringLiteral("spiffe") });
    r.finish();
    return object;
}

} // namespace portico::config::schema
