#pragma once

#include "core/common/expected.h"
#include "core/http/message.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QStringList>

namespace portico::http {

/// An entry point's `forwardedHeaders` section (Traefik static config), as written.
struct ForwardedOptions
{
    QStringList trustedIPs; ///< IPs or CIDRs whose X-Forwarded-* values are kept
    bool insecure = false; ///< trust every peer
    QStringList connection; ///< headers named in Connection that survive the entry point
    bool notAppendXForwardedFor = false; ///< do not append the peer to X-Forwarded-For
    bool addXForwardedSchemeHeaders = false; ///< also send X-Forwarded-Scheme and X-Scheme
};

/// An entry point's `forwardedHeaders` trust settings, parsed once.
class ForwardedTrust
{
public:
    ForwardedTrust() = default;
    /// `trustedIPs` are IPs or CIDRs (v4/v6); an invalid entry is returned as an error message.
    static Expected<ForwardedTrust> create(const QStringList &trustedIPs, bool insecure);
    /// The whole `forwardedHeaders` section; same validation as the overload above.
    static Expected<ForwardedTrust> create(const ForwardedOptions &options);
    /// True when the peer's X-Forwarded-* values are kept (IPv4-mapped IPv6 peers match v4 nets).
    bool trusts(const QHostAddress &peer) const;

    /// False with `notAppendXForwardedFor`: the peer is not appended to X-Forwarded-For.
    bool appendsForwardedFor() const { return !m_notAppendXForwardedFor; }
    /// True with `addXForwardedSchemeHeaders`: X-Forwarded-Scheme and X-Scheme are sent too.
    bool addsSchemeHeaders() const { return m_addXForwardedSchemeHeaders; }
    /// True when `name` is listed in `forwardedHeaders.connection` (case-insensitive).
    bool keepsConnectionHeader(QByteArrayView name) const;

private:
    QList<QPair<QHostAddress, int>> m_subnets;
    QList<QByteArray> m_connection;
    bool m_insecure = false;
    bool m_notAppendXForwardedFor = false;
    bool m_addXForwardedSchemeHeaders = false;
};

/// Facts about the downstream connection needed to fill in the X-Forwarded-* headers.
struct ConnectionFacts
{
    QHostAddress peer;
    bool tls = false;
    QByteArray serverHostname; ///< X-Forwarded-Server value (this machine's host name)
    QByteArray peerText; ///< clientIpString(peer) computed once per connection; empty = compute
};

/// Applies Traefik's entry-point forwarded-headers handling to `request` in place: strips the
/// managed X-Forwarded-* / X-Real-Ip headers from untrusted peers, then fills in X-Forwarded-Proto,
/// -Host, -Port, -Server, X-Real-Ip and appends the peer to X-Forwarded-For
/// (docs/traefik-behaviour.md, "X-Forwarded-* and related headers"). Fields named in Connection
/// are removed too (except managed ones, `connection`-listed ones, Upgrade, Host and framing
/// fields); the Connection field itself is left for the data plane.
void applyForwardedHeaders(
    RequestHead &request, const ConnectionFacts &connection, const ForwardedTrust &trust);

/// True for the headers Traefik manages and strips from untrusted peers (X-Forwarded-For,
/// X-Real-Ip, …), in any case and with `_` standing for `-` (`x_forwarded_for`).
bool isManagedForwardedHeader(QByteArrayView name);

/// The client IP as Traefik writes it: IPv4-mapped IPv6 shown as IPv4, IPv6 zone removed.
QByteArray clientIpString(const QHostAddress &peer);

} // namespace portico::http
