// The dynamic `tls:` section in Traefik's format. Values are only read and shape-checked here;
// the TLS module resolves names (versions, cipher suites, curves) and loads the PEM files when
// the control plane builds a routing table, so a bad file disables only what uses it.

#include "core/config/schema.h"

namespace portico::config::schema {

namespace {

/// One certificate: `certFile` and `keyFile` (both required: a path or inline PEM) and `stores`.
TlsCertificateSpec readCertificate(const Node &node, Errors &errors, bool withStores)
{
    TlsCertificateSpec spec;
    spec.where = node.location();
    MapReader r(node, errors);
    const Node cert = r.take(QStringLiteral("certFile"));
    const Node key = r.take(QStringLiteral("keyFile"));
    readString(cert, spec.certFile, errors);
    readString(key, spec.keyFile, errors);
    if (withStores)
        readStringList(r.take(QStringLiteral("stores")), spec.stores, errors);
    r.finish();
    if (!node.isMap())
        return spec;
    if (spec.certFile.trimmed().isEmpty())
        addError(errors, node, QStringLiteral("missing \"certFile\""),
            QStringLiteral("a path to a PEM certificate, or the PEM text itself"));
    if (spec.keyFile.trimmed().isEmpty())
        addError(errors, node, QStringLiteral("missing \"keyFile\""),
            QStringLiteral("a path to the PEM private key, or the PEM text itself"));
    return spec;
}

/// `tls.certificates`: a list of certificates; each is offered for the names in its SAN.
void readCertificates(const Node &node, DynamicConfig &config)
{
    if (!node.isDefined() || node.isNull())
        return;
    if (!node.isSequence()) {
        addError(config.errors, node,
            QStringLiteral("expected a list, got %1").arg(node.kindName()),
            QStringLiteral("for example certificates: [{certFile: a.pem, keyFile: a-key.pem}]"));
        return;
    }
    for (const Node &element : node.elements())
        config.tlsCertificates.push_back(readCertificate(element, config.errors, true));
}

/// `clientAuth`: `caFiles` (paths or inline PEM) and `clientAuthType`.
void readClientAuth(const Node &node, TlsOptionsSpec &spec)
{
    Errors &errors = spec.origin.errors;
    MapReader r(node, errors, &spec.origin, QStringLiteral("clientAuth."));
    readStringList(r.take(QStringLiteral("caFiles")), spec.clientAuthCaFiles, errors);
    readChoice(r.take(QStringLiteral("clientAuthType")), spec.clientAuthType,
        { QStringLiteral("NoClientCert"), QStringLiteral("RequestClientCert"),
            QStringLiteral("RequireAnyClientCert"), QStringLiteral("VerifyClientCertIfGiven"),
            QStringLiteral("RequireAndVerifyClientCert") },
        errors);
    r.finish();
}

/// `tls.options.<name>`: minVersion/maxVersion (`VersionTLS12`, `VersionTLS13`), cipherSuites and
/// curvePreferences (Go names), alpnProtocols, sniStrict, clientAuth; `preferServerCipherSuites`
/// is accepted and ignored (deprecated in Traefik, the server's order always wins here).
TlsOptionsSpec readOptions(const Node::Entry &entry)
{
    TlsOptionsSpec spec;
    spec.name = entry.key;
    spec.origin.where = entry.keyNode.location();
    Errors &errors = spec.origin.errors;
    MapReader r(entry.value, errors, &spec.origin);
    const QStringList versions { QStringLiteral("VersionTLS10"), QStringLiteral("VersionTLS11"),
        QStringLiteral("VersionTLS12"), QStringLiteral("VersionTLS13") };
    readChoice(r.take(QStringLiteral("minVersion")), spec.minVersion, versions, errors);
    readChoice(r.take(QStringLiteral("maxVersion")), spec.maxVersion, versions, errors);
    readStringList(r.take(QStringLiteral("cipherSuites")), spec.cipherSuites, errors);
    readStringList(r.take(QStringLiteral("curvePreferences")), spec.curvePreferences, errors);
    readStringList(r.take(QStringLiteral("alpnProtocols")), spec.alpnProtocols, errors);
    readBool(r.take(QStringLiteral("sniStrict")), spec.sniStrict, errors);
    readClientAuth(r.take(QStringLiteral("clientAuth")), spec);
    r.ignore({ QStringLiteral("preferServerCipherSuites") });
    r.unsupported({ QStringLiteral("disableSessionTickets") });
    r.finish();
    return spec;
}

/// `tls.stores.<name>`: `defaultCertificate` (served when no other certificate matches) and
/// `defaultGeneratedCert` (ACME in Traefik; only its domain is kept, for information).
TlsStoreSpec readStore(const Node::Entry &entry)
{
    TlsStoreSpec spec;
    spec.name = entry.key;
    spec.origin.where = entry.keyNode.location();
    Errors &errors = spec.origin.errors;
    MapReader r(entry.value, errors, &spec.origin);
    const Node certificate = r.take(QStringLiteral("defaultCertificate"));
    if (certificate.isDefined() && !certificate.isNull())
        spec.defaultCertificate = readCertificate(certificate, errors, false);
    MapReader generated(r.take(QStringLiteral("defaultGeneratedCert")), errors);
    QString resolver;
    readString(generated.take(QStringLiteral("resolver")), resolver, errors);
    MapReader domain(generated.take(QStringLiteral("domain")), errors);
    readString(domain.take(QStringLiteral("main")), spec.defaultGeneratedCertMain, errors);
    domain.ignore({ QStringLiteral("sans") });
    domain.finish();
    generated.finish();
    r.finish();
    if (spec.name != QLatin1String("default"))
        addError(errors, entry.keyNode,
            QStringLiteral("TLS store \"%1\" is not supported").arg(spec.name),
            QStringLiteral("only the \"default\" store exists; put its certificates there"));
    return spec;
}

} // namespace

void readTls(const Node &node, DynamicConfig &config)
{
    Errors &errors = config.errors;
    MapReader r(node, errors);
    readCertificates(r.take(QStringLiteral("certificates")), config);
    for (const Node::Entry &entry : namedEntries(r.take(QStringLiteral("options")), errors))
        config.tlsOptions.push_back(readOptions(entry));
    for (const Node::Entry &entry : namedEntries(r.take(QStringLiteral("stores")), errors))
        config.tlsStores.push_back(readStore(entry));
    r.finish();
}

} // namespace portico::config::schema
