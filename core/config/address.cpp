#include "core/config/address.h"

#include <QHostAddress>

namespace portico::config {

namespace {

Error invalid(const QString &text, const QString &why)
{
    return Error { QStringLiteral("invalid address \"%1\": %2").arg(text, why), {},
        QStringLiteral("expected \"[host]:port\" such as \":80\" or \"127.0.0.1:8080\"") };
}

/// Strips a `/tcp` or `/udp` suffix (Traefik's protocol marker, case-insensitive).
Expected<QString> stripProtocol(const QString &text)
{
    const qsizetype slash = text.lastIndexOf(u'/');
    if (slash < 0)
        return text;
    const QString protocol = text.mid(slash + 1).toLower();
    if (protocol == QLatin1String("tcp"))
        return text.left(slash);
    if (protocol == QLatin1String("udp"))
        return Error { QStringLiteral("udp entry points are not supported"), {}, {} };
    return invalid(text, QStringLiteral("unknown protocol \"%1\"").arg(text.mid(slash + 1)));
}

} // namespace

Expected<ListenAddress> parseListenAddress(const QString &input)
{
    const Expected<QString> stripped = stripProtocol(input.trimmed());
    if (!stripped)
        return stripped.error();
    const QString &text = *stripped;
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon < 0)
        return invalid(input, QStringLiteral("missing port"));
    QString host = text.left(colon);
    if (host.startsWith(u'[')) {
        if (!host.endsWith(u']'))
            return invalid(input, QStringLiteral("unbalanced brackets"));
        host = host.mid(1, host.size() - 2);
        if (QHostAddress(host).protocol() != QAbstractSocket::IPv6Protocol)
            return invalid(input, QStringLiteral("\"%1\" is not an IPv6 address").arg(host));
    } else if (host.contains(u':')) {
        return invalid(input, QStringLiteral("IPv6 addresses must be in brackets"));
    } else if (host.contains(u'[') || host.contains(u']') || host.contains(u' ')) {
        return invalid(input, QStringLiteral("bad host \"%1\"").arg(host));
    }
    const QString portText = text.mid(colon + 1);
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || portText.startsWith(u'+'))
        return invalid(input, QStringLiteral("bad port \"%1\"").arg(portText));
    if (port > 65535)
        return invalid(input, QStringLiteral("port %1 is out of range").arg(portText));
    return ListenAddress { host, quint16(port) };
}

} // namespace portico::config
