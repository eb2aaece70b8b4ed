#pragma once

#include "core/common/expected.h"
#include "core/config/node.h"
#include "core/middleware/middleware.h"

#include <memory>

namespace portico::middleware {

/// `addPrefix`: puts a fixed prefix in front of the path before forwarding
/// (Traefik pkg/middlewares/addprefix).
class AddPrefix final : public Middleware
{
public:
    struct Spec
    {
        QString prefix; ///< required, non-empty; a missing leading `/` is added to the result
    };

    explicit AddPrefix(Spec spec);
    /// Options: `prefix` (string, required).
    static Expected<std::shared_ptr<const Middleware>> parse(const config::Node &options);
    /// Prefixes the path; never answers by itself.
    std::optional<LocalResponse> handleRequest(RequestContext &context) const override;

private:
    QByteArray m_prefix;
};

} // namespace portico::middleware
