#include "core/middleware/strip_prefix.h"

#include "core/http/request_target.h"
#include "core/middleware/options.h"
#include "core/middleware/responses.h"

namespace portico::middleware {

namespace {

/// Bytes of `rawPath` that encode the first `decodedLength` decoded bytes (a `%xx` is one).
qsizetype encodedPrefixLength(QByteArrayView rawPath, qsizetype decodedLength)
{
    qsizetype i = 0;
    for (qsizetype decoded = 0; i < rawPath.size() && decoded < decodedLength; ++decoded)
        i += (rawPath[i] == '%' && i + 2 < rawPath.size()) ? 3 : 1;
    return i;
}

} // namespace

StripPrefix::StripPrefix(Spec spec)
    : m_spec(std::move(spec))
{
    for (const QString &prefix : m_spec.prefixes)
        m_prefixes.push_back(prefix.toUtf8());
}

Expected<std::shared_ptr<const Middleware>> StripPrefix::parse(const config::Node &node)
{
    const auto options = Options::read(node, QStringLiteral("stripPrefix"),
        { QStringLiteral("prefixes"), QStringLiteral("forceSlash") });
    if (!options)
        return options.error();
    Spec spec;
    auto prefixes = options->stringList(QStringLiteral("prefixes"));
    if (!prefixes)
        return prefixes.error();
    spec.prefixes = *prefixes;
    auto forceSlash = options->boolean(QStringLiteral("forceSlash"), false);
    if (!forceSlash)
        return forceSlash.error();
    spec.forceSlash = *forceSlash;
    return std::shared_ptr<const Middleware>(std::make_shared<StripPrefix>(std::move(spec)));
}

QByteArray StripPrefix::stripped(QByteArrayView rest) const
{
    if (m_spec.forceSlash) {
        while (rest.startsWith('/'))
            rest = rest.sliced(1);
        return '/' + rest.toByteArray();
    }
    if (rest.isEmpty() || rest.startsWith('/'))
        return rest.toByteArray();
    return '/' + rest.toByteArray();
}

std::optional<LocalResponse> StripPrefix::handleRequest(RequestContext &context) const
{
    http::RequestHead &request = context.request;
    const QByteArray raw = request.path();
    const QByteArray decoded = http::percentDecode(raw);
    for (const QByteArray &prefix : m_prefixes) {
        if (!decoded.startsWith(prefix))
            continue;
        const QByteArray newDecoded = stripped(QByteArrayView(decoded).sliced(prefix.size()));
        const QByteArray newRaw
            = stripped(QByteArrayView(raw).sliced(encodedPrefixLength(raw, prefix.size())));
        // A rest such as `/../admin` would let the backend resolve a path the router never saw.
        if (http::hasDotSegment(newDecoded))
            return errorResponse(400);
        request.headers.add(QByteArrayLiteral("X-Forwarded-Prefix"), prefix.trimmed());
        request.target
            = http::rewriteTargetPath(request.target, http::escapedPath(newRaw, newDecoded));
        return std::nullopt;
    }
    return std::nullopt;
}

} // namespace portico::middleware
