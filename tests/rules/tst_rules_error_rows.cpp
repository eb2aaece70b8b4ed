// Rows for tst_Rules::invalidRules(): rule, message substring, 1-based column, hint substring.
#include "tst_rules.h"

#include <QTest>

namespace {

void row(
    const char *name, const QString &rule, const char *message, int column, const char *hint = "")
{
    QTest::newRow(name) << rule << QString::fromUtf8(message) << column << QString::fromUtf8(hint);
}

void row(const char *name, const char *rule, const char *message, int column, const char *hint = "")
{
    row(name, QString::fromUtf8(rule), message, column, hint);
}

void addNameRows()
{
    row("empty rule", "", "empty rule", 1, "Host(`app.localhost`)");
    row("blank rule", "   \t", "empty rule", 1);
    row("unknown matcher with hint", "Hots(`a`)", "unknown matcher \"Hots\"", 1,
        "did you mean \"Host\"?");
    row("lower camel is unknown", "pathPrefix(`/a`)", "unknown matcher \"pathPrefix\"", 1,
        "did you mean \"PathPrefix\"?");
    row("odd casing is unknown", "PathPREFIX(`/a`)", "unknown matcher \"PathPREFIX\"", 1,
        "\"PathPrefix\"");
    row("hostRegexp lower camel", "hostRegexp(`a`)", "unknown matcher \"hostRegexp\"", 1,
        "\"HostRegexp\"");
    row("clientIp spelling", "ClientIp(`1.2.3.4`)", "unknown matcher \"ClientIp\"", 1,
        "\"ClientIP\"");
    row("clientIP spelling", "clientIP(`1.2.3.4`)", "unknown matcher \"clientIP\"", 1,
        "\"ClientIP\"");
    row("v2 Headers", "Headers(`X-A`, `1`)", "unknown matcher \"Headers\"", 1, "\"Header\"");
    row("v2 HeadersRegexp", "HeadersRegexp(`X-A`, `1`)", "unknown matcher \"HeadersRegexp\"", 1,
        "\"HeaderRegexp\"");
    row("v2 HostHeader", "HostHeader(`a`)", "unknown matcher \"HostHeader\"", 1);
    row("tcp HostSNI", "HostSNI(`a`)", "unknown matcher \"HostSNI\"", 1);
    row("unknown without hint", "Frobnicate(`a`)", "unknown matcher \"Frobnicate\"", 1);
    row("unknown after and", "Host(`a`) && Foo(`b`)", "unknown matcher \"Foo\"", 14);
    row("unknown after newline", "Host(`a`)\n&& Hots(`b`)", "unknown matcher \"Hots\"", 14, "Host");
    row("typo hst", "Hst(`a`)", "unknown matcher \"Hst\"", 1, "\"Host\"");
    row("typo metod", "Metod(`GET`)", "unknown matcher \"Metod\"", 1, "\"Method\"");
    row("typo quey", "Quey(`a`)", "unknown matcher \"Quey\"", 1, "\"Query\"");
    row("non-ascii name", "H\xc3\xb3st(`a`)", "unknown matcher \"H\xc3\xb3st\"", 1, "\"Host\"");
}

void addArgumentRows()
{
    row("host two args", "Host(`a`, `b`)", "Host expects exactly 1 argument, got 2", 1,
        "Host(`a`) || Host(`b`)");
    row("host no args", "Host()", "Host expects exactly 1 argument, got 0", 1);
    row("lower host two args", "host(`a`, `b`)", "Host expects exactly 1 argument, got 2", 1);
    row("path two args", "Path(`/a`, `/b`)", "Path expects exactly 1 argument, got 2", 1, "||");
    row("pathprefix no args", "PathPrefix()", "PathPrefix expects exactly 1 argument, got 0", 1);
    row("pathregexp no args", "PathRegexp()", "PathRegexp expects exactly 1 argument, got 0", 1);
    row("hostregexp two args", "HostRegexp(`a`, `b`)",
        "HostRegexp expects exactly 1 argument, got 2", 1);
    row("method two args", "Method(`GET`, `POST`)", "Method expects exactly 1 argument, got 2", 1);
    row("header one arg", "Header(`X-A`)", "Header expects exactly 2 arguments, got 1", 1);
    row("header three args", "Header(`a`, `b`, `c`)", "Header expects exactly 2 arguments, got 3",
        1);
    row("headerregexp one arg", "HeaderRegexp(`a`)",
        "HeaderRegexp expects exactly 2 arguments, got 1", 1);
    row("query no args", "Query()", "Query expects 1 or 2 arguments, got 0", 1);
    row("query three args", "Query(`a`, `b`, `c`)", "Query expects 1 or 2 arguments, got 3", 1);
    row("queryregexp three args", "QueryRegexp(`a`, `b`, `c`)",
        "QueryRegexp expects 1 or 2 arguments, got 3", 1);
    row("clientip two args", "ClientIP(`1.2.3.4`, `5.6.7.8`)",
        "ClientIP expects exactly 1 argument, got 2", 1);
    row("count error after and", "Path(`/`) && Host(`a`, `b`)",
        "Host expects exactly 1 argument, got 2", 14);
    row("empty host", "Host(``)", "empty argument to Host", 6);
    row("empty host double quotes", "Host(\"\")", "empty argument to Host", 6);
    row("empty header value", "Header(`X-A`, ``)", "empty argument to Header", 15);
    row("empty header name", "Header(``, `1`)", "empty argument to Header", 8);
    row("empty query value", "Query(`q`, ``)", "empty argument to Query", 12);
    row("empty query key", "Query(``)", "empty argument to Query", 7);
    row("empty method", "Method(``)", "empty argument to Method", 8);
    row("empty path", "Path(``)", "empty argument to Path", 6);
    row("path without slash", "Path(`a`)", "path \"a\" does not start with \"/\"", 6, "\"/a\"");
    row("pathprefix without slash", "PathPrefix(`api`)", "path \"api\" does not start with \"/\"",
        12);
    row("path star", "Path(`*`)", "does not start with \"/\"", 6);
    row("path full url", "Path(`http://a/b`)", "does not start with \"/\"", 6);
    row("path after and", "Host(`a`) && PathPrefix(`v1`)", "path \"v1\" does not start", 25);
    row("non-ascii host",
        "Host(`b\xc3\xbc"
        "cher.example`)",
        "non-ASCII characters are not allowed", 6, "punycode");
    row("non-ascii host escape", "Host(\"b\\u00fccher.example\")", "non-ASCII", 6);
    row("non-ascii hostregexp",
        "HostRegexp(`^b\xc3\xbc"
        "cher`)",
        "invalid HostRegexp value", 12, "punycode");
}

void addLexicalRows()
{
    row("single quotes", "Host('a')", "single-quoted strings are not allowed", 6,
        "backticks or double quotes");
    row("single quotes later", "Host(`a`) && Path('/x')", "single-quoted strings are not allowed",
        19);
    row("unterminated backtick", "Host(`a", "unterminated string literal", 6, "backtick");
    row("unterminated double quote", "Host(\"a)", "unterminated string literal", 6, "double quote");
    row("newline in double quotes", "Host(\"a\nb\")", "newline in string literal", 6, "backtick");
    row("unknown escape", "Host(\"a\\qb\")", "invalid escape sequence \"\\q\"", 8);
    row("escaped single quote", "Path(\"/a\\'\")", "invalid escape sequence \"\\'\"", 9);
    row("regexp dot escape in quotes", "PathRegexp(\"^/a\\.b$\")",
        "invalid escape sequence \"\\.\"", 16, "backtick");
    row("short hex escape", "Host(\"\\x4\")", "invalid escape sequence \"\\x4\"", 7);
    row("bad hex escape", "Host(\"\\xZZ\")", "invalid escape sequence", 7);
    row("short u escape", "Host(\"\\u12\")", "invalid escape sequence", 7);
    row("surrogate u escape", "Host(\"\\uD800\")", "invalid escape sequence \"\\uD800\"", 7);
    row("big U out of range", "Host(\"\\U00110000\")", "invalid escape sequence", 7);
    row("octal over 255", "Host(\"\\400\")", "invalid escape sequence \"\\400\"", 7);
    row("short octal", "Host(\"\\12\")", "invalid escape sequence", 7);
    row("backslash at end", "Host(\"\\", "invalid escape sequence", 7);
    row("single ampersand", "Host(`a`) & Path(`/`)", "unexpected \"&\"", 11,
        "did you mean \"&&\"?");
    row("single pipe", "Host(`a`) | Path(`/`)", "unexpected \"|\"", 11, "did you mean \"||\"?");
    row("no-break space", QStringLiteral("Host(`a`)\u00a0&& Path(`/`)"), "unexpected \"\u00a0\"",
        10);
    row("snowman after rule", "Host(`a`) && Path(`/x`) \xe2\x98\x83", "unexpected \"\xe2\x98\x83\"",
        25);
    row("column counts an emoji once", "Path(`/\xf0\x9f\x98\x80`) && Hots(`a`)",
        "unknown matcher \"Hots\"", 15);
    row("column counts accents once", "Path(`/caf\xc3\xa9`) && Hots(`a`)",
        "unknown matcher \"Hots\"", 18);
    row("equals comparison", "Host(`a`) == true", "unexpected \"=\"", 11);
    row("lexical error after syntax error", "Host(`a` `b`) & x", "expected \",\" or \")\"", 10);
}

void addGrammarRows()
{
    row("word operator and", "Host(`a`) and Path(`/`)", "unexpected \"and\"", 11,
        "\"&&\" or \"||\"");
    row("missing operator", "Host(`a`) Path(`/`)", "unexpected \"Path\"", 11, "\"&&\" or \"||\"");
    row("dangling and", "Host(`a`) &&", "expected a matcher, got end of rule", 13);
    row("dangling or", "Host(`a`) ||   ", "expected a matcher, got end of rule", 16);
    row("leading and", "&& Host(`a`)", "expected a matcher, got \"&&\"", 1);
    row("doubled or", "Host(`a`) || || Host(`b`)", "expected a matcher, got \"||\"", 14);
    row("missing close paren", "(Host(`a`)", "expected \")\", got end of rule", 11, "column 1");
    row("missing close paren inner", "Host(`a`) && (Path(`/x`)", "expected \")\"", 25, "column 14");
    row("extra close paren", "Host(`a`))", "unexpected \")\"", 10);
    row("empty parentheses", "()", "empty parentheses", 2);
    row("empty group after or", "Host(`a`) && (Path(`/x`) || )", "expected a matcher, got \")\"",
        29);
    row("matcher without call", "Host", "expected \"(\" after \"Host\", got end of rule", 5);
    row("matcher with bare value", "Host `a`", "expected \"(\" after \"Host\"", 6);
    row("unclosed argument list", "Host(`a`", "expected \",\" or \")\", got end of rule", 9);
    row("missing comma", "Header(`a` `b`)", "expected \",\" or \")\"", 12);
    row("unquoted value", "Host(a)", "expected a string literal or \")\", got \"a\"", 6, "`a`");
    row("unquoted host", "Host(app.localhost)", "expected a string literal or \")\"", 6,
        "`app.localhost`");
    row("unquoted path", "PathPrefix(/api)", "expected a string literal or \")\", got \"/\"", 12,
        "`/api`");
    row("number argument", "Host(42)", "got \"42\"", 6);
    row("comma only", "Host(,)", "expected a string literal or \")\", got \",\"", 6);
    row("double comma", "Host(`a`,,)", "expected a string literal, got \",\"", 10);
    row("nested call", "Host(Path(`/`))", "got \"Path\"", 6);
    row("bang alone", "!", "expected a matcher, got end of rule", 2);
    row("bang at end", "Host(`a`) && !", "expected a matcher", 15);
    row("string as rule", "`a`", "expected a matcher, got string literal `a`", 1);
    row("number after and", "Host(`a`) && 42", "expected a matcher, got \"42\"", 14);
    row("and inside call", "Host(`a` && `b`)", "expected \",\" or \")\", got \"&&\"", 10);
    row("paren after rule", "Host(`a`) (Path(`/`))", "unexpected \"(\"", 11);
    row("dangling after mixed", "Host(`a`) && Path(`/x`) || Method(`get`) &&", "expected a matcher",
        44);
    row("deep parentheses",
        QString(100, QLatin1Char('(')) + QStringLiteral("Host(`a`)")
            + QString(100, QLatin1Char(')')),
        "nested too deeply", 65);
    row("deep negation", QString(100, QLatin1Char('!')) + QStringLiteral("Host(`a`)"),
        "nested too deeply", 65);
}

void addValueRows()
{
    row("hostregexp unclosed group", "HostRegexp(`(`)",
        "invalid regular expression \"(\": missing )", 12);
    row("pathregexp unclosed class", "PathRegexp(`[a-`)", "invalid regular expression \"[a-\"", 12);
    row("headerregexp bad repeat", "HeaderRegexp(`X-A`, `*`)", "invalid regular expression \"*\"",
        21);
    row("queryregexp bad range", "QueryRegexp(`q`, `a{2,1}`)",
        "invalid regular expression \"a{2,1}\"", 18);
    row("pathregexp repeat over 1000", "PathRegexp(`a{1001}`)", "invalid regular expression", 12);
    row("pathregexp backreference", "PathRegexp(`(a)\\1`)", "invalid regular expression", 12);
    row("pathregexp lookahead", "PathRegexp(`a(?=b)`)", "invalid regular expression", 12);
    row("regexp after and", "Host(`a`) && PathRegexp(`(`)", "invalid regular expression", 25);
    row("clientip octet too big", "ClientIP(`300.1.1.1`)",
        "invalid IP address or CIDR \"300.1.1.1\"", 10, "10.0.0.0/8");
    row("clientip three octets", "ClientIP(`1.2.3`)", "invalid IP address or CIDR", 10);
    row("clientip five octets", "ClientIP(`1.2.3.4.5`)", "invalid IP address or CIDR", 10);
    row("clientip v4 prefix too long", "ClientIP(`1.2.3.4/33`)",
        "invalid IP address or CIDR \"1.2.3.4/33\"", 10);
    row("clientip v6 prefix too long", "ClientIP(`::1/129`)", "invalid IP address or CIDR", 10);
    row("clientip name", "ClientIP(`localhost`)", "invalid IP address or CIDR \"localhost\"", 10);
    row("clientip zone", "ClientIP(`fe80::1%eth0`)", "invalid IP address or CIDR", 10);
    row("clientip leading zero", "ClientIP(`010.1.1.1`)", "invalid IP address or CIDR", 10);
    row("clientip empty prefix", "ClientIP(`1.2.3.4/`)", "invalid IP address or CIDR", 10);
    row("clientip double prefix", "ClientIP(`1.2.3.4/8/8`)", "invalid IP address or CIDR", 10);
    row("clientip trailing space", "ClientIP(`1.2.3.4 `)", "invalid IP address or CIDR", 10);
    row("clientip negative prefix", "ClientIP(`1.2.3.4/-1`)", "invalid IP address or CIDR", 10);
    row("clientip brackets", "ClientIP(`[::1]`)", "invalid IP address or CIDR", 10);
    row("clientip bad v6", "ClientIP(`2001:db8:::1`)", "invalid IP address or CIDR", 10);
    row("clientip hex v4", "ClientIP(`0x7f.0.0.1`)", "invalid IP address or CIDR", 10);
}

} // namespace

void addInvalidRows()
{
    addNameRows();
    addArgumentRows();
    addLexicalRows();
    addGrammarRows();
    addValueRows();
}
