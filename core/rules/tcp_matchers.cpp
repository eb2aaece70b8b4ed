#include "core/rules/tcp_matchers.h"

#include "core/common/ascii.h"
#include "core/rules/host_matchers.h"

namespace portico::rules {

namespace {

/// Traefik's hostOrIP pattern `^[[:alnum:]\.\-\:]+$`.
bool isHostOrIp(QByteArrayView value)
{
    if (value.isEmpty())
        return false;
    for (const char c : value) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '-' || c == ':';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

Expected<NodePtr> HostSniMatcher::make(const std::vector<Argument> &args)
{
    const Argument &arg = args.front();
    if (arg.value == "*")
        return NodePtr(std::make_unique<HostSniMatcher>(QByteArray()));
    if (!isHostOrIp(arg.value)) {
        QString hint = QStringLiteral("write internationalised names in punycode (xn--...)");
        if (arg.value.startsWith("*.")) {
            QString suffix = QString::fromUtf8(arg.value.mid(1));
            suffix.replace(QLatin1String("."), QLatin1String("\\."));
            hint = QStringLiteral("HostSNI takes no wildcards; use HostSNIRegexp(`^[a-z0-9-]+%1$`)")
                       .arg(suffix);
        }
        return errorAt(arg.column,
            QStringLiteral("invalid HostSNI value \"%1\": not a valid hostname or IP")
                .arg(QString::fromUtf8(arg.value)),
            hint);
    }
    return NodePtr(std::make_unique<HostSniMatcher>(
        ascii::withoutTrailingDot(arg.value).toByteArray().toLower()));
}

HostSniMatcher::HostSniMatcher(QByteArray host)
    : m_host(std::move(host))
{ }

bool HostSniMatcher::matches(const RequestFacts &facts) const
{
    if (m_host.isEmpty())
        return true;
    const QByteArrayView name = ascii::withoutTrailingDot(facts.host);
    return !name.isEmpty() && ascii::equalsIgnoreCase(name, m_host);
}

std::optional<HostRequirement> HostSniMatcher::hostRequirement() const
{
    if (m_host.isEmpty())
        return std::nullopt;
    HostRequirement r;
    r.exact.push_back(m_host);
    return r;
}

Expected<NodePtr> AlpnMatcher::make(const std::vector<Argument> &args)
{
    const Argument &arg = args.front();
    if (arg.value == "acme-tls/1")
        return errorAt(arg.column,
            QStringLiteral("invalid ALPN protocol \"acme-tls/1\": it is not allowed"),
            QStringLiteral("acme-tls/1 is reserved for ACME TLS-ALPN challenges (RFC 8737)"));
    return NodePtr(std::make_unique<AlpnMatcher>(arg.value));
}

AlpnMatcher::AlpnMatcher(QByteArray protocol)
    : m_protocol(std::move(protocol))
{ }

bool AlpnMatcher::matches(const RequestFacts &facts) const
{
    if (!facts.alpn)
        return false;
    for (const QByteArray &offered : *facts.alpn) {
        if (offered == m_protocol)
            return true;
    }
    return false;
}

Expected<NodePtr> makeHostSniRegexp(const std::vector<Argument> &args)
{
    for (const char c : args.front().value) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return errorAt(args.front().column,
                QStringLiteral("invalid HostSNIRegexp value \"%1\": non-ASCII characters are not "
                               "allowed")
                    .arg(QString::fromUtf8(args.front().value)),
                QStringLiteral("write internationalised names in punycode (xn--...)"));
    }
    return HostRegexpMatcher::make(args);
}

} // namespace portico::rules
