#pragma once

#include "core/common/expected.h"
#include "core/config/node.h"
#include "core/middleware/middleware.h"

#include <memory>

namespace portico::middleware {

/// `replacePath`: forwards every request with a fixed path; the path it replaced goes into
/// `X-Replaced-Path` (Traefik pkg/middlewares/replacepath).
class ReplacePath final : public Middleware
{
public:
    struct Spec
    {
        QString path; ///< escaped form, e.g. `/api/v2` or `/a%20b`
    };

    explicit ReplacePath(Spec spec);
    /// Options: `path` (string; a malformed `%` escape is an error).
    static Expected<std::shared_ptr<const Middleware>> parse(const config::Node &options);
    /// Replaces the path and adds `X-Replaced-Path: <previous escaped path>`.
    std::optional<LocalResponse> handleRequest(RequestContext &context) const override;

private:
    QByteArray m_forwardedPath; ///< what Go's EscapedPath() gives for the configured path
};

} // namespace portico::middleware
