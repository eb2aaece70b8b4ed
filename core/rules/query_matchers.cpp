#include "core/rules/query_matchers.h"

#include "core/rules/query_string.h"

namespace portico::rules {

Expected<NodePtr> QueryMatcher::make(const std::vector<Argument> &args)
{
    const QByteArray value = args.size() > 1 ? args[1].value : QByteArray();
    return NodePtr(std::make_unique<QueryMatcher>(args[0].value, value));
}

QueryMatcher::QueryMatcher(QByteArray key, QByteArray value)
    : m_key(std::move(key))
    , m_value(std::move(value))
{ }

bool QueryMatcher::matches(const RequestFacts &facts) const
{
    return query::forEachPair(facts.rawQuery, [this](QByteArrayView key, QByteArrayView value) {
        return query::decodedEquals(key, m_key) && query::decodedEquals(value, m_value);
    });
}

Expected<NodePtr> QueryRegexpMatcher::make(const std::vector<Argument> &args)
{
    if (args.size() == 1)
        return QueryMatcher::make(args);
    auto re = compileRegex(args[1]);
    if (!re)
        return re.error();
    return NodePtr(std::make_unique<QueryRegexpMatcher>(args[0].value, std::move(*re)));
}

QueryRegexpMatcher::QueryRegexpMatcher(QByteArray key, RegexPtr re)
    : m_key(std::move(key))
    , m_re(std::move(re))
{ }

bool QueryRegexpMatcher::matches(const RequestFacts &facts) const
{
    QVarLengthArray<char, 256> decoded;
    return query::forEachPair(facts.rawQuery, [&](QByteArrayView key, QByteArrayView value) {
        if (!query::decodedEquals(key, m_key))
            return false;
        query::decodeInto(value, decoded);
        return regexFinds(*m_re, QByteArrayView(decoded.constData(), decoded.size()));
    });
}

} // namespace portico::rules
