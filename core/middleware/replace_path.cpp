#include "core/middleware/replace_path.h"

#include "core/http/request_target.h"
#include "core/middleware/options.h"

#include <cctype>

namespace portico::middleware {

namespace {

bool hasMalformedEscape(QByteArrayView path)
{
    const auto isHex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (path[i] != '%')
            continue;
        if (i + 2 >= path.size() || !isHex(path[i + 1]) || !isHex(path[i + 2]))
            return true;
        i += 2;
    }
    return false;
}

} // namespace

ReplacePath::ReplacePath(Spec spec)
{
    const QByteArray raw = spec.path.toUtf8();
    m_forwardedPath = http::escapedPath(raw, http::percentDecode(raw));
}

Expected<std::shared_ptr<const Middleware>> ReplacePath::parse(const config::Node &node)
{
    const auto options
        = Options::read(node, QStringLiteral("replacePath"), { QStringLiteral("path") });
    if (!options)
        return options.error();
    auto path = options->string(QStringLiteral("path"));
    if (!path)
        return path.error();
    // Traefik fails every request with 500 when url.PathUnescape rejects the path; refusing the
    // configuration says the same thing earlier.
    if (hasMalformedEscape(path->toUtf8())) {
        return options->node(QStringLiteral("path"))
            .error(
                QStringLiteral("invalid percent-encoding in replacePath path \"%1\"").arg(*path));
    }
    return std::shared_ptr<const Middleware>(std::make_shared<ReplacePath>(Spec { *path }));
}

std::optional<LocalResponse> ReplacePath::handleRequest(RequestContext &context) const
{
    http::RequestHead &request = context.request;
    request.headers.add(QByteArrayLiteral("X-Replaced-Path"), request.path());
    request.target = http::rewriteTargetPath(request.target, m_forwardedPath);
    return std::nullopt;
}

} // namespace portico::middleware
