#include "core/control/api/api_types.h"

#include <algorithm>

namespace portico::control::api {

namespace {

/// Splits `/a/b/c` into {"a", "b", "c"}; empty segments (`//`, trailing `/`) are kept so that
/// `/api/http/routers/` does not match `/api/http/routers`.
QStringList segmentsOf(const QString &path)
{
    QStringList segments = path.split(QLatin1Char('/'));
    if (!segments.isEmpty() && segments.first().isEmpty())
        segments.removeFirst();
    return segments;
}

bool isPlaceholder(const QString &segment)
{
    return segment.size() > 2 && segment.startsWith(QLatin1Char('{'))
        && segment.endsWith(QLatin1Char('}'));
}

bool isRestPlaceholder(const QString &segment)
{
    return isPlaceholder(segment) && segment.endsWith(QLatin1String("...}"));
}

/// Matches one route's segments against the request's; fills `captures` on success.
bool matchSegments(const QStringList &pattern, const QStringList &path, QStringList &captures)
{
    captures.clear();
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QString &segment = pattern.at(i);
        if (isRestPlaceholder(segment)) {
            const QStringList rest = path.mid(i);
            const QString joined = rest.join(QLatin1Char('/'));
            if (joined.isEmpty())
                return false;
            captures.append(joined);
            return true;
        }
        if (i >= path.size())
            return false;
        if (isPlaceholder(segment)) {
            if (path.at(i).isEmpty())
                return false;
            captures.append(path.at(i));
        } else if (segment != path.at(i)) {
            return false;
        }
    }
    return pattern.size() == path.size();
}

} // namespace

void ApiRouter::add(QByteArray method, QString pattern, Access access, ApiHandler handler)
{
    m_routes.push_back(
        Route { std::move(method), segmentsOf(pattern), access, std::move(handler) });
}

ApiRouter::Match ApiRouter::match(const QByteArray &method, const QString &path) const
{
    Match result;
    const QStringList segments = segmentsOf(path);
    QStringList captures;
    // Literal routes win over placeholder routes registered earlier: first pass literal-only.
    for (int pass = 0; pass < 2; ++pass) {
        for (const Route &route : m_routes) {
            const bool literal = std::none_of(route.segments.begin(), route.segments.end(),
                [](const QString &s) { return isPlaceholder(s); });
            if ((pass == 0) != literal)
                continue;
            if (!matchSegments(route.segments, segments, captures))
                continue;
            if (route.method != method) {
                result.methodNotAllowed = true;
                continue;
            }
            result.handler = &route.handler;
            result.access = route.access;
            result.captures = captures;
            result.methodNotAllowed = false;
            return result;
        }
    }
    return result;
}

} // namespace portico::control::api
