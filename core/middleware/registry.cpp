#include "core/middleware/registry.h"

#include "core/common/suggest.h"

#include <algorithm>

namespace portico::middleware {

Expected<MiddlewarePtr> Registry::create(const QString &kind, const config::Node &options) const
{
    auto it = m_factories.find(kind);
    // Traefik matches middleware types case-insensitively (Docker labels spell `stripprefix`).
    if (it == m_factories.end()) {
        it = std::find_if(m_factories.begin(), m_factories.end(),
            [&](const auto &entry) { return entry.first.compare(kind, Qt::CaseInsensitive) == 0; });
    }
    if (it == m_factories.end()) {
        return options.error(
            QStringLiteral("unknown middleware type \"%1\"").arg(kind), didYouMean(kind, kinds()));
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
