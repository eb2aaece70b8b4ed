#include "core/middleware/registry.h"

#include "core/common/suggest.h"

namespace portico::middleware {

Expected<MiddlewarePtr> Registry::create(const QString &kind, const config::Node &options) const
{
    const auto it = m_factories.find(kind);
    if (it == m_factories.end()) {
        return options.error(QStringLiteral("unknown middleware type \"%1\"").arg(kind),
                             didYouMean(kind, kinds()));
    }
    return it->second(options);
}

QStringList Registry::kinds() const
{
    QStringList out;
    for (const auto &entry : m_factories)
        out << entry.first;
    return out;
}

} // namespace portico::middleware
