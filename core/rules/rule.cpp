#include "core/rules/rule.h"

#include "core/rules/lexer.h"
#include "core/rules/matcher_factory.h"
#include "core/rules/node.h"
#include "core/rules/parser.h"

namespace portico::rules {

namespace {

/// Columns count characters as a person sees them: a surrogate pair is one column.
int codePointColumn(QStringView text, int utf16Column)
{
    int column = utf16Column;
    for (qsizetype i = 0; i + 1 < utf16Column - 1 && i + 1 < text.size(); ++i) {
        if (text[i].isHighSurrogate() && text[i + 1].isLowSurrogate())
            --column;
    }
    return column;
}

} // namespace

Expected<Rule> Rule::parse(QStringView text)
{
    return parse(text, &makeMatcher);
}

Expected<Rule> Rule::parse(QStringView text, MatcherBuilder builder)
{
    Parser parser(text, tokenize(text), builder);
    auto root = parser.parse();
    if (!root) {
        Error e = root.error();
        e.where.column = codePointColumn(text, e.where.column);
        return e;
    }
    Rule rule;
    rule.m_text = text.toString();
    rule.m_hosts = (*root)->hostRequirement();
    rule.m_root = std::shared_ptr<const Node>(std::move(*root));
    return rule;
}

bool Rule::matches(const RequestFacts &facts) const
{
    return m_root && m_root->matches(facts);
}

qint64 Rule::defaultPriority() const
{
    // UTF-8 length counted without converting: Traefik uses len(rule) of the Go string.
    qint64 bytes = 0;
    for (qsizetype i = 0; i < m_text.size(); ++i) {
        const char16_t c = m_text[i].unicode();
        if (c < 0x80)
            bytes += 1;
        else if (c < 0x800)
            bytes += 2;
        else if (QChar::isHighSurrogate(c) && i + 1 < m_text.size()
            && QChar::isLowSurrogate(m_text[i + 1].unicode())) {
            bytes += 4;
            ++i;
        } else {
            bytes += 3;
        }
    }
    return bytes;
}

} // namespace portico::rules
