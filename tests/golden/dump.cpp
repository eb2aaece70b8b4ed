#include "tests/golden/dump.h"

#include <QStringList>

namespace portico::golden {

namespace {

using config::Origin;
using std::chrono::milliseconds;

QString ms(milliseconds value)
{
    return QString::number(value.count()) + QStringLiteral("ms");
}

QString yes(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

QString list(const QStringList &values)
{
    return u'[' + values.join(QStringLiteral(", ")) + u']';
}

QString quoted(const QString &value)
{
    return u'"' + value + u'"';
}

QString lineColumn(const SourceLocation &where)
{
    return QStringLiteral("%1:%2").arg(where.line).arg(where.column);
}

/// `where`, `fields` and `errors` of an object, indented under it.
void dumpOrigin(const Origin &origin, QStringList &out)
{
    out << QStringLiteral("  where: ") + origin.where.toString();
    QStringList fields;
    for (const auto &[name, where] : origin.fields)
        fields << name + u'@' + lineColumn(where);
    out << QStringLiteral("  fields: ") + fields.join(u' ');
    for (const Error &e : origin.errors)
        out << QStringLiteral("  error: ") + e.toString();
}

void dumpRouter(const config::RouterSpec &r, QStringList &out)
{
    out << QStringLiteral("router ") + r.name;
    out << QStringLiteral("  rule: ") + r.rule << QStringLiteral("  service: ") + r.service;
    out << QStringLiteral("  middlewares: ") + list(r.middlewares);
    out << QStringLiteral("  priority: ") + QString::number(r.priority);
    out << QStringLiteral("  entryPoints: ") + list(r.entryPoints);
    if (r.tls) {
        out << QStringLiteral("  tls: options=%1 certResolver=%2")
                   .arg(quoted(r.tls->options), quoted(r.tls->certResolver));
        for (const auto &d : r.tls->domains)
            out << QStringLiteral("    domain: main=%1 sans=%2").arg(quoted(d.main), list(d.sans));
    }
    dumpOrigin(r.origin, out);
}

void dumpHealthCheck(const config::HealthCheckSpec &h, QStringList &out)
{
    out << QStringLiteral("    healthCheck: scheme=%1 mode=%2 path=%3 method=%4 hostname=%5")
               .arg(quoted(h.scheme), h.mode, quoted(h.path), h.method, quoted(h.hostname));
    out << QStringLiteral("      port=%1 status=%2 interval=%3 unhealthyInterval=%4 timeout=%5 "
                          "followRedirects=%6")
               .arg(h.port)
               .arg(h.status)
               .arg(ms(h.interval), ms(h.unhealthyInterval), ms(h.timeout), yes(h.followRedirects));
    for (const auto &[name, value] : h.headers)
        out << QStringLiteral("      header: %1: %2").arg(name, value);
}

void dumpLoadBalancer(const config::LoadBalancerSpec &lb, QStringList &out)
{
    out << QStringLiteral("  loadBalancer: strategy=%1 passHostHeader=%2 flushInterval=%3 "
                          "serversTransport=%4")
               .arg(lb.strategy, yes(lb.passHostHeader), ms(lb.flushInterval),
                   quoted(lb.serversTransport));
    for (const auto &s : lb.servers)
        out << QStringLiteral("    server: %1 weight=%2 preservePath=%3")
                   .arg(s.url)
                   .arg(s.weight)
                   .arg(yes(s.preservePath));
    if (lb.healthCheck)
        dumpHealthCheck(*lb.healthCheck, out);
    if (const auto &c = lb.stickyCookie)
        out << QStringLiteral("    stickyCookie: name=%1 secure=%2 httpOnly=%3 sameSite=%4 "
                              "maxAge=%5 path=%6 domain=%7")
                   .arg(quoted(c->name), yes(c->secure), yes(c->httpOnly), quoted(c->sameSite))
                   .arg(c->maxAge)
                   .arg(quoted(c->path), quoted(c->domain));
}

void dumpServersTransport(const config::ServersTransportObjectSpec &object, QStringList &out)
{
    const config::ServersTransportSpec &t = object.transport;
    out << QStringLiteral("serversTransport %1 serverName=%2 insecureSkipVerify=%3 rootCAs=%4 "
                          "maxIdleConnsPerHost=%5 disableHTTP2=%6 peerCertURI=%7")
               .arg(object.name, quoted(t.serverName), yes(t.insecureSkipVerify), list(t.rootCAs))
               .arg(t.maxIdleConnsPerHost)
               .arg(yes(t.disableHTTP2), quoted(t.peerCertURI));
    out << QStringLiteral("  forwardingTimeouts: dial=%1 responseHeader=%2 idleConn=%3")
               .arg(ms(t.dialTimeout), ms(t.responseHeaderTimeout), ms(t.idleConnTimeout));
    for (const auto &c : t.certificates)
        out << QStringLiteral("  certificate: certFile=%1 keyFile=%2")
                   .arg(quoted(c.certFile), quoted(c.keyFile));
    dumpOrigin(object.origin, out);
}

QString flowYaml(const config::Node &node)
{
    if (!node.isDefined())
        return QStringLiteral("<none>");
    YAML::Emitter emitter;
    emitter.SetMapFormat(YAML::Flow);
    emitter.SetSeqFormat(YAML::Flow);
    emitter << node.yaml();
    return QString::fromUtf8(emitter.c_str());
}

QString dumpErrors(const std::vector<Error> &errors)
{
    QStringList out { QStringLiteral("errors:") };
    for (const Error &e : errors)
        out << QStringLiteral("  ") + e.toString();
    return out.join(u'\n') + u'\n';
}

} // namespace

QString dumpDynamic(const config::DynamicConfig &config)
{
    QStringList out;
    for (const auto &r : config.routers)
        dumpRouter(r, out);
    for (const auto &s : config.services) {
        out << QStringLiteral("service ") + s.name;
        if (s.loadBalancer)
            dumpLoadBalancer(*s.loadBalancer, out);
        dumpOrigin(s.origin, out);
    }
    for (const auto &m : config.middlewares) {
        out << QStringLiteral("middleware %1 kind=%2").arg(m.name, m.kind);
        out << QStringLiteral("  options: ") + flowYaml(m.options);
        dumpOrigin(m.origin, out);
    }
    for (const auto &t : config.serversTransports)
        dumpServersTransport(t, out);
    dumpTlsSection(config, out);
    return out.join(u'\n') + (out.isEmpty() ? QString() : QStringLiteral("\n"))
        + dumpErrors(config.errors);
}

namespace {

void dumpEntryPoint(const config::EntryPointSpec &ep, QStringList &out)
{
    out << QStringLiteral("entryPoint %1 address=%2 host=%3 port=%4 asDefault=%5 where=%6")
               .arg(ep.name, quoted(ep.address), quoted(ep.host))
               .arg(ep.port)
               .arg(yes(ep.asDefault), ep.where.toString());
    out << QStringLiteral("  forwardedHeaders: trustedIPs=%1 insecure=%2")
               .arg(list(ep.forwardedHeaders.trustedIPs), yes(ep.forwardedHeaders.insecure));
    const auto &t = ep.respondingTimeouts;
    out << QStringLiteral("  respondingTimeouts: read=%1 write=%2 idle=%3")
               .arg(ms(t.readTimeout), ms(t.writeTimeout), ms(t.idleTimeout));
    out << QStringLiteral("  http: maxHeaderBytes=%1 middlewares=%2")
               .arg(ep.maxHeaderBytes)
               .arg(list(ep.middlewares));
    dumpEntryPointTls(ep, out);
}

void dumpSections(const config::StaticConfig &c, QStringList &out)
{
    const auto &st = c.serversTransport;
    out << QStringLiteral("serversTransport: insecureSkipVerify=%1 maxIdleConnsPerHost=%2 "
                          "dial=%3 responseHeader=%4 idleConn=%5")
               .arg(yes(st.insecureSkipVerify))
               .arg(st.maxIdleConnsPerHost)
               .arg(ms(st.dialTimeout), ms(st.responseHeaderTimeout), ms(st.idleConnTimeout));
    if (c.fileProvider)
        out << QStringLiteral("providers.file: filename=%1 directory=%2 watch=%3")
                   .arg(quoted(c.fileProvider->filename), quoted(c.fileProvider->directory),
                       yes(c.fileProvider->watch));
    if (c.api)
        out << QStringLiteral("api: insecure=%1 dashboard=%2 debug=%3 basePath=%4")
                   .arg(yes(c.api->insecure), yes(c.api->dashboard), yes(c.api->debug),
                       c.api->basePath);
    out << QStringLiteral("log: level=%1 format=%2 filePath=%3 noColor=%4")
               .arg(c.log.level, c.log.format, quoted(c.log.filePath), yes(c.log.noColor));
    if (const auto &a = c.accessLog)
        out << QStringLiteral("accessLog: filePath=%1 format=%2 bufferingSize=%3 statusCodes=%4 "
                              "retryAttempts=%5 minDuration=%6")
                   .arg(quoted(a->filePath), a->format)
                   .arg(a->bufferingSize)
                   .arg(list(a->statusCodes), yes(a->retryAttempts), ms(a->minDuration));
    out << QStringLiteral("graceTimeout: ") + ms(c.graceTimeout);
    out << QStringLiteral("engineThreads: ") + QString::number(c.engineThreads);
}

} // namespace

QString dumpStatic(const config::StaticConfigResult &result)
{
    QStringList out;
    for (const auto &ep : result.config.entryPoints)
        dumpEntryPoint(ep, out);
    dumpSections(result.config, out);
    return out.join(u'\n') + u'\n' + dumpErrors(result.errors);
}

} // namespace portico::golden
