#pragma once

#include "core/common/expected.h"
#include "core/config/node.h"
#include "core/middleware/middleware.h"

#include <QStringList>

#include <memory>
#include <vector>

namespace portico::middleware {

/// `stripPrefix`: removes the first matching prefix from the path before forwarding and records
/// it in `X-Forwarded-Prefix` (Traefik pkg/middlewares/stripprefix).
class StripPrefix final : public Middleware
{
public:
    struct Spec
    {
        QStringList prefixes; ///< compared with the decoded path, first match wins
        bool forceSlash = false; ///< deprecated Traefik v2 behaviour: always keep a leading `/`
    };

    explicit StripPrefix(Spec spec);
    /// Options: `prefixes` (list), `forceSlash` (deprecated bool).
    static Expected<std::shared_ptr<const Middleware>> parse(const config::Node &options);
    /// Strips the prefix; answers 400 when the rest holds `.`/`..` segments (Traefik v3.7.3+).
    std::optional<LocalResponse> handleRequest(RequestContext &context) const override;

private:
    QByteArray stripped(QByteArrayView rest) const;

    Spec m_spec;
    std::vector<QByteArray> m_prefixes;
};

} // namespace portico::middleware
