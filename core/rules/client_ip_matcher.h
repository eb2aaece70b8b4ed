#pragma once

#include "core/rules/node.h"

#include <array>

namespace portico::rules {

/// An IPv4 or IPv6 network; IPv4-mapped IPv6 addresses are kept as IPv4 so that both spellings
/// of one address compare equal (as Go's net.IP does).
struct IpNetwork
{
    bool v4 = true;
    std::array<quint8, 16> bytes {}; ///< network address; IPv4 uses the first 4 bytes
    int prefix = 0; ///< significant leading bits

    /// Parses `a.b.c.d`, an IPv6 address, or either with `/prefix`; nullopt when malformed.
    static std::optional<IpNetwork> parse(QByteArrayView text);
    /// True when `address` lies in this network.
    bool contains(const QHostAddress &address) const;
};

/// `ClientIP(ip-or-cidr)`: the TCP peer address lies in the network; forwarded headers are
/// never consulted.
class ClientIpMatcher final : public Node
{
public:
    /// Parses the IP or CIDR argument (Go net.ParseIP / ParseCIDR syntax).
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    explicit ClientIpMatcher(IpNetwork network);

    bool matches(const RequestFacts &facts) const override;

private:
    IpNetwork m_network;
};

} // namespace portico::rules
