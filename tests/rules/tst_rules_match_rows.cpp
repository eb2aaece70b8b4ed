// Rows for tst_Rules::match(): Traefik v3 matcher semantics (docs/traefik-behaviour.md,
// "Rule semantics summary"); each row is rule, request, whether the rule matches it.
#include "tst_rules.h"

#include <QTest>

namespace {

void row(const char *name, const char *rule, const Req &request, bool expected)
{
    QTest::newRow(name) << QString::fromUtf8(rule) << request << expected;
}

} // namespace

void addHostRows()
{
    row("host: exact", "Host(`example.com`)", req().withHost("example.com"), true);
    row("host: other host", "Host(`example.com`)", req().withHost("other.com"), false);
    row("host: rule upper case", "Host(`Example.COM`)", req().withHost("example.com"), true);
    row("host: request upper case", "Host(`example.com`)", req().withHost("EXAMPLE.com"), true);
    row("host: rule trailing dot", "Host(`example.com.`)", req().withHost("example.com"), true);
    row("host: request trailing dot", "Host(`example.com`)", req().withHost("example.com."), true);
    row("host: both trailing dots", "Host(`example.com.`)", req().withHost("example.com."), true);
    row("host: subdomain is not the host", "Host(`example.com`)", req().withHost("www.example.com"),
        false);
    row("host: parent is not the host", "Host(`www.example.com`)", req().withHost("example.com"),
        false);
    row("host: prefix of host", "Host(`example.com`)", req().withHost("example.co"), false);
    row("host: longer host", "Host(`example.co`)", req().withHost("example.com"), false);
    row("host: empty request host", "Host(`example.com`)", req().withHost(""), false);
    row("host: port in rule never matches", "Host(`example.com:8080`)",
        req().withHost("example.com"), false);
    row("host: localhost", "Host(`localhost`)", req().withHost("localhost"), true);
    row("host: dot localhost", "Host(`shop.localhost`)", req().withHost("shop.localhost"), true);
    row("host: ipv4 literal", "Host(`127.0.0.1`)", req().withHost("127.0.0.1"), true);
    row("host: ipv6 literal without brackets", "Host(`::1`)", req().withHost("::1"), true);
    row("host: ipv6 with brackets never matches", "Host(`[::1]`)", req().withHost("::1"), false);
    row("host: punycode", "Host(`xn--bcher-kva.example`)", req().withHost("xn--bcher-kva.example"),
        true);
    row("host: double-quoted", "Host(\"example.com\")", req().withHost("example.com"), true);
    row("host: wildcard one label", "Host(`*.example.com`)", req().withHost("a.example.com"), true);
    row("host: wildcard two labels", "Host(`*.example.com`)", req().withHost("a.b.example.com"),
        false);
    row("host: wildcard bare domain", "Host(`*.example.com`)", req().withHost("example.com"),
        false);
    row("host: wildcard empty label", "Host(`*.example.com`)", req().withHost(".example.com"),
        false);
    row("host: wildcard upper-case request", "Host(`*.example.com`)",
        req().withHost("API.EXAMPLE.COM"), true);
    row("host: wildcard request trailing dot", "Host(`*.example.com`)",
        req().withHost("a.example.com."), true);
    row("host: wildcard rule trailing dot", "Host(`*.Example.com.`)",
        req().withHost("x.example.com"), true);
    row("host: wildcard needs the dot", "Host(`*.example.com`)", req().withHost("aexample.com"),
        false);
    row("host: wildcard other domain", "Host(`*.example.com`)", req().withHost("a.example.org"),
        false);
    row("host: wildcard localhost", "Host(`*.localhost`)", req().withHost("shop.localhost"), true);
    row("host: wildcard long label", "Host(`*.localhost`)",
        req().withHost("my-very-long-app-name.localhost"), true);
    row("host: inner star is literal", "Host(`a.*.com`)", req().withHost("a.b.com"), false);
    row("host: star alone", "Host(`*`)", req().withHost("anything.test"), true);
    row("host: star alone empty host", "Host(`*`)", req().withHost(""), true);
    row("host: lower-case matcher name", "host(`example.com`)", req().withHost("example.com"),
        true);
    row("host: upper-case matcher name", "HOST(`example.com`)", req().withHost("example.com"),
        true);

    row("hostregexp: anchored match", "HostRegexp(`^[a-z]+\\.example\\.com$`)",
        req().withHost("api.example.com"), true);
    row("hostregexp: anchored two labels", "HostRegexp(`^[a-z]+\\.example\\.com$`)",
        req().withHost("a.b.example.com"), false);
    row("hostregexp: unanchored", "HostRegexp(`example`)", req().withHost("www.example.org"), true);
    row("hostregexp: anchored rejects prefix", "HostRegexp(`^example\\.com$`)",
        req().withHost("www.example.com"), false);
    row("hostregexp: case-sensitive on lower host", "HostRegexp(`^EXAMPLE`)",
        req().withHost("example.com"), false);
    row("hostregexp: (?i)", "HostRegexp(`(?i)^EXAMPLE`)", req().withHost("example.com"), true);
    row("hostregexp: alternation hit", "HostRegexp(`^(api|www)\\.example\\.com$`)",
        req().withHost("www.example.com"), true);
    row("hostregexp: alternation miss", "HostRegexp(`^(api|www)\\.example\\.com$`)",
        req().withHost("ftp.example.com"), false);
    row("hostregexp: dot-star empty host", "HostRegexp(`.*`)", req().withHost(""), true);
    row("hostregexp: plus empty host", "HostRegexp(`^.+$`)", req().withHost(""), false);
    row("hostregexp: traefik redirect rule", "HostRegexp(`^.+$`)", req().withHost("a.test"), true);
    row("hostregexp: lower name", "hostregexp(`^a`)", req().withHost("a.test"), true);
    row("hostregexp: title name", "Hostregexp(`^a`)", req().withHost("a.test"), true);
    row("hostregexp: character class", "HostRegexp(`^[^.]+\\.localhost$`)",
        req().withHost("app.localhost"), true);
    row("hostregexp: dot is any char", "HostRegexp(`^a.b$`)", req().withHost("axb"), true);
}

void addPathRows()
{
    row("path: root", "Path(`/`)", req().withPath("/"), true);
    row("path: root vs other", "Path(`/`)", req().withPath("/a"), false);
    row("path: exact", "Path(`/foo`)", req().withPath("/foo"), true);
    row("path: trailing slash differs", "Path(`/foo`)", req().withPath("/foo/"), false);
    row("path: longer", "Path(`/foo`)", req().withPath("/foobar"), false);
    row("path: case-sensitive", "Path(`/foo`)", req().withPath("/FOO"), false);
    row("path: decoded space", "Path(`/foo bar`)", req().withPath("/foo bar"), true);
    row("path: reserved stays encoded", "Path(`/foo%2Fbar`)", req().withPath("/foo%2Fbar"), true);
    row("path: slash does not match encoded slash", "Path(`/foo/bar`)",
        req().withPath("/foo%2Fbar"), false);
    row("path: query not part of path", "Path(`/search`)",
        req().withPath("/search").withQuery("q=1"), true);
    row("path: rule with question mark", "Path(`/a?b`)", req().withPath("/a").withQuery("b"),
        false);
    row("path: double-quoted escapes", "Path(\"/caf\\u00e9\")", req().withPath("/caf\xc3\xa9"),
        true);
    row("path: hex escape", "Path(\"/\\x41\")", req().withPath("/A"), true);
    row("path: octal escape", "Path(\"/\\101\")", req().withPath("/A"), true);
    row("path: big-u escape", "Path(\"/\\U0001F600\")", req().withPath("/\xf0\x9f\x98\x80"), true);
    row("path: raw string keeps backslash", "Path(`/a\\tb`)", req().withPath("/a\\tb"), true);
    row("path: tab escape", "Path(\"/a\\tb\")", req().withPath("/a\tb"), true);
    row("path: utf-8 value", "Path(`/caf\xc3\xa9`)", req().withPath("/caf\xc3\xa9"), true);
    row("pathprefix: root matches all", "PathPrefix(`/`)", req().withPath("/anything/at/all"),
        true);
    row("pathprefix: not segment-aware", "PathPrefix(`/products`)",
        req().withPath("/products-for-sale"), true);
    row("pathprefix: child", "PathPrefix(`/products`)", req().withPath("/products/1"), true);
    row("pathprefix: itself", "PathPrefix(`/products`)", req().withPath("/products"), true);
    row("pathprefix: shorter", "PathPrefix(`/products`)", req().withPath("/product"), false);
    row("pathprefix: case-sensitive", "PathPrefix(`/products`)", req().withPath("/Products"),
        false);
    row("pathprefix: trailing slash rule", "PathPrefix(`/api/`)", req().withPath("/api"), false);
    row("pathprefix: trailing slash rule child", "PathPrefix(`/api/`)", req().withPath("/api/v1"),
        true);
    row("pathprefix: decoded space", "PathPrefix(`/foo bar`)", req().withPath("/foo bar/x"), true);
    row("pathprefix: encoded slash", "PathPrefix(`/foo/bar`)", req().withPath("/foo%2Fbar"), false);
    row("pathprefix: lower name", "pathprefix(`/a`)", req().withPath("/a"), true);
    row("pathprefix: upper name", "PATHPREFIX(`/a`)", req().withPath("/a"), true);
    row("pathprefix: title name", "Pathprefix(`/a`)", req().withPath("/a"), true);
    row("pathregexp: versioned api", "PathRegexp(`^/api/v[0-9]+/`)",
        req().withPath("/api/v2/users"), true);
    row("pathregexp: versioned api miss", "PathRegexp(`^/api/v[0-9]+/`)",
        req().withPath("/api/vx/users"), false);
    row("pathregexp: unanchored", "PathRegexp(`/users/[0-9]+$`)", req().withPath("/v1/users/42"),
        true);
    row("pathregexp: case-sensitive", "PathRegexp(`^/API`)", req().withPath("/api"), false);
    row("pathregexp: (?i)", "PathRegexp(`(?i)^/API`)", req().withPath("/api"), true);
    row("pathregexp: extension", "PathRegexp(`\\.(css|js)$`)", req().withPath("/static/app.js"),
        true);
    row("pathregexp: extension miss", "PathRegexp(`\\.(css|js)$`)",
        req().withPath("/static/app.json"), false);
    row("pathregexp: no placeholders in v3", "PathRegexp(`^/{id}$`)", req().withPath("/42"), false);
    row("pathregexp: braces literal", "PathRegexp(`^/{id}$`)", req().withPath("/{id}"), true);
    row("pathregexp: raw backslash dot", "PathRegexp(`^/a\\.b$`)", req().withPath("/axb"), false);
    row("pathregexp: quoted double backslash", "PathRegexp(\"^/a\\\\.b$\")", req().withPath("/axb"),
        false);
    row("pathregexp: quoted double backslash hit", "PathRegexp(\"^/a\\\\.b$\")",
        req().withPath("/a.b"), true);
    row("pathregexp: not the query", "PathRegexp(`q=1`)", req().withPath("/").withQuery("q=1"),
        false);
    row("pathregexp: unicode class", "PathRegexp(`^/\\p{L}+$`)", req().withPath("/caf\xc3\xa9"),
        true);
    row("pathregexp: large repeat", "PathRegexp(`^/a{3,1000}$`)", req().withPath("/aaaa"), true);
}

void addMethodHeaderRows()
{
    row("method: exact", "Method(`GET`)", req().withMethod("GET"), true);
    row("method: other", "Method(`GET`)", req().withMethod("POST"), false);
    row("method: lower-case request never matches", "Method(`GET`)", req().withMethod("get"),
        false);
    row("method: rule upper-cased", "Method(`get`)", req().withMethod("GET"), true);
    row("method: rule mixed case", "Method(`Post`)", req().withMethod("POST"), true);
    row("method: head is not get", "Method(`GET`)", req().withMethod("HEAD"), false);
    row("method: extension method", "Method(`PURGE`)", req().withMethod("PURGE"), true);
    row("method: delete", "Method(`DELETE`)", req().withMethod("DELETE"), true);
    row("method: options", "Method(`OPTIONS`)", req().withMethod("OPTIONS"), true);
    row("method: prefix no", "Method(`GE`)", req().withMethod("GET"), false);
    row("method: lower name", "method(`GET`)", req().withMethod("GET"), true);

    const Req env = req().withHeader("X-Env", "dev");
    row("header: exact", "Header(`X-Env`, `dev`)", env, true);
    row("header: request name lower-case", "Header(`X-Env`, `dev`)",
        req().withHeader("x-env", "dev"), true);
    row("header: rule name lower-case", "Header(`x-env`, `dev`)", env, true);
    row("header: rule name upper-case", "Header(`X-ENV`, `dev`)", env, true);
    row("header: value case-sensitive", "Header(`X-Env`, `Dev`)", env, false);
    row("header: missing", "Header(`X-Other`, `dev`)", env, false);
    row("header: value prefix no", "Header(`X-Env`, `de`)", env, false);
    row("header: any line matches", "Header(`X-Env`, `dev`)",
        req().withHeader("X-Env", "prod").withHeader("X-Env", "dev"), true);
    row("header: first line matches", "Header(`X-Env`, `prod`)",
        req().withHeader("X-Env", "prod").withHeader("X-Env", "dev"), true);
    row("header: comma-joined line is one value", "Header(`X-Env`, `dev`)",
        req().withHeader("X-Env", "prod, dev"), false);
    row("header: comma-joined value exact", "Header(`X-Env`, `prod, dev`)",
        req().withHeader("X-Env", "prod, dev"), true);
    row("header: content type with params", "Header(`Content-Type`, `application/json`)",
        req().withHeader("Content-Type", "application/json; charset=utf-8"), false);
    row("header: forwarded proto", "Header(`X-Forwarded-Proto`, `https`)",
        req().withHeader("X-Forwarded-Proto", "https"), true);
    row("header: underscore name", "Header(`X_Custom`, `1`)", req().withHeader("x_custom", "1"),
        true);
    row("header: dash vs underscore", "Header(`X-Custom`, `1`)", req().withHeader("X_Custom", "1"),
        false);
    row("header: value with spaces", "Header(`X-A`, `a b`)", req().withHeader("X-A", "a b"), true);
    row("header: quoted escapes", "Header(\"X-A\", \"\\\"q\\\"\")",
        req().withHeader("X-A", "\"q\""), true);
    // Go moves Host out of the header map into Request.Host, so Traefik never matches these.
    row("header: host is not a header field", "Header(`Host`, `a.test`)",
        req().withHeader("Host", "a.test"), false);
    row("headerregexp: host is not a header field", "HeaderRegexp(`host`, `.*`)",
        req().withHeader("Host", "a.test"), false);
    row("header: host-like name is", "Header(`X-Host`, `a.test`)",
        req().withHeader("X-Host", "a.test"), true);
    row("headerregexp: prefix", "HeaderRegexp(`Content-Type`, `^application/json`)",
        req().withHeader("Content-Type", "application/json; charset=utf-8"), true);
    row("headerregexp: unanchored", "HeaderRegexp(`User-Agent`, `curl`)",
        req().withHeader("User-Agent", "curl/8.0.1"), true);
    row("headerregexp: miss", "HeaderRegexp(`User-Agent`, `^Mozilla`)",
        req().withHeader("User-Agent", "curl/8.0.1"), false);
    row("headerregexp: any line", "HeaderRegexp(`X-A`, `^b+$`)",
        req().withHeader("X-A", "a").withHeader("x-a", "bbb"), true);
    row("headerregexp: no line", "HeaderRegexp(`X-A`, `^b+$`)",
        req().withHeader("X-A", "a").withHeader("x-a", "c"), false);
    row("headerregexp: absent header never matches", "HeaderRegexp(`X-A`, `.*`)", req(), false);
    row("headerregexp: empty value", "HeaderRegexp(`X-A`, `^$`)", req().withHeader("X-A", ""),
        true);
    row("headerregexp: name case-insensitive", "HeaderRegexp(`accept`, `html`)",
        req().withHeader("Accept", "text/html"), true);
    row("headerregexp: value case-sensitive", "HeaderRegexp(`Accept`, `HTML`)",
        req().withHeader("Accept", "text/html"), false);
    row("headerregexp: joined line is one value", "HeaderRegexp(`X-Env`, `^dev$`)",
        req().withHeader("X-Env", "prod, dev"), false);
    row("headerregexp: upper name", "HEADERREGEXP(`X-A`, `1`)", req().withHeader("X-A", "1"), true);
}

void addQueryRows()
{
    row("query: exact", "Query(`q`, `1`)", req().withQuery("q=1"), true);
    row("query: other value", "Query(`q`, `1`)", req().withQuery("q=2"), false);
    row("query: no query", "Query(`q`, `1`)", req(), false);
    row("query: second pair", "Query(`q`, `1`)", req().withQuery("a=0&q=1"), true);
    row("query: any value of key", "Query(`q`, `1`)", req().withQuery("q=2&q=1"), true);
    row("query: semicolon separator", "Query(`q`, `1`)", req().withQuery("a=0;q=1"), true);
    row("query: key case-sensitive", "Query(`q`, `1`)", req().withQuery("Q=1"), false);
    row("query: value case-sensitive", "Query(`q`, `a`)", req().withQuery("q=A"), false);
    row("query: percent space", "Query(`q`, `hello world`)", req().withQuery("q=hello%20world"),
        true);
    row("query: plus is space", "Query(`q`, `hello world`)", req().withQuery("q=hello+world"),
        true);
    row("query: encoded plus", "Query(`q`, `a+b`)", req().withQuery("q=a%2Bb"), true);
    row("query: raw plus is not plus", "Query(`q`, `a+b`)", req().withQuery("q=a+b"), false);
    row("query: encoded key", "Query(`q[]`, `1`)", req().withQuery("q%5B%5D=1"), true);
    row("query: encoded key letter", "Query(`q`, `1`)", req().withQuery("%71=1"), true);
    row("query: lower-case hex", "Query(`q`, `/`)", req().withQuery("q=%2f"), true);
    row("query: bad escape drops pair", "Query(`q`, `%zz`)", req().withQuery("q=%zz"), false);
    row("query: bad escape other pair kept", "Query(`q`, `1`)", req().withQuery("q=%zz&q=1"), true);
    row("query: truncated escape drops pair", "Query(`q`, `%4`)", req().withQuery("q=%4"), false);
    row("query: bad escape in key drops pair", "Query(`q`, `1`)", req().withQuery("q%=1"), false);
    row("query: equals in value", "Query(`q`, `1=2`)", req().withQuery("q=1=2"), true);
    row("query: empty pairs skipped", "Query(`q`, `1`)", req().withQuery("&&q=1&&"), true);
    row("query: utf-8 value", "Query(`q`, `caf\xc3\xa9`)", req().withQuery("q=caf%C3%A9"), true);
    row("query: one arg bare key", "Query(`debug`)", req().withQuery("debug"), true);
    row("query: one arg empty value", "Query(`debug`)", req().withQuery("debug="), true);
    row("query: one arg with value", "Query(`debug`)", req().withQuery("debug=1"), false);
    row("query: one arg no query", "Query(`debug`)", req(), false);
    row("query: one arg longer key", "Query(`debug`)", req().withQuery("debugx"), false);
    row("query: one arg any empty value", "Query(`debug`)", req().withQuery("debug=1&debug"), true);
    row("query: one arg after semicolon", "Query(`debug`)", req().withQuery("a=1;debug"), true);
    row("query: encoded ampersand in value", "Query(`q`, `a&b`)", req().withQuery("q=a%26b"), true);
    row("query: raw ampersand splits", "Query(`q`, `a&b`)", req().withQuery("q=a&b"), false);
    row("query: encoded semicolon kept", "Query(`q`, `a;b`)", req().withQuery("q=a%3Bb"), true);
    row("query: lower name", "query(`q`, `1`)", req().withQuery("q=1"), true);
    row("queryregexp: digits", "QueryRegexp(`id`, `^[0-9]+$`)", req().withQuery("id=42"), true);
    row("queryregexp: digits miss", "QueryRegexp(`id`, `^[0-9]+$`)", req().withQuery("id=4a"),
        false);
    row("queryregexp: any value", "QueryRegexp(`id`, `^[0-9]+$`)", req().withQuery("id=x&id=7"),
        true);
    row("queryregexp: decoded before match", "QueryRegexp(`name`, `^a b$`)",
        req().withQuery("name=a+b"), true);
    row("queryregexp: decoded percent", "QueryRegexp(`name`, `^a/b$`)",
        req().withQuery("name=a%2Fb"), true);
    row("queryregexp: unanchored", "QueryRegexp(`q`, `ell`)", req().withQuery("q=hello"), true);
    row("queryregexp: other key", "QueryRegexp(`q`, `.*`)", req().withQuery("p=1"), false);
    row("queryregexp: no query", "QueryRegexp(`q`, `.*`)", req(), false);
    row("queryregexp: empty value matches dot-star", "QueryRegexp(`q`, `.*`)", req().withQuery("q"),
        true);
    row("queryregexp: one arg bare key", "QueryRegexp(`debug`)", req().withQuery("debug"), true);
    row("queryregexp: one arg with value", "QueryRegexp(`debug`)", req().withQuery("debug=1"),
        false);
    row("queryregexp: long value", "QueryRegexp(`q`, `z$`)",
        req().withQuery("q="
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                        "aaaaaaaaaaaaaaaaaaaaaaaaaaz"),
        true);
    row("queryregexp: title name", "Queryregexp(`q`, `1`)", req().withQuery("q=1"), true);
}

void addClientIpRows()
{
    row("clientip: v4 exact", "ClientIP(`192.0.2.10`)", req().withIp("192.0.2.10"), true);
    row("clientip: v4 other", "ClientIP(`192.0.2.10`)", req().withIp("192.0.2.11"), false);
    row("clientip: v4 /24 in", "ClientIP(`192.0.2.0/24`)", req().withIp("192.0.2.200"), true);
    row("clientip: v4 /24 out", "ClientIP(`192.0.2.0/24`)", req().withIp("192.0.3.1"), false);
    row("clientip: v4 /8", "ClientIP(`10.0.0.0/8`)", req().withIp("10.255.255.255"), true);
    row("clientip: v4 /32", "ClientIP(`192.0.2.10/32`)", req().withIp("192.0.2.10"), true);
    row("clientip: v4 /31 in", "ClientIP(`10.0.0.0/31`)", req().withIp("10.0.0.1"), true);
    row("clientip: v4 /31 out", "ClientIP(`10.0.0.0/31`)", req().withIp("10.0.0.2"), false);
    row("clientip: v4 /25 upper half in", "ClientIP(`10.0.0.128/25`)", req().withIp("10.0.0.200"),
        true);
    row("clientip: v4 /25 lower half out", "ClientIP(`10.0.0.128/25`)", req().withIp("10.0.0.127"),
        false);
    row("clientip: v4 host bits ignored", "ClientIP(`192.0.2.7/24`)", req().withIp("192.0.2.99"),
        true);
    row("clientip: v4 /0 any v4", "ClientIP(`0.0.0.0/0`)", req().withIp("203.0.113.9"), true);
    row("clientip: v4 /0 not v6", "ClientIP(`0.0.0.0/0`)", req().withIp("2001:db8::1"), false);
    row("clientip: loopback", "ClientIP(`127.0.0.1`)", req().withIp("127.0.0.1"), true);
    row("clientip: v6 exact", "ClientIP(`::1`)", req().withIp("::1"), true);
    row("clientip: v6 not v4 loopback", "ClientIP(`::1`)", req().withIp("127.0.0.1"), false);
    row("clientip: v6 /32 in", "ClientIP(`2001:db8::/32`)", req().withIp("2001:db8:1::5"), true);
    row("clientip: v6 /32 out", "ClientIP(`2001:db8::/32`)", req().withIp("2001:db9::5"), false);
    row("clientip: v6 /64 in", "ClientIP(`2001:db8:0:1::/64`)",
        req().withIp("2001:db8:0:1:ffff::1"), true);
    row("clientip: v6 /64 out", "ClientIP(`2001:db8:0:1::/64`)", req().withIp("2001:db8:0:2::1"),
        false);
    row("clientip: v6 link-local /10", "ClientIP(`fe80::/10`)", req().withIp("febf::1"), true);
    row("clientip: v6 link-local /10 out", "ClientIP(`fe80::/10`)", req().withIp("fec0::1"), false);
    row("clientip: v6 /0 any v6", "ClientIP(`::/0`)", req().withIp("2001:db8::1"), true);
    row("clientip: v6 /0 not v4", "ClientIP(`::/0`)", req().withIp("127.0.0.1"), false);
    row("clientip: v6 upper-case hex", "ClientIP(`2001:DB8::1`)", req().withIp("2001:db8::1"),
        true);
    row("clientip: mapped peer v4 cidr", "ClientIP(`192.0.2.0/24`)",
        req().withIp("::ffff:192.0.2.10"), true);
    row("clientip: mapped peer v4 exact", "ClientIP(`192.0.2.10`)",
        req().withIp("::ffff:192.0.2.10"), true);
    row("clientip: mapped peer outside", "ClientIP(`192.0.2.0/24`)",
        req().withIp("::ffff:198.51.100.1"), false);
    row("clientip: mapped rule v4 peer", "ClientIP(`::ffff:192.0.2.10`)",
        req().withIp("192.0.2.10"), true);
    row("clientip: mapped rule cidr", "ClientIP(`::ffff:192.0.2.0/120`)", req().withIp("192.0.2.5"),
        true);
    row("clientip: no peer address", "ClientIP(`0.0.0.0/0`)", req().withIp(""), false);
    row("clientip: x-forwarded-for ignored", "ClientIP(`127.0.0.1`)",
        req().withIp("203.0.113.5").withHeader("X-Forwarded-For", "127.0.0.1"), false);
    row("clientip: x-real-ip ignored", "ClientIP(`127.0.0.1`)",
        req().withIp("203.0.113.5").withHeader("X-Real-Ip", "127.0.0.1"), false);
    row("clientip: lower name", "clientip(`127.0.0.1`)", req().withIp("127.0.0.1"), true);
    row("clientip: title name", "Clientip(`127.0.0.1`)", req().withIp("127.0.0.1"), true);
    row("clientip: upper name", "CLIENTIP(`127.0.0.1`)", req().withIp("127.0.0.1"), true);
}

void addOperatorRows()
{
    const char *andRule = "Host(`a.test`) && Path(`/x`)";
    row("and: both", andRule, req().withHost("a.test").withPath("/x"), true);
    row("and: host wrong", andRule, req().withHost("b.test").withPath("/x"), false);
    row("and: path wrong", andRule, req().withHost("a.test").withPath("/y"), false);
    const char *orRule = "Host(`a.test`) || Host(`b.test`)";
    row("or: first", orRule, req().withHost("a.test"), true);
    row("or: second", orRule, req().withHost("b.test"), true);
    row("or: neither", orRule, req().withHost("c.test"), false);
    const char *precedence = "Host(`a.test`) || Host(`b.test`) && Path(`/x`)";
    row("precedence: and binds tighter, left", precedence, req().withHost("a.test").withPath("/y"),
        true);
    row("precedence: and binds tighter, right miss", precedence,
        req().withHost("b.test").withPath("/y"), false);
    row("precedence: and binds tighter, right hit", precedence,
        req().withHost("b.test").withPath("/x"), true);
    const char *precedence2 = "Path(`/x`) && Host(`a.test`) || Host(`b.test`)";
    row("precedence: trailing or", precedence2, req().withHost("b.test").withPath("/y"), true);
    row("precedence: leading and miss", precedence2, req().withHost("a.test").withPath("/y"),
        false);
    const char *grouped = "(Host(`a.test`) || Host(`b.test`)) && Path(`/x`)";
    row("parentheses: override precedence", grouped, req().withHost("a.test").withPath("/y"),
        false);
    row("parentheses: both", grouped, req().withHost("b.test").withPath("/x"), true);
    row("not: host differs", "!Host(`a.test`)", req().withHost("b.test"), true);
    row("not: host same", "!Host(`a.test`)", req().withHost("a.test"), false);
    row("not: double", "!!Host(`a.test`)", req().withHost("a.test"), true);
    row("not: triple", "!!!Host(`a.test`)", req().withHost("a.test"), false);
    row("not: group", "!(Host(`a.test`) || Host(`b.test`))", req().withHost("c.test"), true);
    row("not: group miss", "!(Host(`a.test`) || Host(`b.test`))", req().withHost("a.test"), false);
    row("not: binds tighter than or", "!Host(`a.test`) || Path(`/x`)",
        req().withHost("a.test").withPath("/x"), true);
    row("not: binds tighter than and", "!Host(`a.test`) && Path(`/x`)",
        req().withHost("b.test").withPath("/x"), true);
    row("not: with space", "! Host(`a.test`)", req().withHost("b.test"), true);
    row("not: query", "Method(`GET`) && !Query(`debug`)", req().withQuery("debug"), false);
    row("not: query absent", "Method(`GET`) && !Query(`debug`)", req().withQuery("x=1"), true);
    row("nested: deep parentheses", "((((Host(`a.test`)))))", req().withHost("a.test"), true);
    const char *mixed = "Host(`a.test`) && (Path(`/x`) || PathPrefix(`/api/`)) && Method(`POST`)";
    row("mixed: api post", mixed, req().withHost("a.test").withPath("/api/v1").withMethod("POST"),
        true);
    row("mixed: api get", mixed, req().withHost("a.test").withPath("/api/v1").withMethod("GET"),
        false);
    row("mixed: x post", mixed, req().withHost("a.test").withPath("/x").withMethod("POST"), true);
    row("mixed: other path", mixed, req().withHost("a.test").withPath("/y").withMethod("POST"),
        false);
    const char *chain = "Host(`a`) || Host(`b`) || Host(`c`) || Host(`d`) || Host(`e`)";
    row("chain: last of five", chain, req().withHost("e"), true);
    row("chain: none of five", chain, req().withHost("f"), false);
    const char *all
        = "Host(`a`) && Method(`GET`) && Path(`/`) && Header(`X-A`, `1`) && Query(`q`, `2`) "
          "&& ClientIP(`192.0.2.0/24`)";
    row("all kinds: match", all, req().withHost("a").withHeader("X-A", "1").withQuery("q=2"), true);
    row("all kinds: one miss", all, req().withHost("a").withHeader("X-A", "1").withQuery("q=3"),
        false);
}

void addSyntaxRows()
{
    row("syntax: newlines and tabs", "Host(`a.test`)\n&&\tPath(`/x`)",
        req().withHost("a.test").withPath("/x"), true);
    row("syntax: crlf", "Host(`a.test`)\r\n|| Path(`/x`)", req().withHost("b.test").withPath("/x"),
        true);
    row("syntax: no spaces", "Host(`a.test`)&&Path(`/x`)||Path(`/y`)",
        req().withHost("b.test").withPath("/y"), true);
    row("syntax: spaces inside call", "Host( `a.test` )", req().withHost("a.test"), true);
    row("syntax: space before paren", "Host (`a.test`)", req().withHost("a.test"), true);
    row("syntax: trailing comma (go call syntax)", "Host(`a.test`,)", req().withHost("a.test"),
        true);
    row("syntax: header trailing comma", "Header(`X-A`, `1`,)", req().withHeader("X-A", "1"), true);
    row("syntax: mixed quote styles", "Header(\"X-A\", `1`)", req().withHeader("X-A", "1"), true);
    row("syntax: backtick string with quote", "Header(`X-A`, `say \"hi\"`)",
        req().withHeader("X-A", "say \"hi\""), true);
    row("syntax: double-quoted with backtick", "Header(`X-A`, \"a`b\")",
        req().withHeader("X-A", "a`b"), true);
    row("syntax: raw string drops carriage return", "Header(`X-A`, `a\r\nb`)",
        req().withHeader("X-A", "a\nb"), true);
    row("syntax: raw string parentheses", "Path(`/a(b)`)", req().withPath("/a(b)"), true);
    row("syntax: raw string operators", "Path(`/a&&b||!c`)", req().withPath("/a&&b||!c"), true);
    row("syntax: escaped backslash", "Path(\"/a\\\\b\")", req().withPath("/a\\b"), true);
    row("syntax: hex escape in header", "Header(\"X-A\", \"a\\x7eb\")",
        req().withHeader("X-A", "a~b"), true);
}
