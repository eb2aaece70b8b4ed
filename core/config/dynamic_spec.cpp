#include "core/config/dynamic_spec.h"

namespace portico::config {

SourceLocation Origin::at(const QString &field) const
{
    const auto it = fields.find(field);
    return it != fields.end() ? it->second : where;
}

} // namespace portico::config
