#include "core/rules/client_ip_matcher.h"

#include <QHostAddress>

namespace portico::rules {

namespace {

constexpr std::array<quint8, 12> kMappedPrefix = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/// Strict dotted quad: four decimal parts 0-255 without leading zeros (as Go's net.ParseIP).
bool parseIpv4(QByteArrayView text, std::array<quint8, 16> &out)
{
    int part = 0;
    qsizetype i = 0;
    for (; part < 4; ++part) {
        const qsizetype start = i;
        int value = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - start < 3)
            value = value * 10 + (text[i++] - '0');
        const qsizetype digits = i - start;
        if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
            return false;
        out[size_t(part)] = quint8(value);
        if (part < 3 && (i >= text.size() || text[i++] != '.'))
            return false;
    }
    return i == text.size();
}

bool parseIpv6(QByteArrayView text, std::array<quint8, 16> &out)
{
    // Zones (`fe80::1%eth0`) are not addresses a peer can be compared with; Go refuses them too.
    if (!text.contains(':') || text.contains('%'))
        return false;
    QHostAddress address;
    if (!address.setAddress(QString::fromLatin1(text))
        || address.protocol() != QAbstractSocket::IPv6Protocol)
        return false;
    const Q_IPV6ADDR raw = address.toIPv6Address();
    std::copy(std::begin(raw.c), std::end(raw.c), out.begin());
    return true;
}

bool isMapped(const std::array<quint8, 16> &bytes)
{
    return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
}

std::optional<int> parsePrefix(QByteArrayView text, int max)
{
    if (text.isEmpty() || text.size() > 3 || (text.size() > 1 && text[0] == '0'))
        return std::nullopt;
    int value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value <= max ? std::optional<int>(value) : std::nullopt;
}

/// Folds an IPv4-mapped IPv6 address (and a mapped network of prefix ≥ 96) to IPv4.
void foldMapped(IpNetwork &n)
{
    if (n.v4 || !isMapped(n.bytes) || n.prefix < 96)
        return;
    std::copy(n.bytes.begin() + 12, n.bytes.end(), n.bytes.begin());
    std::fill(n.bytes.begin() + 4, n.bytes.end(), quint8(0));
    n.v4 = true;
    n.prefix -= 96;
}

bool prefixEquals(const quint8 *a, const quint8 *b, int bits)
{
    const int whole = bits / 8;
    if (!std::equal(a, a + whole, b))
        return false;
    const int rest = bits % 8;
    const quint8 mask = quint8(0xff << (8 - rest));
    return rest == 0 || (a[whole] & mask) == (b[whole] & mask);
}

} // namespace

std::optional<IpNetwork> IpNetwork::parse(QByteArrayView text)
{
    const qsizetype slash = text.indexOf('/');
    const QByteArrayView address = slash < 0 ? text : text.first(slash);
    IpNetwork n;
    n.v4 = !address.contains(':');
    if (!(n.v4 ? parseIpv4(address, n.bytes) : parseIpv6(address, n.bytes)))
        return std::nullopt;
    const int max = n.v4 ? 32 : 128;
    const auto prefix
        = slash < 0 ? std::optional<int>(max) : parsePrefix(text.sliced(slash + 1), max);
    if (!prefix)
        return std::nullopt;
    n.prefix = *prefix;
    foldMapped(n);
    return n;
}

bool IpNetwork::contains(const QHostAddress &address) const
{
    std::array<quint8, 16> peer {};
    bool peerV4 = address.protocol() == QAbstractSocket::IPv4Protocol;
    if (peerV4) {
        const quint32 ip = address.toIPv4Address();
        peer = { quint8(ip >> 24), quint8(ip >> 16), quint8(ip >> 8), quint8(ip) };
    } else if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        const Q_IPV6ADDR raw = address.toIPv6Address();
        std::copy(std::begin(raw.c), std::end(raw.c), peer.begin());
        if (isMapped(peer)) {
            std::copy(peer.begin() + 12, peer.end(), peer.begin());
            peerV4 = true;
        }
    } else {
        return false;
    }
    return peerV4 == v4 && prefixEquals(peer.data(), bytes.data(), prefix);
}

Expected<NodePtr> ClientIpMatcher::make(const std::vector<Argument> &args)
{
    const Argument &arg = args.front();
    const auto network = IpNetwork::parse(arg.value);
    if (!network) {
        return errorAt(arg.column,
            QStringLiteral("invalid IP address or CIDR \"%1\"").arg(QString::fromUtf8(arg.value)),
            QStringLiteral(
                "write an address such as 192.168.1.7 or ::1, or a network such as 10.0.0.0/8"));
    }
    return NodePtr(std::make_unique<ClientIpMatcher>(*network));
}

ClientIpMatcher::ClientIpMatcher(IpNetwork network)
    : m_network(network)
{ }

bool ClientIpMatcher::matches(const RequestFacts &facts) const
{
    return m_network.contains(facts.clientIp);
}

} // namespace portico::rules
