#include "core/rules/lexer.h"

#include "core/rules/node.h"
#include "core/rules/string_literal.h"

namespace portico::rules {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_';
}

/// Go's white space; other Unicode spaces (a pasted no-break space) are errors, as in Traefik.
bool isBlank(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}

Token punctuation(TokenKind kind, qsizetype at, QStringView spelling)
{
    return Token { kind, int(at) + 1, spelling.toString(), {}, {} };
}

/// Reads `&&` or `||` at text[i]; a single `&`/`|` is an error with a hint.
Expected<Token> readOperator(QStringView text, qsizetype i)
{
    const QChar c = text[i];
    const QString doubled = QString(2, c);
    if (i + 1 < text.size() && text[i + 1] == c)
        return punctuation(c == u'&' ? TokenKind::And : TokenKind::Or, i, doubled);
    return errorAt(int(i) + 1, QStringLiteral("unexpected \"%1\"").arg(c),
        QStringLiteral("did you mean \"%1\"?").arg(doubled));
}

/// Reads the token starting at text[i] (not whitespace).
Expected<Token> readToken(QStringView text, qsizetype i)
{
    const QChar c = text[i];
    switch (c.unicode()) {
    case '(':
        return punctuation(TokenKind::LeftParen, i, u"(");
    case ')':
        return punctuation(TokenKind::RightParen, i, u")");
    case ',':
        return punctuation(TokenKind::Comma, i, u",");
    case '!':
        return punctuation(TokenKind::Not, i, u"!");
    case '&':
    case '|':
        return readOperator(text, i);
    case '\'':
        return errorAt(int(i) + 1, QStringLiteral("single-quoted strings are not allowed"),
            QStringLiteral("use backticks or double quotes"));
    case '`':
    case '"': {
        auto literal = readStringLiteral(text, i);
        if (!literal)
            return literal.error();
        return Token { TokenKind::String, int(i) + 1, text.mid(i, literal->length).toString(),
            literal->value, {} };
    }
    default:
        break;
    }
    if (!isWordChar(c))
        return Token { TokenKind::Other, int(i) + 1, QString(c), {}, {} };
    qsizetype end = i;
    while (end < text.size() && isWordChar(text[end]))
        ++end;
    return Token { TokenKind::Word, int(i) + 1, text.mid(i, end - i).toString(), {}, {} };
}

} // namespace

std::vector<Token> tokenize(QStringView text)
{
    std::vector<Token> tokens;
    qsizetype i = 0;
    while (true) {
        while (i < text.size() && isBlank(text[i]))
            ++i;
        if (i == text.size())
            break;
        auto token = readToken(text, i);
        if (!token) {
            const int column = token.error().where.column;
            tokens.push_back(Token { TokenKind::Invalid, column, {}, {}, token.error() });
            return tokens;
        }
        i += token->text.size();
        tokens.push_back(std::move(*token));
    }
    tokens.push_back(Token { TokenKind::End, int(text.size()) + 1, {}, {}, {} });
    return tokens;
}

QString describe(const Token &token)
{
    switch (token.kind) {
    case TokenKind::String:
        return QStringLiteral("string literal %1").arg(token.text);
    case TokenKind::End:
        return QStringLiteral("end of rule");
    default:
        return QStringLiteral("\"%1\"").arg(token.text);
    }
}

} // namespace portico::rules
