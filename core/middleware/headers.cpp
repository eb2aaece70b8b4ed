#include "core/middleware/headers.h"

#include "core/middleware/options.h"

namespace portico::middleware {

namespace {

const QStringList &supportedOptions()
{
    static const QStringList keys { QStringLiteral("customRequestHeaders"),
        QStringLiteral("customResponseHeaders") };
    return keys;
}

/// Traefik's other `headers` options: known, so a typo still gets a hint, but not implemented.
const QStringList &unsupportedOptions()
{
    static const QStringList keys { QStringLiteral("accessControlAllowCredentials"),
        QStringLiteral("accessControlAllowHeaders"), QStringLiteral("accessControlAllowMethods"),
        QStringLiteral("accessControlAllowOriginList"),
        QStringLiteral("accessControlAllowOriginListRegex"),
        QStringLiteral("accessControlExposeHeaders"), QStringLiteral("accessControlMaxAge"),
        QStringLiteral("addVaryHeader"), QStringLiteral("allowedHosts"),
        QStringLiteral("hostsProxyHeaders"), QStringLiteral("sslProxyHeaders"),
        QStringLiteral("stsSeconds"), QStringLiteral("stsIncludeSubdomains"),
        QStringLiteral("stsPreload"), QStringLiteral("forceSTSHeader"), QStringLiteral("frameDeny"),
        QStringLiteral("customFrameOptionsValue"), QStringLiteral("contentTypeNosniff"),
        QStringLiteral("browserXssFilter"), QStringLiteral("customBrowserXSSValue"),
        QStringLiteral("contentSecurityPolicy"), QStringLiteral("contentSecurityPolicyReportOnly"),
        QStringLiteral("publicKey"), QStringLiteral("referrerPolicy"),
        QStringLiteral("permissionsPolicy"), QStringLiteral("isDevelopment"),
        QStringLiteral("featurePolicy"), QStringLiteral("sslRedirect"),
        QStringLiteral("sslTemporaryRedirect"), QStringLiteral("sslHost"),
        QStringLiteral("sslForceHost") };
    return keys;
}

Expected<Headers::HeaderValues> readHeaderMap(const Options &options, const QString &key)
{
    auto map = options.stringMap(key);
    if (!map)
        return map.error();
    Headers::HeaderValues out;
    for (const auto &[name, value] : *map) {
        if (name.isEmpty() || name.contains(u' ') || name.contains(u':'))
            return options.node(key).error(QStringLiteral("invalid header name \"%1\"").arg(name));
        out.emplace_back(name.toLatin1(), value.toUtf8());
    }
    return out;
}

void apply(HeaderList &headers, const Headers::HeaderValues &values)
{
    for (const auto &[name, value] : values) {
        if (!value.isEmpty())
            headers.set(name, value);
        else if (!HeaderList::nameEquals(name, "Host")) // Go keeps Host outside the header map
            headers.remove(name);
    }
}

} // namespace

Headers::Headers(Spec spec)
    : m_spec(std::move(spec))
{ }

Expected<std::shared_ptr<const Middleware>> Headers::parse(const config::Node &node)
{
    const auto options
        = Options::read(node, QStringLiteral("headers"), supportedOptions() + unsupportedOptions());
    if (!options)
        return options.error();
    if (auto supported = options->rejectUnsupported(unsupportedOptions()); !supported)
        return supported.error();
    auto request = readHeaderMap(*options, QStringLiteral("customRequestHeaders"));
    if (!request)
        return request.error();
    auto response = readHeaderMap(*options, QStringLiteral("customResponseHeaders"));
    if (!response)
        return response.error();
    return std::shared_ptr<const Middleware>(
        std::make_shared<Headers>(Spec { *request, *response }));
}

std::optional<LocalResponse> Headers::handleRequest(RequestContext &context) const
{
    // An empty X-Forwarded-For removes it completely: applyForwardedHeaders already appended the
    // peer, so removing the field here is Traefik's "do not send X-Forwarded-For".
    apply(context.request.headers, m_spec.customRequestHeaders);
    return std::nullopt;
}

void Headers::handleResponse(const RequestContext &, http::ResponseHead &response) const
{
    apply(response.headers, m_spec.customResponseHeaders);
}

} // namespace portico::middleware
