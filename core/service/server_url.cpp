#include "core/service/server_url.h"

#include <QUrl>

namespace portico::service {

namespace {

Error urlError(const QString &url, const QString &problem, const QString &hint = {})
{
    return Error { QStringLiteral("invalid server url \"%1\": %2").arg(url, problem), {}, hint };
}

/// The authority exactly as written (Go's url.URL.Host, which Traefik sends as Host when
/// passHostHeader is false), without any user info.
QByteArray writtenAuthority(const QString &url)
{
    const qsizetype start = url.indexOf(QLatin1String("://")) + 3;
    qsizetype end = start;
    while (end < url.size() && url[end] != u'/' && url[end] != u'?' && url[end] != u'#')
        ++end;
    QString authority = url.mid(start, end - start);
    const qsizetype at = authority.lastIndexOf(u'@');
    if (at >= 0)
        authority.remove(0, at + 1);
    return authority.toUtf8();
}

/// Names the port when that is what QUrl rejected, the likeliest mistake in a server URL.
QString portProblem(const QByteArray &authority)
{
    const qsizetype colon = authority.lastIndexOf(':');
    if (colon < 0 || authority.indexOf(']', colon) >= 0)
        return QStringLiteral("malformed url");
    const QByteArray port = authority.mid(colon + 1);
    bool numeric = false;
    const qlonglong value = port.toLongLong(&numeric);
    if (!numeric)
        return QStringLiteral("invalid port \"%1\"").arg(QString::fromUtf8(port));
    if (value > 65535)
        return QStringLiteral("port \"%1\" is out of range").arg(QString::fromUtf8(port));
    return QStringLiteral("malformed url");
}

} // namespace

Expected<ServerAddress> parseServerUrl(const QString &url)
{
    if (url.trimmed().isEmpty())
        return urlError(url, QStringLiteral("the url is empty"),
            QStringLiteral("write it as \"http://host:port\""));
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme().toLower();
    if (!parsed.isValid() || !url.contains(QLatin1String("://"))) {
        if (!url.contains(QLatin1String("://")))
            return urlError(url, QStringLiteral("missing scheme"),
                QStringLiteral("write it as \"http://%1\"").arg(url));
        return urlError(url, portProblem(writtenAuthority(url)));
    }
    // h2c: HTTP/2 over cleartext with prior knowledge (gRPC servers), as Traefik accepts it.
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https")
        && scheme != QLatin1String("h2c"))
        return urlError(url, QStringLiteral("unsupported scheme \"%1\"").arg(parsed.scheme()),
            QStringLiteral("use http, https or h2c"));
    if (parsed.host().isEmpty())
        return urlError(url, QStringLiteral("missing host"));
    const int port = parsed.port(-1);
    if (port == 0)
        return urlError(url, QStringLiteral("port 0 is not a valid port"));

    ServerAddress address;
    address.scheme = scheme.toLatin1();
    address.host = parsed.host();
    address.port = port > 0 ? quint16(port) : quint16(scheme == QLatin1String("https") ? 443 : 80);
    address.authority = writtenAuthority(url);
    address.path = parsed.path(QUrl::FullyEncoded).toLatin1();
    return address;
}

} // namespace portico::service
