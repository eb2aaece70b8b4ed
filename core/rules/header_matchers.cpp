#include "core/rules/header_matchers.h"

#include "core/common/header_list.h"

namespace portico::rules {

namespace {

/// Go's server moves Host into Request.Host and drops it from the header map, so in Traefik a
/// Header/HeaderRegexp matcher on `Host` never matches; we keep that (use Host/HostRegexp).
bool isHostHeader(QByteArrayView name)
{
    return HeaderList::nameEquals(name, "Host");
}

} // namespace

Expected<NodePtr> HeaderMatcher::make(const std::vector<Argument> &args)
{
    return NodePtr(std::make_unique<HeaderMatcher>(args[0].value, args[1].value));
}

HeaderMatcher::HeaderMatcher(QByteArray name, QByteArray value)
    : m_name(std::move(name))
    , m_value(std::move(value))
    , m_host(isHostHeader(m_name))
{ }

bool HeaderMatcher::matches(const RequestFacts &facts) const
{
    if (!facts.headers || m_host)
        return false;
    for (const HeaderField &field : *facts.headers) {
        if (HeaderList::nameEquals(field.name, m_name) && field.value == m_value)
            return true;
    }
    return false;
}

Expected<NodePtr> HeaderRegexpMatcher::make(const std::vector<Argument> &args)
{
    auto re = compileRegex(args[1]);
    if (!re)
        return re.error();
    return NodePtr(std::make_unique<HeaderRegexpMatcher>(args[0].value, std::move(*re)));
}

HeaderRegexpMatcher::HeaderRegexpMatcher(QByteArray name, RegexPtr re)
    : m_name(std::move(name))
    , m_re(std::move(re))
    , m_host(isHostHeader(m_name))
{ }

bool HeaderRegexpMatcher::matches(const RequestFacts &facts) const
{
    if (!facts.headers || m_host)
        return false;
    for (const HeaderField &field : *facts.headers) {
        if (HeaderList::nameEquals(field.name, m_name) && regexFinds(*m_re, field.value))
            return true;
    }
    return false;
}

} // namespace portico::rules
