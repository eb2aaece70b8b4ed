#pragma once

#include "core/common/expected.h"
#include "core/http/message.h"

#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QStringList>

namespace portico::http {

/// An entry point's `forwardedHeaders` trust settings, parsed once.
class ForwardedTrust
{
public:
    ForwardedTrust() = default;
    /// `trustedIPs` are IPs or CIDRs (v4/v6); an invalid entry is returned as an error message.
    static Expected<ForwardedTrust> create(const QStringList &trustedIPs, bool insecure);
    bool trusts(const QHostAddress &peer) const;

private:
    QList<QPair<QHostAddress, int>> m_subnets;
    bool m_insecure = false;
};

/// Facts about the downstream connection needed to fill in the X-Forwarded-* headers.
struct ConnectionFacts
{
    QHostAddress peer;
    bool tls = false;
    QByteArray serverHostname;  ///< X-Forwarded-Server value (this machine's host name)
};

/// Applies Traefik's entry-point forwarded-headers handling to `request` in place: strips the
/// managed X-Forwarded-* / X-Real-Ip headers from untrusted peers, then fills in X-Forwarded-Proto,
/// -Host, -Port, -Server, X-Real-Ip and appends the peer to X-Forwarded-For
/// (docs/traefik-behaviour.md, "X-Forwarded-* and related headers").
void applyForwardedHeaders(RequestHead &request, const ConnectionFacts &connection,
                           const ForwardedTrust &trust);

} // namespace portico::http
