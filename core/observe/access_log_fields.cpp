#include "core/observe/access_log_fields.h"

// Which Traefik field comes from which part of the ExchangeRecord (traefik-interfaces.md §2.3).
namespace portico::observe::accesslog {

namespace {

Value text(QByteArray value)
{
    Value v;
    v.text = std::move(value);
    return v;
}

Value text(const QString &value)
{
    return text(value.toUtf8());
}

Value integer(qint64 value)
{
    Value v;
    v.kind = Value::Kind::Integer;
    v.integer = value;
    return v;
}

Value real(double value)
{
    Value v;
    v.kind = Value::Kind::Real;
    v.real = value;
    return v;
}

qint64 nanos(qint64 micros)
{
    return micros < 0 ? 0 : micros * 1000;
}

/// Go's net.SplitHostPort of a Host header; on failure the whole value and `-`.
std::pair<QByteArray, QByteArray> splitHostPort(const QByteArray &hostPort)
{
    if (hostPort.startsWith('[')) {
        const int close = hostPort.indexOf("]:");
        if (close > 0)
            return { hostPort.mid(1, close - 1), hostPort.mid(close + 2) };
        return { hostPort, "-" };
    }
    const int colon = hostPort.lastIndexOf(':');
    if (colon < 0 || hostPort.indexOf(':') != colon)
        return { hostPort, "-" };
    return { hostPort.left(colon), hostPort.mid(colon + 1) };
}

/// Go's RemoteAddr: `ip:port`, IPv6 in brackets.
QByteArray clientAddr(const ExchangeRecord &r)
{
    const QByteArray ip = r.clientAddress.toUtf8();
    const QByteArray port = QByteArray::number(r.clientPort);
    return ip.contains(':') ? '[' + ip + "]:" + port : ip + ':' + port;
}

/// The client, or the X-Forwarded-For the entry point trusted and passed on (Traefik logs the
/// raw header value then). An untrusted header is replaced by the proxy, so the forwarded
/// header only starts with the received one when it was kept.
QByteArray clientHost(const ExchangeRecord &r)
{
    const QByteArray received = r.requestHeaders.value("X-Forwarded-For");
    const QByteArray forwarded = r.forwardedRequestHeaders.value("X-Forwarded-For");
    if (!received.isEmpty() && forwarded.startsWith(received))
        return received;
    return r.clientAddress.toUtf8();
}

/// `host:port` of a server URL (Go's url.Host).
QByteArray serviceAddr(const QString &serverUrl)
{
    QByteArray url = serverUrl.toUtf8();
    const int scheme = url.indexOf("://");
    if (scheme >= 0)
        url = url.mid(scheme + 3);
    const int slash = url.indexOf('/');
    return slash >= 0 ? url.left(slash) : url;
}

QByteArray requestPath(const ExchangeRecord &r, const config::AccessLogSpec &spec)
{
    if (spec.queryDefaultMode != QLatin1String("drop"))
        return r.target;
    const int query = r.target.indexOf('?');
    return query >= 0 ? r.target.left(query) : r.target;
}

qint64 originContentSize(const ExchangeRecord &r)
{
    if (r.originStatus == 0)
        return 0; // Traefik answered itself
    return r.originContentSize >= 0 ? r.originContentSize : r.responseBody.size;
}

void addCoreFields(
    Fields &f, const ExchangeRecord &r, const config::AccessLogSpec &spec, quint64 requestCount)
{
    f["StartUTC"] = text(rfc3339Nano(r.startedUs, true));
    f["StartLocal"] = text(rfc3339Nano(r.startedUs, false));
    f["Duration"] = integer(nanos(r.timing.total));
    if (!r.router.isEmpty())
        f["RouterName"] = text(r.router);
    if (!r.service.isEmpty())
        f["ServiceName"] = text(r.service);
    if (!r.serverUrl.isEmpty()) {
        f["ServiceURL"] = text(r.serverUrl);
        f["ServiceAddr"] = text(serviceAddr(r.serverUrl));
    }
    f["ClientAddr"] = text(clientAddr(r));
    f["ClientHost"] = text(clientHost(r));
    f["ClientPort"] = text(QByteArray::number(r.clientPort));
    f["ClientUsername"]
        = text(r.clientUsername.isEmpty() ? QByteArray("-") : r.clientUsername.toUtf8());
    QByteArray hostHeader = r.requestHeaders.value("Host");
    if (hostHeader.isEmpty())
        hostHeader = r.requestHeaders.value(":authority");
    if (!hostHeader.isEmpty())
        f["RequestAddr"] = text(hostHeader);
    const auto [host, port] = splitHostPort(hostHeader.isEmpty() ? r.host : hostHeader);
    f["RequestHost"] = text(host);
    f["RequestPort"] = text(port);
    f["RequestMethod"] = text(r.method);
    f["RequestPath"] = text(requestPath(r, spec));
    f["RequestProtocol"] = text(r.httpVersion);
    f["RequestScheme"] = text(r.scheme);
    f["RequestContentSize"] = integer(r.requestBody.size);
    f["RequestCount"] = integer(qint64(requestCount));
    f["OriginDuration"] = integer(nanos(r.originDurationUs));
    f["OriginContentSize"] = integer(originContentSize(r));
    f["OriginStatus"] = integer(r.originStatus);
    f["DownstreamStatus"] = integer(r.status);
    f["DownstreamContentSize"] = integer(r.responseBody.size);
    const qint64 origin = originContentSize(r);
    if (origin != r.responseBody.size && r.responseBody.size != 0)
        f["GzipRatio"] = real(double(origin) / double(r.responseBody.size));
    f["Overhead"] = integer(nanos(r.timing.total) - nanos(r.originDurationUs));
    f["RetryAttempts"] = integer(r.retryAttempts);
    if (r.tls) {
        f["TLSVersion"] = text(r.tlsVersion);
        f["TLSCipher"] = text(r.tlsCipher);
    }
    f["entryPointName"] = text(r.entryPoint);
}

/// `fields.names` / `fields.defaultMode`: core fields dropped by name (case-insensitive).
void dropFields(Fields &f, const config::AccessLogSpec &spec)
{
    const bool dropByDefault = spec.fieldsDefaultMode == QLatin1String("drop");
    for (auto it = f.begin(); it != f.end();) {
        const auto mode = spec.fieldNames.find(QString::fromLatin1(it->first).toLower());
        const bool drop
            = mode == spec.fieldNames.end() ? dropByDefault : mode->second == QLatin1String("drop");
        it = drop ? f.erase(it) : std::next(it);
    }
}

/// `<prefix><Canonical-Name>` per header, several values joined with `,` (Go's header map).
void addHeaders(
    Fields &f, const char *prefix, const HeaderList &headers, const config::AccessLogSpec &spec)
{
    std::map<QByteArray, QByteArray> joined;
    for (const auto &field : headers) {
        if (field.name.startsWith(':') || HeaderList::nameEquals(field.name, "Host"))
            continue; // HTTP/2 pseudo-headers and Host are not in Go's header map
        QByteArray &value = joined[canonicalHeaderName(field.name)];
        value += (value.isEmpty() ? "" : ",") + field.value;
    }
    for (auto &[name, value] : joined) {
        const auto mode = spec.headerNames.find(QString::fromLatin1(name).toLower());
        const QString &chosen
            = mode == spec.headerNames.end() ? spec.headersDefaultMode : mode->second;
        if (chosen == QLatin1String("drop"))
            continue;
        f[prefix + name] = text(chosen == QLatin1String("redact") ? QByteArray("REDACTED") : value);
    }
}

} // namespace

Fields collectFields(
    const ExchangeRecord &record, const config::AccessLogSpec &spec, quint64 requestCount)
{
    Fields f;
    addCoreFields(f, record, spec, requestCount);
    dropFields(f, spec);
    // Traefik's request header map is the live request's: it holds what the proxy added too.
    const HeaderList &request = record.forwardedRequestHeaders.isEmpty()
        ? record.requestHeaders
        : record.forwardedRequestHeaders;
    addHeaders(f, "request_", request, spec);
    addHeaders(f, "origin_", record.originResponseHeaders, spec);
    addHeaders(f, "downstream_", record.responseHeaders, spec);
    return f;
}

} // namespace portico::observe::accesslog
