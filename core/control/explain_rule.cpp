#include "core/control/explain_rule.h"

#include "core/rules/lexer.h"
#include "core/rules/rule.h"

namespace portico::control {

namespace {

/// The parts of `text` separated by `op` outside parentheses (one part when there is none).
QStringList splitTopLevel(const QString &text, rules::TokenKind op)
{
    const std::vector<rules::Token> tokens = rules::tokenize(text);
    QStringList parts;
    int depth = 0;
    qsizetype start = 0;
    for (const rules::Token &token : tokens) {
        if (token.kind == rules::TokenKind::LeftParen)
            ++depth;
        else if (token.kind == rules::TokenKind::RightParen)
            --depth;
        else if (token.kind == op && depth == 0) {
            const qsizetype at = token.column - 1;
            parts << text.mid(start, at - start).trimmed();
            start = at + token.text.size();
        }
    }
    parts << text.mid(start).trimmed();
    return parts;
}

/// `( x )` → `x` when the parentheses enclose the whole text.
QString withoutOuterParens(const QString &text)
{
    if (!text.startsWith(u'(') || !text.endsWith(u')'))
        return text;
    int depth = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] == u'(')
            ++depth;
        else if (text[i] == u')' && --depth == 0 && i + 1 < text.size())
            return text; // `(a) && (b)`: the first group closes early
    }
    return text.mid(1, text.size() - 2).trimmed();
}

QString quoted(QByteArrayView value)
{
    return u'"' + QString::fromUtf8(value) + u'"';
}

/// The request value a matcher looks at, named: `host "a.localhost"`.
QString factFor(const QString &matcher, const rules::RequestFacts &facts)
{
    const std::vector<rules::Token> tokens = rules::tokenize(matcher);
    const QString name = tokens.empty() ? QString() : tokens.front().text.toLower();
    const QByteArray firstArg = tokens.size() > 2 ? tokens[2].value : QByteArray();
    if (name.startsWith(QLatin1String("host")))
        return QStringLiteral("host ") + quoted(facts.host);
    if (name.startsWith(QLatin1String("path")))
        return QStringLiteral("path ") + quoted(facts.path);
    if (name == u"method")
        return QStringLiteral("method ") + quoted(facts.method);
    if (name.startsWith(QLatin1String("query")))
        return facts.rawQuery.isEmpty() ? QStringLiteral("a request without query")
                                        : QStringLiteral("query ") + quoted(facts.rawQuery);
    if (name.startsWith(QLatin1String("clientip")))
        return QStringLiteral("client IP ") + facts.clientIp.toString();
    if (name.startsWith(QLatin1String("header")) && facts.headers) {
        const QByteArray value = facts.headers->value(firstArg);
        return value.isNull()
            ? QStringLiteral("a request without header ") + quoted(firstArg)
            : QStringLiteral("header %1: %2").arg(quoted(firstArg), quoted(value));
    }
    return QStringLiteral("the request");
}

QString expressionReason(const QString &text, const rules::RequestFacts &facts, int depth);

/// Why one `&&` operand failed: a matcher, a negation, or a parenthesised expression.
QString operandReason(const QString &operand, const rules::RequestFacts &facts, int depth)
{
    const QString inner = withoutOuterParens(operand);
    if (inner != operand && depth < 8)
        return expressionReason(inner, facts, depth + 1);
    if (inner.startsWith(u'!'))
        return QStringLiteral("%1 is false: %2 matched").arg(inner, inner.mid(1).trimmed());
    return QStringLiteral("%1 did not match %2").arg(inner, factFor(inner, facts));
}

/// The failed operands of an `&&` chain (`&&` binds tighter than `||`).
QString conjunctionReason(const QString &text, const rules::RequestFacts &facts, int depth)
{
    QStringList failed;
    for (const QString &operand : splitTopLevel(text, rules::TokenKind::And)) {
        const auto rule = rules::Rule::parse(operand);
        if (rule && !rule->matches(facts))
            failed << operandReason(operand, facts, depth);
    }
    return failed.join(QStringLiteral("; "));
}

QString expressionReason(const QString &text, const rules::RequestFacts &facts, int depth)
{
    const QStringList alternatives = splitTopLevel(text, rules::TokenKind::Or);
    if (alternatives.size() == 1)
        return conjunctionReason(text, facts, depth);
    QStringList reasons;
    for (const QString &alternative : alternatives)
        reasons << conjunctionReason(alternative, facts, depth);
    return QStringLiteral("no alternative matched (%1)").arg(reasons.join(QStringLiteral("; ")));
}

} // namespace

QString mismatchReason(const QString &rule, const rules::RequestFacts &facts)
{
    const QString reason = expressionReason(rule, facts, 0);
    return reason.isEmpty() ? QStringLiteral("the rule did not match") : reason;
}

} // namespace portico::control
