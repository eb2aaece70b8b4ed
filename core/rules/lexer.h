#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <vector>

namespace portico::rules {

/// `Other` is a character no rule may contain; `Invalid` carries a lexical error (and ends the
/// list). The parser reports either only where it reaches them, so errors come left to right.
enum class TokenKind {
    Word,
    String,
    LeftParen,
    RightParen,
    Comma,
    And,
    Or,
    Not,
    Other,
    Invalid,
    End
};

/// One lexical token of a rule with its 1-based column.
struct Token
{
    TokenKind kind = TokenKind::End;
    int column = 0;
    QString text; ///< spelling as written (for names and messages)
    QByteArray value; ///< decoded content of a string literal
    Error error; ///< for Invalid: what is wrong
};

/// Splits a rule into tokens ending with an End or Invalid token. String literals follow Go:
/// backticks are raw (carriage returns dropped), double quotes take Go escapes; single quotes
/// are rejected.
std::vector<Token> tokenize(QStringView text);

/// How a token is named in messages: `"Path"`, `")"`, `string literal`, `end of rule`.
QString describe(const Token &token);

} // namespace portico::rules
