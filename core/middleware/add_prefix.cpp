#include "core/middleware/add_prefix.h"

#include "core/http/request_target.h"
#include "core/middleware/options.h"

namespace portico::middleware {

namespace {

QByteArray withLeadingSlash(QByteArray path)
{
    if (!path.isEmpty() && !path.startsWith('/'))
        path.prepend('/');
    return path;
}

} // namespace

AddPrefix::AddPrefix(Spec spec)
    : m_prefix(spec.prefix.toUtf8())
{ }

Expected<std::shared_ptr<const Middleware>> AddPrefix::parse(const config::Node &node)
{
    const auto options
        = Options::read(node, QStringLiteral("addPrefix"), { QStringLiteral("prefix") });
    if (!options)
        return options.error();
    auto prefix = options->string(QStringLiteral("prefix"));
    if (!prefix)
        return prefix.error();
    if (prefix->isEmpty())
        return options->node(QStringLiteral("prefix"))
            .error(QStringLiteral("addPrefix prefix cannot be empty"));
    return std::shared_ptr<const Middleware>(std::make_shared<AddPrefix>(Spec { *prefix }));
}

std::optional<LocalResponse> AddPrefix::handleRequest(RequestContext &context) const
{
    http::RequestHead &request = context.request;
    const QByteArray raw = request.path();
    // Like Go's URL, the prefix joins the decoded path as is and the escaped path verbatim;
    // escapedPath() then picks what Go's EscapedPath() would send.
    const QByteArray newDecoded = withLeadingSlash(m_prefix + http::percentDecode(raw));
    const QByteArray newRaw = withLeadingSlash(m_prefix + raw);
    request.target = http::rewriteTargetPath(request.target, http::escapedPath(newRaw, newDecoded));
    return std::nullopt;
}

} // namespace portico::middleware
