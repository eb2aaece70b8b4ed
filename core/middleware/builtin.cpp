#include "core/middleware/registry.h"

namespace portico::middleware {

const Registry &builtinMiddlewares()
{
    static const Registry registry = [] {
        Registry r;
        return r;
    }();
    return registry;
}

} // namespace portico::middleware
