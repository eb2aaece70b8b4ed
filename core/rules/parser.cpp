#include "core/rules/parser.h"

#include "core/rules/matcher_factory.h"

namespace portico::rules {

namespace {

// Deep enough for any hand-written rule, shallow enough that recursion never threatens the stack.
constexpr int kMaxDepth = 64;

template <typename Combined> NodePtr combine(std::vector<NodePtr> children)
{
    if (children.size() == 1)
        return std::move(children.front());
    return std::make_unique<Combined>(std::move(children));
}

} // namespace

Parser::Parser(QStringView text, std::vector<Token> tokens, MatcherBuilder builder)
    : m_text(text)
    , m_tokens(std::move(tokens))
    , m_builder(builder ? builder : &makeMatcher)
{
    Q_ASSERT(!m_tokens.empty()
        && (m_tokens.back().kind == TokenKind::End || m_tokens.back().kind == TokenKind::Invalid));
}

Expected<NodePtr> Parser::parse()
{
    if (peek().kind == TokenKind::End)
        return errorAt(1, QStringLiteral("empty rule"),
            QStringLiteral("write a rule such as Host(`app.localhost`)"));
    auto root = parseOr();
    if (!root)
        return root;
    if (peek().kind == TokenKind::End)
        return root;
    if (peek().kind == TokenKind::Invalid)
        return peek().error;
    if (peek().kind == TokenKind::RightParen)
        return errorAt(peek().column, QStringLiteral("unexpected \")\""),
            QStringLiteral("remove it or add the matching \"(\""));
    return errorAt(peek().column, QStringLiteral("unexpected %1").arg(describe(peek())),
        QStringLiteral("combine matchers with \"&&\" or \"||\""));
}

QString Parser::unquotedValue() const
{
    const qsizetype start = peek().column - 1;
    qsizetype end = start;
    while (end < m_text.size() && m_text[end] != u',' && m_text[end] != u')')
        ++end;
    return m_text.sliced(start, end - start).trimmed().toString();
}

bool Parser::accept(TokenKind kind)
{
    if (peek().kind != kind)
        return false;
    ++m_pos;
    return true;
}

Error Parser::unexpected(const QString &expected) const
{
    if (peek().kind == TokenKind::Invalid)
        return peek().error;
    return errorAt(
        peek().column, QStringLiteral("expected %1, got %2").arg(expected, describe(peek())));
}

Expected<NodePtr> Parser::parseOr()
{
    std::vector<NodePtr> children;
    do {
        auto child = parseAnd();
        if (!child)
            return child;
        children.push_back(std::move(*child));
    } while (accept(TokenKind::Or));
    return combine<AnyOf>(std::move(children));
}

Expected<NodePtr> Parser::parseAnd()
{
    std::vector<NodePtr> children;
    do {
        auto child = parseUnary();
        if (!child)
            return child;
        children.push_back(std::move(*child));
    } while (accept(TokenKind::And));
    return combine<AllOf>(std::move(children));
}

Expected<NodePtr> Parser::parseUnary()
{
    if (m_depth >= kMaxDepth)
        return errorAt(peek().column,
            QStringLiteral("rule is nested too deeply (more than %1 levels)").arg(kMaxDepth));
    ++m_depth;
    auto node = parsePrimary();
    --m_depth;
    return node;
}

Expected<NodePtr> Parser::parsePrimary()
{
    if (accept(TokenKind::Not)) {
        auto child = parseUnary();
        if (!child)
            return child;
        return NodePtr(std::make_unique<Negation>(std::move(*child)));
    }
    if (peek().kind == TokenKind::LeftParen)
        return parseGroup();
    if (peek().kind == TokenKind::Word && !peek().text.front().isDigit())
        return parseMatcher();
    return unexpected(QStringLiteral("a matcher"));
}

Expected<NodePtr> Parser::parseGroup()
{
    const Token &open = take();
    if (peek().kind == TokenKind::RightParen)
        return errorAt(peek().column, QStringLiteral("empty parentheses"),
            QStringLiteral("put a matcher inside"));
    auto inner = parseOr();
    if (!inner)
        return inner;
    if (!accept(TokenKind::RightParen)) {
        Error e = unexpected(QStringLiteral("\")\""));
        e.hint = QStringLiteral("close the \"(\" at column %1").arg(open.column);
        return e;
    }
    return inner;
}

Expected<NodePtr> Parser::parseMatcher()
{
    const Token &name = take();
    if (peek().kind != TokenKind::LeftParen) {
        Error e = unexpected(QStringLiteral("\"(\" after \"%1\"").arg(name.text));
        e.hint = QStringLiteral("matchers take their values in parentheses, e.g. %1(`value`)")
                     .arg(name.text);
        return e;
    }
    take();
    auto args = parseArguments();
    if (!args)
        return args.error();
    return m_builder(name.text, name.column, *args);
}

Expected<std::vector<Argument>> Parser::parseArguments()
{
    std::vector<Argument> args;
    while (!accept(TokenKind::RightParen)) {
        if (peek().kind != TokenKind::String) {
            const QString expected = args.empty() ? QStringLiteral("a string literal or \")\"")
                                                  : QStringLiteral("a string literal");
            Error e = unexpected(expected);
            if (peek().kind == TokenKind::Word || peek().kind == TokenKind::Other)
                e.hint = QStringLiteral("quote values with backticks: `%1`").arg(unquotedValue());
            return e;
        }
        const Token &value = take();
        args.push_back(Argument { value.value, value.column });
        // Go's call syntax allows a trailing comma before ")".
        if (!accept(TokenKind::Comma) && peek().kind != TokenKind::RightParen)
            return unexpected(QStringLiteral("\",\" or \")\""));
    }
    return args;
}

} // namespace portico::rules
