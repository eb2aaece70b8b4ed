#include "core/http/forwarded.h"

#include "core/http/hop_by_hop.h"
#include "core/http/request_target.h"

#include <QSysInfo>

#include <algorithm>
#include <cstring>

namespace portico::http {

namespace {

// Traefik's XHeadersSet (pkg/middlewares/forwardedheaders): stripped from untrusted peers and
// never removed because a client named them in Connection.
constexpr QByteArrayView kManagedHeaders[] = {
    "X-Forwarded-Proto",
    "X-Forwarded-Scheme",
    "X-Forwarded-For",
    "X-Forwarded-Host",
    "X-Forwarded-Port",
    "X-Forwarded-Server",
    "X-Forwarded-Uri",
    "X-Forwarded-Method",
    "X-Forwarded-Prefix",
    "X-Forwarded-Tls-Client-Cert",
    "X-Forwarded-Tls-Client-Cert-Info",
    "X-Scheme",
    "X-Real-Ip",
};

char foldChar(char c)
{
    if (c == '_')
        return '-';
    return (c >= 'A' && c <= 'Z') ? char(c + 32) : c;
}

bool equalsFolded(QByteArrayView name, QByteArrayView managed)
{
    if (name.size() != managed.size())
        return false;
    for (qsizetype i = 0; i < name.size(); ++i) {
        if (foldChar(name[i]) != foldChar(managed[i]))
            return false;
    }
    return true;
}

/// A trusted entry as a subnet; IPv4-mapped IPv6 entries become IPv4 so both spellings match.
bool parseSubnet(const QString &text, QPair<QHostAddress, int> &subnet)
{
    if (text.contains(u'/')) {
        subnet = QHostAddress::parseSubnet(text);
        if (subnet.first.isNull())
            return false;
    } else {
        QHostAddress address;
        if (!address.setAddress(text) || !address.scopeId().isEmpty())
            return false;
        subnet = { address, address.protocol() == QAbstractSocket::IPv4Protocol ? 32 : 128 };
    }
    bool mapped = false;
    const quint32 v4 = subnet.first.toIPv4Address(&mapped);
    if (mapped && subnet.first.protocol() == QAbstractSocket::IPv6Protocol && subnet.second >= 96)
        subnet = { QHostAddress(v4), subnet.second - 96 };
    return true;
}

/// The peer as an IPv4 address when it is one (also when IPv4-mapped), else as is.
QHostAddress unmapped(const QHostAddress &peer)
{
    bool isV4 = false;
    const quint32 v4 = peer.toIPv4Address(&isV4);
    return isV4 ? QHostAddress(v4) : peer;
}

const QByteArray &machineHostName()
{
    static const QByteArray name = [] {
        const QByteArray n = QSysInfo::machineHostName().toUtf8();
        return n.isEmpty() ? QByteArrayLiteral("localhost") : n;
    }();
    return name;
}

bool isWebSocketRequest(const HeaderList &headers)
{
    return headers.hasToken("Connection", "upgrade") && headers.hasToken("Upgrade", "websocket");
}

/// The port of a Host value (null when it has none). Clients repeat the same Host on every
/// request, so the engine thread's last answer is reused instead of split and copied again.
QByteArray hostPort(const QByteArray &host)
{
    thread_local QByteArray lastHost;
    thread_local QByteArray lastPort;
    if (host.size() != lastHost.size() || host.isNull() != lastHost.isNull()
        || std::memcmp(host.constData(), lastHost.constData(), size_t(host.size())) != 0) {
        QByteArrayView hostPart;
        QByteArrayView port;
        lastPort = splitHostPort(host, hostPart, port) && !port.isEmpty() ? port.toByteArray()
                                                                          : QByteArray();
        lastHost = host;
    }
    return lastPort;
}

/// Traefik's forwardedPort(): the Host port, else 443 for https/wss or TLS, else 80.
QByteArray forwardedPort(const QByteArray &host, const HeaderList &headers, bool tls)
{
    if (QByteArray port = hostPort(host); !port.isNull())
        return port;
    const QByteArray proto = headers.value("X-Forwarded-Proto");
    if (proto == "https" || proto == "wss" || tls)
        return QByteArrayLiteral("443");
    return QByteArrayLiteral("80");
}

/// How many field lines named `name` the list holds (no copies).
int fieldCount(const HeaderList &headers, QByteArrayView name)
{
    return int(std::count_if(headers.begin(), headers.end(),
        [&](const HeaderField &f) { return HeaderList::nameEquals(f.name, name); }));
}

/// Fills the headers Traefik's XForwarded.rewrite() sets, each only where it is empty.
void rewrite(RequestHead &request, const ConnectionFacts &connection, const ForwardedTrust &trust,
    const QByteArray &clientIp)
{
    HeaderList &h = request.headers;
    if (!clientIp.isEmpty() && h.value("X-Real-Ip").isEmpty())
        h.set(QByteArrayLiteral("X-Real-Ip"), clientIp);
    if (h.value("X-Forwarded-Proto").isEmpty()) {
        const bool ws = isWebSocketRequest(h);
        h.set(QByteArrayLiteral("X-Forwarded-Proto"),
            ws ? (connection.tls ? QByteArrayLiteral("wss") : QByteArrayLiteral("ws"))
               : (connection.tls ? QByteArrayLiteral("https") : QByteArrayLiteral("http")));
    }
    const QByteArray host = requestHost(request);
    if (h.value("X-Forwarded-Port").isEmpty())
        h.set(QByteArrayLiteral("X-Forwarded-Port"), forwardedPort(host, h, connection.tls));
    if (trust.addsSchemeHeaders()) {
        const QByteArray scheme = h.value("X-Forwarded-Proto");
        h.set(QByteArrayLiteral("X-Forwarded-Scheme"), scheme);
        h.set(QByteArrayLiteral("X-Scheme"), scheme);
    }
    if (h.value("X-Forwarded-Host").isEmpty() && !host.isEmpty())
        h.set(QByteArrayLiteral("X-Forwarded-Host"), host);
    // RFC 9110 §5.3: several X-Forwarded-For lines are one list; Traefik folds them into one.
    if (fieldCount(h, "X-Forwarded-For") > 1)
        h.set(QByteArrayLiteral("X-Forwarded-For"), h.combined("X-Forwarded-For"));
    h.set(QByteArrayLiteral("X-Forwarded-Server"),
        connection.serverHostname.isEmpty() ? machineHostName() : connection.serverHostname);
}

/// rewrite() for a request whose managed headers were just stripped (an untrusted peer, the
/// common case): none of them is present, so each is appended without searching for an earlier
/// one. Same fields in the same order as rewrite() gives such a request.
void rewriteStripped(RequestHead &request, const ConnectionFacts &connection,
    const ForwardedTrust &trust, const QByteArray &clientIp)
{
    HeaderList &h = request.headers;
    if (!clientIp.isEmpty())
        h.add(QByteArrayLiteral("X-Real-Ip"), clientIp);
    const bool tls = connection.tls;
    const QByteArray proto = isWebSocketRequest(h)
        ? (tls ? QByteArrayLiteral("wss") : QByteArrayLiteral("ws"))
        : (tls ? QByteArrayLiteral("https") : QByteArrayLiteral("http"));
    h.add(QByteArrayLiteral("X-Forwarded-Proto"), proto);
    const QByteArray host = requestHost(request);
    h.add(QByteArrayLiteral("X-Forwarded-Port"), forwardedPort(host, h, tls));
    if (trust.addsSchemeHeaders()) {
        h.add(QByteArrayLiteral("X-Forwarded-Scheme"), proto);
        h.add(QByteArrayLiteral("X-Scheme"), proto);
    }
    if (!host.isEmpty())
        h.add(QByteArrayLiteral("X-Forwarded-Host"), host);
    h.add(QByteArrayLiteral("X-Forwarded-Server"),
        connection.serverHostname.isEmpty() ? machineHostName() : connection.serverHostname);
}

/// RFC 9110 §7.6.1 at the entry point, as Traefik's removeConnectionHeaders does it.
void removeConnectionNamed(HeaderList &headers, const ForwardedTrust &trust)
{
    if (fieldCount(headers, "Connection") == 0)
        return;
    // Shared copies: the tokens are views into them while fields are removed.
    const std::vector<QByteArray> lines = headers.values("Connection");
    for (const QByteArray &line : lines) {
        forEachListToken(line, [&](QByteArrayView name) {
            if (isConnectionOptionRemovable(name) && !isManagedForwardedHeader(name)
                && !trust.keepsConnectionHeader(name))
                headers.remove(name);
        });
    }
}

/// Go's ReverseProxy: `prior, peer` (prior lines joined), unless appending is switched off.
void appendForwardedFor(HeaderList &headers, const QByteArray &clientIp)
{
    if (clientIp.isEmpty())
        return;
    const QByteArray prior = headers.combined("X-Forwarded-For");
    headers.set(
        QByteArrayLiteral("X-Forwarded-For"), prior.isNull() ? clientIp : prior + ", " + clientIp);
}

} // namespace

Expected<ForwardedTrust> ForwardedTrust::create(const QStringList &trustedIPs, bool insecure)
{
    ForwardedOptions options;
    options.trustedIPs = trustedIPs;
    options.insecure = insecure;
    return create(options);
}

Expected<ForwardedTrust> ForwardedTrust::create(const ForwardedOptions &options)
{
    ForwardedTrust trust;
    for (const QString &entry : options.trustedIPs) {
        QPair<QHostAddress, int> subnet;
        if (!parseSubnet(entry.trimmed(), subnet)) {
            return Error { QStringLiteral("invalid trusted ip \"%1\"").arg(entry), {},
                QStringLiteral("expected an IP such as 10.0.0.1 or a CIDR such as 10.0.0.0/8") };
        }
        trust.m_subnets << subnet;
    }
    for (const QString &name : options.connection)
        trust.m_connection << name.trimmed().toLatin1();
    trust.m_insecure = options.insecure;
    trust.m_notAppendXForwardedFor = options.notAppendXForwardedFor;
    trust.m_addXForwardedSchemeHeaders = options.addXForwardedSchemeHeaders;
    return trust;
}

bool ForwardedTrust::trusts(const QHostAddress &peer) const
{
    if (m_insecure)
        return true;
    if (m_subnets.isEmpty())
        return false; // the common case: no peer is trusted, no address conversion needed
    const QHostAddress address = unmapped(peer);
    return std::any_of(m_subnets.begin(), m_subnets.end(),
        [&](const auto &subnet) { return address.isInSubnet(subnet.first, subnet.second); });
}

bool ForwardedTrust::keepsConnectionHeader(QByteArrayView name) const
{
    return std::any_of(m_connection.begin(), m_connection.end(),
        [&](const QByteArray &kept) { return HeaderList::nameEquals(kept, name); });
}

void applyForwardedHeaders(
    RequestHead &request, const ConnectionFacts &connection, const ForwardedTrust &trust)
{
    HeaderList &h = request.headers;
    const bool trusted = trust.trusts(connection.peer);
    if (!trusted) {
        auto &fields = h.fields();
        fields.erase(std::remove_if(fields.begin(), fields.end(),
                         [](const HeaderField &f) { return isManagedForwardedHeader(f.name); }),
            fields.end());
    }
    // Go's net.SplitHostPort(RemoteAddr) fails without a peer: no X-Real-Ip, nothing appended.
    const QByteArray clientIp = !connection.peerText.isEmpty() ? connection.peerText
        : connection.peer.isNull()                             ? QByteArray()
                                                               : clientIpString(connection.peer);
    if (trusted)
        rewrite(request, connection, trust, clientIp);
    else
        rewriteStripped(request, connection, trust, clientIp);
    removeConnectionNamed(h, trust);
    if (!trust.appendsForwardedFor() || clientIp.isEmpty())
        return;
    if (trusted)
        appendForwardedFor(h, clientIp);
    else // stripped: no earlier X-Forwarded-For to join
        h.add(QByteArrayLiteral("X-Forwarded-For"), clientIp);
}

bool isManagedForwardedHeader(QByteArrayView name)
{
    if (name.isEmpty() || (name.front() != 'x' && name.front() != 'X'))
        return false;
    return std::any_of(std::begin(kManagedHeaders), std::end(kManagedHeaders),
        [&](QByteArrayView managed) { return equalsFolded(name, managed); });
}

QByteArray clientIpString(const QHostAddress &peer)
{
    QHostAddress address = unmapped(peer);
    address.setScopeId(QString());
    return address.toString().toLatin1();
}

} // namespace portico::http
