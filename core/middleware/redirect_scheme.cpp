#include "core/middleware/redirect_scheme.h"

#include "core/http/request_target.h"
#include "core/middleware/options.h"
#include "core/middleware/responses.h"

namespace portico::middleware {

namespace {

/// The groups of Traefik's pattern `^(https?://)?(\[[\w:.]+\]|[\w._-]+)?(:\d+)?(.*)$`.
struct UrlParts
{
    QByteArrayView scheme; ///< `http`/`https` without `://`, empty when absent
    QByteArrayView host;
    QByteArrayView port; ///< with its colon
    QByteArrayView rest;
};

bool isWord(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

qsizetype span(QByteArrayView s, qsizetype pos, bool (*accept)(char))
{
    while (pos < s.size() && accept(s[pos]))
        ++pos;
    return pos;
}

UrlParts matchUrl(QByteArrayView s)
{
    UrlParts parts;
    qsizetype pos = 0;
    for (QByteArrayView scheme : { QByteArrayView("https"), QByteArrayView("http") }) {
        if (s.startsWith(scheme) && s.sliced(scheme.size()).startsWith("://")) {
            parts.scheme = scheme;
            pos = scheme.size() + 3;
            break;
        }
    }
    const qsizetype close
        = span(s, pos + 1, [](char c) { return isWord(c) || c == ':' || c == '.'; });
    if (pos < s.size() && s[pos] == '[' && close > pos + 1 && close < s.size() && s[close] == ']') {
        parts.host = s.sliced(pos, close + 1 - pos);
    } else {
        parts.host = s.sliced(
            pos, span(s, pos, [](char c) { return isWord(c) || c == '.' || c == '-'; }) - pos);
    }
    pos += parts.host.size();
    const qsizetype digits = span(s, pos + 1, [](char c) { return c >= '0' && c <= '9'; });
    if (pos < s.size() && s[pos] == ':' && digits > pos + 1) {
        parts.port = s.sliced(pos, digits - pos);
        pos = digits;
    }
    parts.rest = s.sliced(pos);
    return parts;
}

bool isDefaultPort(QByteArrayView scheme, QByteArrayView port)
{
    return (scheme == QByteArrayView("http") && port == QByteArrayView(":80"))
        || (scheme == QByteArrayView("https") && port == QByteArrayView(":443"));
}

} // namespace

RedirectScheme::RedirectScheme(Spec spec)
    : m_scheme(spec.scheme.toUtf8())
    , m_permanent(spec.permanent)
{
    const QByteArray port = ':' + spec.port.toUtf8();
    if (!spec.port.isEmpty() && !isDefaultPort(m_scheme, port))
        m_port = port;
}

Expected<std::shared_ptr<const Middleware>> RedirectScheme::parse(const config::Node &node)
{
    const QStringList known { QStringLiteral("scheme"), QStringLiteral("port"),
        QStringLiteral("permanent") };
    const auto options = Options::read(node, QStringLiteral("redirectScheme"), known);
    if (!options)
        return options.error();
    Spec spec;
    auto scheme = options->string(QStringLiteral("scheme"));
    auto port = options->string(QStringLiteral("port"));
    auto permanent = options->boolean(QStringLiteral("permanent"), false);
    if (!scheme)
        return scheme.error();
    if (!port)
        return port.error();
    if (!permanent)
        return permanent.error();
    if (scheme->isEmpty())
        return node.error(QStringLiteral("redirectScheme needs a target scheme"),
            QStringLiteral("add scheme: https"));
    bool numeric = false;
    if (!port->isEmpty() && (port->toUShort(&numeric), !numeric))
        return options->node(QStringLiteral("port"))
            .error(QStringLiteral("invalid port \"%1\"").arg(*port));
    return std::shared_ptr<const Middleware>(
        std::make_shared<RedirectScheme>(Spec { *scheme, *port, *permanent }));
}

QByteArray RedirectScheme::currentUrl(const RequestContext &context)
{
    const http::RequestHead &request = context.request;
    const QByteArray hostHeader = http::requestHost(request);
    QByteArrayView host(hostHeader);
    QByteArrayView hostOnly;
    QByteArrayView portOnly;
    QByteArray port;
    if (http::splitHostPort(hostHeader, hostOnly, portOnly)) {
        host = hostOnly;
        port = ':' + portOnly.toByteArray();
    }
    QByteArrayView scheme("http");
    QByteArrayView uri(request.target);
    if (const UrlParts parts = matchUrl(request.target); !parts.scheme.isEmpty()) {
        scheme = parts.scheme;
        if (!parts.host.isEmpty())
            host = parts.host;
        if (!parts.port.isEmpty())
            port = parts.port.toByteArray();
        uri = parts.rest;
    }
    if (context.tls)
        scheme = "https";
    // Only http(s) reach this middleware; a ws/wss value set by an earlier hop maps back.
    const QByteArray proto = request.headers.value("X-Forwarded-Proto").toLower();
    if (proto == "http" || proto == "ws")
        scheme = "http";
    else if (proto == "https" || proto == "wss")
        scheme = "https";
    if (isDefaultPort(scheme, port))
        port.clear();
    return scheme.toByteArray() + "://" + host.toByteArray() + port + uri.toByteArray();
}

int RedirectScheme::redirectStatus(QByteArrayView method, bool permanent)
{
    if (method == QByteArrayView("GET"))
        return permanent ? 301 : 302;
    return permanent ? 308 : 307;
}

std::optional<LocalResponse> RedirectScheme::handleRequest(RequestContext &context) const
{
    const QByteArray current = currentUrl(context);
    const UrlParts parts = matchUrl(current);
    const QByteArray target
        = m_scheme + "://" + parts.host.toByteArray() + m_port + parts.rest.toByteArray();
    if (target == current)
        return std::nullopt;
    return redirectResponse(redirectStatus(context.request.method, m_permanent), target);
}

} // namespace portico::middleware
