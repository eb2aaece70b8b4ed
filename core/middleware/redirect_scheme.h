#pragma once

#include "core/common/expected.h"
#include "core/config/node.h"
#include "core/middleware/middleware.h"

#include <memory>

namespace portico::middleware {

/// `redirectScheme`: redirects to the same URL with another scheme (and port), e.g. http → https
/// (Traefik pkg/middlewares/redirect/redirect_scheme.go).
class RedirectScheme final : public Middleware
{
public:
    struct Spec
    {
        QString scheme; ///< required: target scheme, usually `https`
        QString port; ///< target port; empty, or the scheme's default, means none in the URL
        bool permanent = false; ///< 301/308 instead of 302/307
    };

    explicit RedirectScheme(Spec spec);
    /// Options: `scheme` (required), `port` (string or number), `permanent` (bool).
    static Expected<std::shared_ptr<const Middleware>> parse(const config::Node &options);
    /// Answers the redirect unless the request already has the target URL.
    std::optional<LocalResponse> handleRequest(RequestContext &context) const override;

    /// The URL Traefik considers current: scheme from TLS / X-Forwarded-Proto (ws→http,
    /// wss→https), Host, the request-target; the scheme's default port dropped.
    static QByteArray currentUrl(const RequestContext &context);
    /// Traefik's redirect status rule: GET → 302 (301 permanent), other methods → 307 (308).
    static int redirectStatus(QByteArrayView method, bool permanent);

private:
    QByteArray m_scheme;
    QByteArray m_port; ///< `:8443`, or empty
    bool m_permanent = false;
};

} // namespace portico::middleware
