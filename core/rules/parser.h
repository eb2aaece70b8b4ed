#pragma once

#include "core/rules/lexer.h"
#include "core/rules/node.h"

namespace portico::rules {

/// Recursive-descent parser of the rule grammar (Go expression syntax, as Traefik parses it):
///   or      := and ( "||" and )*
///   and     := unary ( "&&" unary )*
///   unary   := "!" unary | "(" or ")" | matcher
///   matcher := NAME "(" [ STRING ( "," STRING )* [ "," ] ] ")"
/// `&&` binds tighter than `||`; chains become one n-ary node so depth stays small.
class Parser
{
public:
    /// `tokens` come from tokenize(text); `text` must outlive the parser. `builder` makes the
    /// matchers (the HTTP vocabulary unless given).
    Parser(QStringView text, std::vector<Token> tokens, MatcherBuilder builder = nullptr);
    /// Parses the whole token list into a matcher tree, or the first error.
    Expected<NodePtr> parse();

private:
    Expected<NodePtr> parseOr();
    Expected<NodePtr> parseAnd();
    Expected<NodePtr> parseUnary();
    Expected<NodePtr> parsePrimary();
    Expected<NodePtr> parseGroup();
    Expected<NodePtr> parseMatcher();
    Expected<std::vector<Argument>> parseArguments();

    const Token &peek() const { return m_tokens[m_pos]; }
    const Token &take() { return m_tokens[m_pos++]; }
    bool accept(TokenKind kind);
    Error unexpected(const QString &expected) const;
    /// The text from the current token up to the next `,` or `)`, for "quote it" hints.
    QString unquotedValue() const;

    QStringView m_text;
    std::vector<Token> m_tokens;
    size_t m_pos = 0;
    MatcherBuilder m_builder;
    int m_depth = 0;
};

} // namespace portico::rules
