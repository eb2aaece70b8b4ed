// Golden dumps of the TLS parts of the configuration (entry-point `http.tls` and redirections,
// the dynamic `tls` section); printed only when present, so other cases are unaffected.

#include "tests/golden/dump.h"

namespace portico::golden {

namespace {

QString joined(const QStringList &values)
{
    return u'[' + values.join(QStringLiteral(", ")) + u']';
}

QString certificate(const config::TlsCertificateSpec &c)
{
    return QStringLiteral("certFile=\"%1\" keyFile=\"%2\" stores=%3 where=%4")
        .arg(c.certFile, c.keyFile, joined(c.stores), c.where.toString());
}

} // namespace

void dumpEntryPointTls(const config::EntryPointSpec &ep, QStringList &out)
{
    if (ep.tls) {
        QStringList domains;
        for (const auto &d : ep.tls->domains)
            domains << d.main + joined(d.sans);
        out << QStringLiteral("  http.tls: options=\"%1\" certResolver=\"%2\" domains=%3")
                   .arg(ep.tls->options, ep.tls->certResolver, joined(domains));
    }
    if (const auto &r = ep.redirection)
        out << QStringLiteral("  http.redirections.entryPoint: to=%1 scheme=%2 permanent=%3 "
                              "priority=%4")
                   .arg(r->to, r->scheme,
                       r->permanent ? QStringLiteral("true") : QStringLiteral("false"))
                   .arg(r->priority);
}

void dumpTlsSection(const config::DynamicConfig &config, QStringList &out)
{
    for (const auto &c : config.tlsCertificates)
        out << QStringLiteral("tls certificate ") + certificate(c);
    for (const auto &o : config.tlsOptions) {
        out << QStringLiteral("tls options %1 minVersion=\"%2\" maxVersion=\"%3\" sniStrict=%4")
                   .arg(o.name, o.minVersion, o.maxVersion,
                       o.sniStrict ? QStringLiteral("true") : QStringLiteral("false"));
        out << QStringLiteral("  cipherSuites=%1 curvePreferences=%2 alpnProtocols=%3")
                   .arg(
                       joined(o.cipherSuites), joined(o.curvePreferences), joined(o.alpnProtocols));
        out << QStringLiteral("  clientAuth: caFiles=%1 clientAuthType=\"%2\"")
                   .arg(joined(o.clientAuthCaFiles), o.clientAuthType);
        for (const Error &e : o.origin.errors)
            out << QStringLiteral("  error: ") + e.toString();
    }
    for (const auto &s : config.tlsStores) {
        out << QStringLiteral("tls store %1 defaultGeneratedCert.main=\"%2\"")
                   .arg(s.name, s.defaultGeneratedCertMain);
        if (s.defaultCertificate)
            out << QStringLiteral("  defaultCertificate ") + certificate(*s.defaultCertificate);
        for (const Error &e : s.origin.errors)
            out << QStringLiteral("  error: ") + e.toString();
    }
}

} // namespace portico::golden
