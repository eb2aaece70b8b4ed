#include "core/rules/string_literal.h"

#include "core/rules/node.h"

#include <algorithm>

namespace portico::rules {

namespace {

int hexDigit(QChar c)
{
    const char16_t u = c.unicode();
    if (u >= '0' && u <= '9')
        return u - '0';
    if (u >= 'a' && u <= 'f')
        return u - 'a' + 10;
    if (u >= 'A' && u <= 'F')
        return u - 'A' + 10;
    return -1;
}

void appendCodePoint(QByteArray &out, char32_t cp)
{
    out += QString::fromUcs4(&cp, 1).toUtf8();
}

Expected<StringLiteral> readRaw(QStringView text, qsizetype start)
{
    const qsizetype end = text.indexOf(u'`', start + 1);
    if (end < 0)
        return errorAt(int(start) + 1, QStringLiteral("unterminated string literal"),
            QStringLiteral("close it with a backtick"));
    QString content = text.mid(start + 1, end - start - 1).toString();
    content.remove(QLatin1Char('\r')); // Go drops carriage returns from raw strings
    return StringLiteral { content.toUtf8(), end - start + 1 };
}

/// Length in characters of the numeric escape whose kind letter is `kind` (backslash included).
qsizetype numericEscapeLength(QChar kind)
{
    switch (kind.unicode()) {
    case 'u':
        return 6;
    case 'U':
        return 10;
    default:
        return 4; // \xhh and \ooo
    }
}

/// Value of the numeric escape at text[i] (the backslash), or -1 when a digit is missing or bad.
qint64 numericEscapeValue(QStringView text, qsizetype i)
{
    const bool octal = text[i + 1] >= u'0' && text[i + 1] <= u'7';
    const int base = octal ? 8 : 16;
    const qsizetype end = i + numericEscapeLength(text[i + 1]);
    if (end > text.size())
        return -1;
    qint64 value = 0;
    for (qsizetype k = octal ? i + 1 : i + 2; k < end; ++k) {
        const int d = hexDigit(text[k]);
        if (d < 0 || d >= base)
            return -1;
        value = value * base + d;
    }
    return value;
}

bool validEscapeValue(QChar kind, qint64 value)
{
    if (value < 0)
        return false;
    if (kind != u'u' && kind != u'U')
        return value <= 255;
    return value <= 0x10FFFF && (value < 0xD800 || value >= 0xE000); // no surrogate halves
}

/// Appends the escape at text[i] (the backslash) to `out`; returns characters consumed or an error.
Expected<qsizetype> readEscape(QStringView text, qsizetype i, QByteArray &out)
{
    static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\\"\"";
    const QChar kind = i + 1 < text.size() ? text[i + 1] : QChar();
    for (size_t k = 0; k + 1 < sizeof(simple); k += 2) {
        if (kind == QLatin1Char(simple[k])) {
            out += simple[k + 1];
            return qsizetype(2);
        }
    }
    const bool numeric = !kind.isNull() && QStringView(u"01234567xuU").contains(kind);
    const qsizetype length = numeric ? numericEscapeLength(kind) : 2;
    const QString shown = text.mid(i, std::min(length, text.size() - i)).toString();
    const Error bad = errorAt(int(i) + 1,
        QStringLiteral("invalid escape sequence \"%1\" in string literal").arg(shown),
        QStringLiteral("use a backtick string to write backslashes literally"));
    if (!numeric)
        return bad;
    const qint64 value = numericEscapeValue(text, i);
    if (!validEscapeValue(kind, value))
        return bad;
    if (kind == u'u' || kind == u'U')
        appendCodePoint(out, char32_t(value));
    else
        out += char(value); // Go: \x and octal escapes produce single bytes
    return length;
}

Expected<StringLiteral> readInterpreted(QStringView text, qsizetype start)
{
    QByteArray out;
    qsizetype run = start + 1; // start of the pending run of plain characters
    for (qsizetype i = start + 1; i < text.size();) {
        const QChar c = text[i];
        if (c == u'"' || c == u'\\' || c == u'\n') {
            out += text.mid(run, i - run).toUtf8();
            if (c == u'"')
                return StringLiteral { out, i - start + 1 };
            if (c == u'\n')
                return errorAt(int(start) + 1, QStringLiteral("newline in string literal"),
                    QStringLiteral("use a backtick string to span lines"));
            auto used = readEscape(text, i, out);
            if (!used)
                return used.error();
            i += *used;
            run = i;
            continue;
        }
        ++i;
    }
    return errorAt(int(start) + 1, QStringLiteral("unterminated string literal"),
        QStringLiteral("close it with a double quote"));
}

} // namespace

Expected<StringLiteral> readStringLiteral(QStringView text, qsizetype start)
{
    return text[start] == u'`' ? readRaw(text, start) : readInterpreted(text, start);
}

} // namespace portico::rules
