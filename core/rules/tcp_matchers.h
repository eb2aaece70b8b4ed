#pragma once

#include "core/rules/node.h"

namespace portico::rules {

/// `HostSNI(name)`: the TLS server name (RFC 6066 §3) equals `name`, case-insensitively and
/// ignoring a trailing dot; `HostSNI(`*`)` matches every connection, TLS or not, with or without
/// a server name (Traefik v3 pkg/muxer/tcp).
class HostSniMatcher final : public Node
{
public:
    /// Validates the value (Traefik: letters, digits, `.`, `-`, `:` only, or `*`).
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    explicit HostSniMatcher(QByteArray host);

    bool matches(const RequestFacts &facts) const override;
    std::optional<HostRequirement> hostRequirement() const override;
    /// True for `HostSNI(`*`)`.
    bool isCatchAll() const { return m_host.isEmpty(); }

private:
    QByteArray m_host; ///< lower-case without trailing dot; empty for `*`
};

/// `ALPN(protocol)`: the ClientHello offers `protocol` (RFC 7301 §3.1), compared exactly.
class AlpnMatcher final : public Node
{
public:
    /// Refuses `acme-tls/1`, which Traefik keeps for its own ACME challenges.
    static Expected<NodePtr> make(const std::vector<Argument> &args);
    explicit AlpnMatcher(QByteArray protocol);

    bool matches(const RequestFacts &facts) const override;

private:
    QByteArray m_protocol;
};

/// `HostSNIRegexp(re)`: the regexp searched in the canonical server name (empty without SNI).
Expected<NodePtr> makeHostSniRegexp(const std::vector<Argument> &args);

} // namespace portico::rules
