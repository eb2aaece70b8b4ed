#pragma once

#include "core/common/expected.h"
#include "core/config/node.h"
#include "core/middleware/middleware.h"

#include <QStringList>

#include <functional>
#include <map>
#include <memory>

namespace portico::middleware {

using MiddlewarePtr = std::shared_ptr<const Middleware>;

/// Maps a middleware kind as spelled in config (`stripPrefix`) to its parser.
class Registry
{
public:
    using Factory = std::function<Expected<MiddlewarePtr>(const config::Node &options)>;

    /// Registers T, which provides `static Expected<MiddlewarePtr> parse(const config::Node &)`.
    template <typename T> void add(const QString &kind) { m_factories.emplace(kind, &T::parse); }
    /// Builds a middleware; unknown kinds get an error with a "did you mean" hint.
    Expected<MiddlewarePtr> create(const QString &kind, const config::Node &options) const;
    bool contains(const QString &kind) const { return m_factories.count(kind) != 0; }
    QStringList kinds() const;

private:
    std::map<QString, Factory> m_factories;
};

/// The only list of middleware kinds Portico knows (core/middleware/builtin.cpp).
const Registry &builtinMiddlewares();

} // namespace portico::middleware
