#include "core/rules/path_matchers.h"

namespace portico::rules {

namespace {

Expected<NodePtr> makePath(const std::vector<Argument> &args, bool prefix)
{
    const Argument &arg = args.front();
    if (!arg.value.startsWith('/')) {
        return errorAt(arg.column,
            QStringLiteral("path \"%1\" does not start with \"/\"")
                .arg(QString::fromUtf8(arg.value)),
            QStringLiteral("write \"/%1\"").arg(QString::fromUtf8(arg.value)));
    }
    return NodePtr(std::make_unique<PathMatcher>(arg.value, prefix));
}

} // namespace

Expected<NodePtr> PathMatcher::makeExact(const std::vector<Argument> &args)
{
    return makePath(args, false);
}

Expected<NodePtr> PathMatcher::makePrefix(const std::vector<Argument> &args)
{
    return makePath(args, true);
}

PathMatcher::PathMatcher(QByteArray path, bool prefix)
    : m_path(std::move(path))
    , m_prefix(prefix)
{ }

bool PathMatcher::matches(const RequestFacts &facts) const
{
    return m_prefix ? facts.path.startsWith(m_path) : facts.path == QByteArrayView(m_path);
}

Expected<NodePtr> PathRegexpMatcher::make(const std::vector<Argument> &args)
{
    auto re = compileRegex(args.front());
    if (!re)
        return re.error();
    return NodePtr(std::make_unique<PathRegexpMatcher>(std::move(*re)));
}

PathRegexpMatcher::PathRegexpMatcher(RegexPtr re)
    : m_re(std::move(re))
{ }

bool PathRegexpMatcher::matches(const RequestFacts &facts) const
{
    return regexFinds(*m_re, facts.path);
}

Expected<NodePtr> MethodMatcher::make(const std::vector<Argument> &args)
{
    return NodePtr(std::make_unique<MethodMatcher>(args.front().value.toUpper()));
}

MethodMatcher::MethodMatcher(QByteArray method)
    : m_method(std::move(method))
{ }

bool MethodMatcher::matches(const RequestFacts &facts) const
{
    return facts.method == QByteArrayView(m_method);
}

} // namespace portico::rules
