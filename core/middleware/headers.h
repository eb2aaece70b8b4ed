#pragma once

#include "core/common/expected.h"
#include "core/config/node.h"
#include "core/middleware/middleware.h"

#include <memory>
#include <utility>
#include <vector>

namespace portico::middleware {

/// `headers`, limited to custom request and response headers (Traefik pkg/middlewares/headers).
/// Traefik's security and CORS options are recognised and rejected as not supported yet.
class Headers final : public Middleware
{
public:
    using HeaderValues = std::vector<std::pair<QByteArray, QByteArray>>;

    struct Spec
    {
        HeaderValues customRequestHeaders; ///< set on the request; an empty value removes it
        HeaderValues customResponseHeaders; ///< set on the response; an empty value removes it
    };

    explicit Headers(Spec spec);
    /// Options: `customRequestHeaders`, `customResponseHeaders` (maps of name → value).
    static Expected<std::shared_ptr<const Middleware>> parse(const config::Node &options);
    /// Applies customRequestHeaders; never answers by itself.
    std::optional<LocalResponse> handleRequest(RequestContext &context) const override;
    /// Applies customResponseHeaders.
    void handleResponse(const RequestContext &context, http::ResponseHead &response) const override;

private:
    Spec m_spec;
};

} // namespace portico::middleware
