#include "core/middleware/add_prefix.h"
#include "core/middleware/headers.h"
#include "core/middleware/redirect_scheme.h"
#include "core/middleware/registry.h"
#include "core/middleware/replace_path.h"
#include "core/middleware/strip_prefix.h"

namespace portico::middleware {

const Registry &builtinMiddlewares()
{
    static const Registry registry = [] {
        Registry r;
        r.add<AddPrefix>(QStringLiteral("addPrefix"));
        r.add<Headers>(QStringLiteral("headers"));
        r.add<RedirectScheme>(QStringLiteral("redirectScheme"));
        r.add<ReplacePath>(QStringLiteral("replacePath"));
        r.add<StripPrefix>(QStringLiteral("stripPrefix"));
        return r;
    }();
    return registry;
}

} // namespace portico::middleware
