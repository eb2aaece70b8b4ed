#include "core/http/forwarded.h"
#include "core/http/hop_by_hop.h"
#include "core/http/request_target.h"

#include <QTest>

using namespace portico;
using namespace portico::http;

namespace {

/// Builds a header list from `Name: value` lines.
HeaderList headersFrom(const QByteArrayList &lines)
{
    HeaderList h;
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        h.add(line.left(colon), line.mid(colon + 1).trimmed());
    }
    return h;
}

QByteArrayList linesOf(const HeaderList &headers)
{
    QByteArrayList out;
    for (const HeaderField &f : headers)
        out << f.name + ": " + f.value;
    return out;
}

} // namespace

class tst_HttpSemantics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void canonicalHost_data();
    void canonicalHost();
    void normalizePath_data();
    void normalizePath();
    void routingPath_data();
    void routingPath();
    void normalizeTarget_data();
    void normalizeTarget();
    void isNormalTarget_data();
    void isNormalTarget();
    void rewriteTargetPath_data();
    void rewriteTargetPath();
    void requestHost_data();
    void requestHost();
    void escapedPath_data();
    void escapedPath();
    void trustCreate_data();
    void trustCreate();
    void trusts_data();
    void trusts();
    void forwardedHeaders_data();
    void forwardedHeaders();
    void strippedMatchesGeneralRewrite_data();
    void strippedMatchesGeneralRewrite();
    void managedHeaderNames_data();
    void managedHeaderNames();
    void hopByHop_data();
    void hopByHop();
    void upgradeDetection_data();
    void upgradeDetection();
};

void tst_HttpSemantics::canonicalHost_data()
{
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QByteArray("example.com") << QByteArray("example.com");
    QTest::newRow("upper case lowered") << QByteArray("Example.COM") << QByteArray("example.com");
    QTest::newRow("port stripped") << QByteArray("example.com:8080") << QByteArray("example.com");
    QTest::newRow("empty port stripped") << QByteArray("host:") << QByteArray("host");
    QTest::newRow("trailing dot") << QByteArray("example.com.") << QByteArray("example.com");
    QTest::newRow("trailing dot and port")
        << QByteArray("Example.com.:443") << QByteArray("example.com");
    QTest::newRow("only one trailing dot")
        << QByteArray("example.com..") << QByteArray("example.com.");
    QTest::newRow("ipv4 with port") << QByteArray("127.0.0.1:80") << QByteArray("127.0.0.1");
    QTest::newRow("ipv6 bracket port") << QByteArray("[::1]:8080") << QByteArray("::1");
    QTest::newRow("ipv6 brackets only") << QByteArray("[::1]") << QByteArray("::1");
    QTest::newRow("ipv6 bare") << QByteArray("::1") << QByteArray("::1");
    QTest::newRow("ipv6 upper") << QByteArray("[FE80::1]") << QByteArray("fe80::1");
    QTest::newRow("unclosed bracket kept") << QByteArray("[::1") << QByteArray("[::1");
    QTest::newRow("spaces trimmed")
        << QByteArray("  spaced.localhost  ") << QByteArray("spaced.localhost");
    QTest::newRow("empty") << QByteArray("") << QByteArray("");
}

void tst_HttpSemantics::canonicalHost()
{
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, expected);
    QCOMPARE(http::canonicalHost(host), expected);
}

void tst_HttpSemantics::normalizePath_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<bool>("sanitize");
    QTest::addColumn<QByteArray>("expected"); // empty = error expected
    QTest::newRow("root") << QByteArray("/") << true << QByteArray("/");
    QTest::newRow("empty becomes root") << QByteArray("") << true << QByteArray("/");
    QTest::newRow("asterisk kept") << QByteArray("*") << true << QByteArray("*");
    QTest::newRow("unreserved %41 decoded (RFC 3986 §2.3)")
        << QByteArray("/%41") << true << QByteArray("/A");
    QTest::newRow("unreserved lower hex decoded")
        << QByteArray("/%7e%2d%5f%61") << true << QByteArray("/~-_a");
    QTest::newRow("%2f upper-cased, kept encoded")
        << QByteArray("/a%2fb") << true << QByteArray("/a%2Fb");
    QTest::newRow("%20 kept") << QByteArray("/foo%20bar") << true << QByteArray("/foo%20bar");
    QTest::newRow("utf-8 hex upper-cased")
        << QByteArray("/%e2%82%ac") << true << QByteArray("/%E2%82%AC");
    QTest::newRow("dot-dot removed") << QByteArray("/a/../b") << true << QByteArray("/b");
    QTest::newRow("double slash") << QByteArray("//a") << true << QByteArray("/a");
    QTest::newRow("dot kept trailing slash")
        << QByteArray("/a/./b/") << true << QByteArray("/a/b/");
    QTest::newRow("trailing dot-dot") << QByteArray("/a/b/..") << true << QByteArray("/a");
    QTest::newRow("above root") << QByteArray("/../..") << true << QByteArray("/");
    QTest::newRow("encoded dots decoded then removed")
        << QByteArray("/a/%2e%2e/b") << true << QByteArray("/b");
    QTest::newRow("encoded slash is no separator")
        << QByteArray("/a/%2E%2E%2Fb") << true << QByteArray("/a/..%2Fb");
    QTest::newRow("no sanitize keeps dot-dot")
        << QByteArray("/a/../b") << false << QByteArray("/a/../b");
    QTest::newRow("no sanitize keeps slashes")
        << QByteArray("//a/%41") << false << QByteArray("//a/A");
    QTest::newRow("sub-delims kept")
        << QByteArray("/a'b(c)*!;=") << true << QByteArray("/a'b(c)*!;=");
    QTest::newRow("raw utf-8 escaped")
        << QByteArray("/caf\xc3\xa9") << true << QByteArray("/caf%C3%A9");
    QTest::newRow("invalid char re-escapes all (Go EscapedPath)")
        << QByteArray("/a%2Fb/{x}") << true << QByteArray("/a/b/%7Bx%7D");
    QTest::newRow("bad hex %zz") << QByteArray("/%zz") << true << QByteArray();
    QTest::newRow("truncated %4") << QByteArray("/%4") << true << QByteArray();
    QTest::newRow("lone % at end") << QByteArray("/a%") << true << QByteArray();
    QTest::newRow("raw # fragment") << QByteArray("/a#b") << true << QByteArray();
    QTest::newRow("control character") << QByteArray("/a\x01") << true << QByteArray();
    QTest::newRow("DEL character") << QByteArray("/a\x7f") << true << QByteArray();
}

void tst_HttpSemantics::normalizePath()
{
    QFETCH(QByteArray, path);
    QFETCH(bool, sanitize);
    QFETCH(QByteArray, expected);
    const auto result = http::normalizePath(path, sanitize);
    if (expected.isEmpty()) {
        QVERIFY(!result.ok());
        QVERIFY(!result.error().message.isEmpty());
        return;
    }
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().toString()));
    QCOMPARE(*result, expected);
}

void tst_HttpSemantics::routingPath_data()
{
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("plain") << QByteArray("/plain") << QByteArray("/plain");
    QTest::newRow("space decoded") << QByteArray("/foo%20bar") << QByteArray("/foo bar");
    QTest::newRow("slash stays encoded") << QByteArray("/foo%2Fbar") << QByteArray("/foo%2Fbar");
    QTest::newRow("lower reserved upper-cased")
        << QByteArray("/foo%2fbar") << QByteArray("/foo%2Fbar");
    QTest::newRow("percent stays encoded") << QByteArray("/100%25") << QByteArray("/100%25");
    QTest::newRow("gen-delims stay encoded")
        << QByteArray("/%3A%3F%23%5B%5D%40") << QByteArray("/%3A%3F%23%5B%5D%40");
    QTest::newRow("sub-delims stay encoded") << QByteArray("/%21%24%26%27%28%29%2A%2B%2C%3B%3D")
                                             << QByteArray("/%21%24%26%27%28%29%2A%2B%2C%3B%3D");
    QTest::newRow("utf-8 decoded") << QByteArray("/%E2%82%AC") << QByteArray("/\xe2\x82\xac");
    QTest::newRow("quote decoded") << QByteArray("/%22x%22") << QByteArray("/\"x\"");
}

void tst_HttpSemantics::routingPath()
{
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, expected);
    QCOMPARE(http::routingPath(path), expected);
}

void tst_HttpSemantics::normalizeTarget_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("encodeSemicolons");
    QTest::addColumn<QByteArray>("expected"); // empty = error
    QTest::newRow("origin-form") << QByteArray("/a/../b?x=1") << false << QByteArray("/b?x=1");
    QTest::newRow("semicolons to ampersands")
        << QByteArray("/p?x=1;y=2") << false << QByteArray("/p?x=1&y=2");
    QTest::newRow("semicolons encoded")
        << QByteArray("/p?x=1;y=2") << true << QByteArray("/p?x=1%3By=2");
    QTest::newRow("path semicolon untouched")
        << QByteArray("/a;b?c") << false << QByteArray("/a;b?c");
    QTest::newRow("empty query kept") << QByteArray("/a?") << false << QByteArray("/a?");
    QTest::newRow("absolute-form to origin-form")
        << QByteArray("http://example.com/a/./b?q") << false << QByteArray("/a/b?q");
    QTest::newRow("absolute-form without path")
        << QByteArray("http://example.com") << false << QByteArray("/");
    QTest::newRow("absolute-form query only")
        << QByteArray("http://example.com?x") << false << QByteArray("/?x");
    QTest::newRow("asterisk") << QByteArray("*") << false << QByteArray("*");
    QTest::newRow("authority-form unchanged")
        << QByteArray("example.com:443") << false << QByteArray("example.com:443");
    QTest::newRow("hash in query allowed") << QByteArray("/a?b#c") << false << QByteArray("/a?b#c");
    QTest::newRow("hash in path denied") << QByteArray("/a#b") << false << QByteArray();
    QTest::newRow("bad encoding denied") << QByteArray("/a%g0?x") << false << QByteArray();
}

void tst_HttpSemantics::normalizeTarget()
{
    QFETCH(QByteArray, target);
    QFETCH(bool, encodeSemicolons);
    QFETCH(QByteArray, expected);
    const auto result = http::normalizeTarget(target, true, encodeSemicolons);
    QCOMPARE(result.ok(), !expected.isEmpty());
    if (result.ok())
        QCOMPARE(*result, expected);
}

void tst_HttpSemantics::isNormalTarget_data()
{
    // The quick check may only say "normal" when the full pipeline returns the target unchanged;
    // the data plane then skips the pipeline and forwards the received bytes.
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<bool>("normal");
    QTest::newRow("root") << QByteArray("/") << true;
    QTest::newRow("plain path and query") << QByteArray("/a/b.html?x=1&y=/../z") << true;
    QTest::newRow("trailing slash") << QByteArray("/a/b/") << true;
    QTest::newRow("dot-prefixed names") << QByteArray("/.well-known/..x/.y") << true;
    QTest::newRow("path semicolon, sub-delims, colon, at")
        << QByteArray("/a;b=c/d:e@f!$&'()*+,~-_") << true;
    QTest::newRow("empty query") << QByteArray("/a?") << true;
    QTest::newRow("hash in query") << QByteArray("/a?b#c") << true;
    QTest::newRow("dot segment") << QByteArray("/a/./b") << false;
    QTest::newRow("dot-dot segment") << QByteArray("/a/../b") << false;
    QTest::newRow("trailing dot") << QByteArray("/a/.") << false;
    QTest::newRow("trailing dot-dot") << QByteArray("/a/..") << false;
    QTest::newRow("leading dot-dot") << QByteArray("/..") << false;
    QTest::newRow("double slash") << QByteArray("/a//b") << false;
    QTest::newRow("leading double slash") << QByteArray("//a") << false;
    QTest::newRow("percent-encoding") << QByteArray("/a%41") << false;
    QTest::newRow("query semicolon") << QByteArray("/p?x=1;y=2") << false;
    QTest::newRow("space") << QByteArray("/a b") << false;
    QTest::newRow("non-ascii byte") << QByteArray("/caf\xc3\xa9") << false;
    QTest::newRow("hash in path") << QByteArray("/a#b") << false;
    QTest::newRow("control character") << QByteArray("/a\x01") << false;
    QTest::newRow("absolute-form") << QByteArray("http://h/a") << false;
    QTest::newRow("asterisk") << QByteArray("*") << false;
    QTest::newRow("authority-form") << QByteArray("h:443") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void tst_HttpSemantics::isNormalTarget()
{
    QFETCH(QByteArray, target);
    QFETCH(bool, normal);
    QCOMPARE(http::isNormalTarget(target), normal);
    const auto full = http::normalizeTarget(target);
    if (normal) {
        QVERIFY(full.ok());
        QCOMPARE(*full, target);
    }
}

void tst_HttpSemantics::rewriteTargetPath_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("path");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("query kept") << QByteArray("/old?x=1") << QByteArray("/new")
                                << QByteArray("/new?x=1");
    QTest::newRow("no query") << QByteArray("/old") << QByteArray("/new/") << QByteArray("/new/");
    QTest::newRow("empty path is root") << QByteArray("/old") << QByteArray() << QByteArray("/");
    QTest::newRow("absolute-form")
        << QByteArray("http://h/old?q") << QByteArray("/n") << QByteArray("/n?q");
}

void tst_HttpSemantics::rewriteTargetPath()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, path);
    QFETCH(QByteArray, expected);
    QCOMPARE(http::rewriteTargetPath(target, path), expected);
}

void tst_HttpSemantics::requestHost_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("host");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("host header") << QByteArray("/x") << QByteArray("a.com:81")
                                 << QByteArray("a.com:81");
    QTest::newRow("absolute-form wins (RFC 9112 §3.2.2)")
        << QByteArray("http://b.com:82/x") << QByteArray("a.com") << QByteArray("b.com:82");
    QTest::newRow("userinfo dropped")
        << QByteArray("http://u:p@b.com/x") << QByteArray("a.com") << QByteArray("b.com");
    QTest::newRow("empty authority uses host")
        << QByteArray("http:///x") << QByteArray("a.com") << QByteArray("a.com");
    QTest::newRow("no host") << QByteArray("/x") << QByteArray() << QByteArray();
}

void tst_HttpSemantics::requestHost()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, host);
    QFETCH(QByteArray, expected);
    RequestHead head;
    head.target = target;
    if (!host.isNull())
        head.headers.add("Host", host);
    QCOMPARE(http::requestHost(head), expected);
}

void tst_HttpSemantics::escapedPath_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("decoded");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("raw kept when consistent")
        << QByteArray("/a%2Fb") << QByteArray("/a/b") << QByteArray("/a%2Fb");
    QTest::newRow("inconsistent raw re-escaped")
        << QByteArray("/%41x") << QByteArray("/%41x") << QByteArray("/%2541x");
    QTest::newRow("invalid raw char re-escaped")
        << QByteArray("/a b") << QByteArray("/a b") << QByteArray("/a%20b");
    QTest::newRow("empty raw") << QByteArray() << QByteArray("/x?") << QByteArray("/x%3F");
}

void tst_HttpSemantics::escapedPath()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, decoded);
    QFETCH(QByteArray, expected);
    QCOMPARE(http::escapedPath(raw, decoded), expected);
}

void tst_HttpSemantics::trustCreate_data()
{
    QTest::addColumn<QStringList>("entries");
    QTest::addColumn<bool>("ok");
    QTest::newRow("empty") << QStringList() << true;
    QTest::newRow("v4 ip and cidr")
        << QStringList { QStringLiteral("10.0.0.1"), QStringLiteral("192.168.0.0/16") } << true;
    QTest::newRow("v6 ip and cidr")
        << QStringList { QStringLiteral("::1"), QStringLiteral("fd00::/8") } << true;
    QTest::newRow("spaces trimmed") << QStringList { QStringLiteral(" 10.0.0.1 ") } << true;
    QTest::newRow("garbage") << QStringList { QStringLiteral("not-an-ip") } << false;
    QTest::newRow("prefix too long") << QStringList { QStringLiteral("10.0.0.0/33") } << false;
    QTest::newRow("prefix not a number") << QStringList { QStringLiteral("10.0.0.0/abc") } << false;
}

void tst_HttpSemantics::trustCreate()
{
    QFETCH(QStringList, entries);
    QFETCH(bool, ok);
    const auto trust = ForwardedTrust::create(entries, false);
    QCOMPARE(trust.ok(), ok);
    if (!ok)
        QVERIFY(trust.error().message.startsWith(QStringLiteral("invalid trusted ip \"")));
}

void tst_HttpSemantics::trusts_data()
{
    QTest::addColumn<QStringList>("entries");
    QTest::addColumn<bool>("insecure");
    QTest::addColumn<QString>("peer");
    QTest::addColumn<bool>("expected");
    const QStringList lan { QStringLiteral("10.0.0.0/8"), QStringLiteral("::1") };
    QTest::newRow("nobody trusted by default") << QStringList() << false << "127.0.0.1" << false;
    QTest::newRow("insecure trusts everyone") << QStringList() << true << "203.0.113.9" << true;
    QTest::newRow("in v4 cidr") << lan << false << "10.1.2.3" << true;
    QTest::newRow("outside v4 cidr") << lan << false << "11.1.2.3" << false;
    QTest::newRow("v4-mapped peer matches v4 net") << lan << false << "::ffff:10.9.9.9" << true;
    QTest::newRow("v6 exact") << lan << false << "::1" << true;
    QTest::newRow("v6 other") << lan << false << "::2" << false;
    QTest::newRow("single v4 ip") << QStringList { QStringLiteral("127.0.0.1") } << false
                                  << "127.0.0.1" << true;
    QTest::newRow("v4-mapped entry matches v4 peer")
        << QStringList { QStringLiteral("::ffff:127.0.0.1") } << false << "127.0.0.1" << true;
}

void tst_HttpSemantics::trusts()
{
    QFETCH(QStringList, entries);
    QFETCH(bool, insecure);
    QFETCH(QString, peer);
    QFETCH(bool, expected);
    const auto trust = ForwardedTrust::create(entries, insecure);
    QVERIFY(trust.ok());
    QCOMPARE(trust->trusts(QHostAddress(peer)), expected);
}

void tst_HttpSemantics::forwardedHeaders_data()
{
    QTest::addColumn<QStringList>("trusted");
    QTest::addColumn<int>("flags"); // 1 insecure, 2 notAppendXFF, 4 scheme headers
    QTest::addColumn<QString>("peer");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArrayList>("in");
    QTest::addColumn<QByteArrayList>("expect"); // "Name: combined value", or "!Name" for absent

    const QStringList none;
    const QStringList local { QStringLiteral("127.0.0.0/8") };
    const QByteArray t("/");
    const QByteArray host("Host: whoami.localhost");
    QTest::newRow("untrusted plain http (docs whoami)")
        << none << 0 << "127.0.0.1" << false << t << QByteArrayList { host }
        << QByteArrayList { "X-Forwarded-For: 127.0.0.1", "X-Forwarded-Host: whoami.localhost",
               "X-Forwarded-Port: 80", "X-Forwarded-Proto: http", "X-Forwarded-Server: testhost",
               "X-Real-Ip: 127.0.0.1" };
    QTest::newRow("untrusted spoofed values replaced")
        << none << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "X-Forwarded-For: 1.2.3.4", "X-Real-Ip: 9.9.9.9",
               "X-Forwarded-Proto: https", "X-Forwarded-Host: evil.com",
               "x-forwarded-prefix: /evil", "X-Forwarded-Port: 1" }
        << QByteArrayList { "X-Forwarded-For: 127.0.0.1", "X-Real-Ip: 127.0.0.1",
               "X-Forwarded-Proto: http", "X-Forwarded-Host: whoami.localhost",
               "!X-Forwarded-Prefix", "X-Forwarded-Port: 80" };
    QTest::newRow("untrusted underscore spellings stripped")
        << none << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "X_Forwarded_For: 5.5.5.5", "x_real_ip: 6.6.6.6",
               "X-Forwarded_Proto: https" }
        << QByteArrayList { "!X_Forwarded_For", "!x_real_ip", "!X-Forwarded_Proto",
               "X-Forwarded-For: 127.0.0.1" };
    QTest::newRow("trusted cidr keeps values")
        << local << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "X-Forwarded-For: 1.2.3.4", "X-Real-Ip: 9.9.9.9",
               "X-Forwarded-Proto: https" }
        << QByteArrayList { "X-Forwarded-For: 1.2.3.4, 127.0.0.1", "X-Real-Ip: 9.9.9.9",
               "X-Forwarded-Proto: https", "X-Forwarded-Port: 443" };
    QTest::newRow("insecure keeps values")
        << none << 1 << "198.51.100.7" << false << t
        << QByteArrayList { host, "X-Forwarded-Host: public.example" }
        << QByteArrayList { "X-Forwarded-Host: public.example", "X-Forwarded-For: 198.51.100.7" };
    QTest::newRow("trusted multiple xff lines folded")
        << local << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "X-Forwarded-For: 1.1.1.1", "X-Forwarded-For: 2.2.2.2, 3.3.3.3" }
        << QByteArrayList { "X-Forwarded-For: 1.1.1.1, 2.2.2.2, 3.3.3.3, 127.0.0.1" };
    QTest::newRow("trusted empty x-real-ip refilled")
        << local << 0 << "127.0.0.1" << false << t << QByteArrayList { host, "X-Real-Ip: " }
        << QByteArrayList { "X-Real-Ip: 127.0.0.1" };
    QTest::newRow("outside trusted net stripped")
        << local << 0 << "10.0.0.1" << false << t
        << QByteArrayList { host, "X-Forwarded-For: 1.2.3.4" }
        << QByteArrayList { "X-Forwarded-For: 10.0.0.1" };
    QTest::newRow("websocket upgrade is ws")
        << none << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "Connection: Upgrade", "Upgrade: websocket" }
        << QByteArrayList { "X-Forwarded-Proto: ws", "X-Forwarded-Port: 80", "Upgrade: websocket" };
    QTest::newRow("websocket upgrade over tls is wss")
        << none << 0 << "127.0.0.1" << true << t
        << QByteArrayList { host, "Connection: keep-alive, Upgrade", "Upgrade: websocket" }
        << QByteArrayList { "X-Forwarded-Proto: wss", "X-Forwarded-Port: 443" };
    QTest::newRow("h2c upgrade is not ws")
        << none << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "Connection: Upgrade", "Upgrade: h2c" }
        << QByteArrayList { "X-Forwarded-Proto: http" };
    QTest::newRow("tls is https 443")
        << none << 0 << "127.0.0.1" << true << t << QByteArrayList { host }
        << QByteArrayList { "X-Forwarded-Proto: https", "X-Forwarded-Port: 443" };
    QTest::newRow("port from host header")
        << none << 0 << "127.0.0.1" << true << t << QByteArrayList { "Host: app.localhost:8443" }
        << QByteArrayList { "X-Forwarded-Port: 8443", "X-Forwarded-Host: app.localhost:8443" };
    QTest::newRow("ipv6 host port")
        << none << 0 << "::1" << false << t << QByteArrayList { "Host: [::1]:9000" }
        << QByteArrayList { "X-Forwarded-Port: 9000", "X-Real-Ip: ::1", "X-Forwarded-For: ::1" };
    QTest::newRow("no host header")
        << none << 0 << "127.0.0.1" << false << t << QByteArrayList()
        << QByteArrayList { "!X-Forwarded-Host", "X-Forwarded-Port: 80" };
    QTest::newRow("absolute-form authority")
        << none << 0 << "127.0.0.1" << false << QByteArray("http://abs.localhost:81/x")
        << QByteArrayList { "Host: other" }
        << QByteArrayList { "X-Forwarded-Host: abs.localhost:81", "X-Forwarded-Port: 81" };
    QTest::newRow("ipv6 zone removed")
        << none << 0 << "fe80::1%eth0" << false << t << QByteArrayList { host }
        << QByteArrayList { "X-Real-Ip: fe80::1", "X-Forwarded-For: fe80::1" };
    QTest::newRow("v4-mapped peer trusted and shown as v4")
        << QStringList { QStringLiteral("10.0.0.0/8") } << 0 << "::ffff:10.0.0.5" << false << t
        << QByteArrayList { host, "X-Real-Ip: 1.1.1.1" }
        << QByteArrayList { "X-Real-Ip: 1.1.1.1", "X-Forwarded-For: 10.0.0.5" };
    QTest::newRow("connection-named header removed, managed kept")
        << local << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "Connection: X-Forwarded-For, X-Custom, Host", "X-Custom: 1",
               "X-Forwarded-For: 4.4.4.4" }
        << QByteArrayList { "!X-Custom", "X-Forwarded-For: 4.4.4.4, 127.0.0.1",
               "Host: whoami.localhost" };
    QTest::newRow("rfc 7239 forwarded passes through")
        << none << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "Forwarded: for=1.2.3.4" }
        << QByteArrayList { "Forwarded: for=1.2.3.4" };
    QTest::newRow("x-replaced-path is not managed")
        << none << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "X-Replaced-Path: /spoof" }
        << QByteArrayList { "X-Replaced-Path: /spoof" };
    QTest::newRow("notAppendXForwardedFor adds nothing")
        << none << 2 << "127.0.0.1" << false << t << QByteArrayList { host }
        << QByteArrayList { "!X-Forwarded-For" };
    QTest::newRow("notAppendXForwardedFor keeps trusted list")
        << local << 2 << "127.0.0.1" << false << t
        << QByteArrayList { host, "X-Forwarded-For: 1.1.1.1" }
        << QByteArrayList { "X-Forwarded-For: 1.1.1.1" };
    QTest::newRow("addXForwardedSchemeHeaders")
        << none << 4 << "127.0.0.1" << false << t << QByteArrayList { host, "X-Scheme: evil" }
        << QByteArrayList { "X-Forwarded-Scheme: http", "X-Scheme: http" };
    QTest::newRow("x-forwarded-server always overwritten")
        << local << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "X-Forwarded-Server: upstream-proxy" }
        << QByteArrayList { "X-Forwarded-Server: testhost" };
}

void tst_HttpSemantics::forwardedHeaders()
{
    QFETCH(QStringList, trusted);
    QFETCH(int, flags);
    QFETCH(QString, peer);
    QFETCH(bool, tls);
    QFETCH(QByteArray, target);
    QFETCH(QByteArrayList, in);
    QFETCH(QByteArrayList, expect);

    ForwardedOptions options;
    options.trustedIPs = trusted;
    options.insecure = flags & 1;
    options.notAppendXForwardedFor = flags & 2;
    options.addXForwardedSchemeHeaders = flags & 4;
    const auto trust = ForwardedTrust::create(options);
    QVERIFY(trust.ok());

    RequestHead head;
    head.method = "GET";
    head.target = target;
    head.headers = headersFrom(in);
    applyForwardedHeaders(
        head, ConnectionFacts { QHostAddress(peer), tls, "testhost", {} }, *trust);

    for (const QByteArray &e : expect) {
        if (e.startsWith('!')) {
            QVERIFY2(!head.headers.contains(e.mid(1)), linesOf(head.headers).join('|').constData());
            continue;
        }
        const qsizetype colon = e.indexOf(':');
        const QByteArray name = e.left(colon);
        QCOMPARE(head.headers.combined(name), e.mid(colon + 1).trimmed());
        QCOMPARE(head.headers.values(name).size(), size_t(1));
    }
}

void tst_HttpSemantics::strippedMatchesGeneralRewrite_data()
{
    QTest::addColumn<int>("flags"); // 2 notAppendXFF, 4 scheme headers
    QTest::addColumn<QString>("peer");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArrayList>("in"); // no managed header: nothing to strip
    const QByteArray t("/");
    const QByteArray host("Host: whoami.localhost");
    QTest::newRow("plain") << 0 << "127.0.0.1" << false << t
                           << QByteArrayList { host, "Accept: */*" };
    QTest::newRow("tls, port in host")
        << 0 << "10.1.2.3" << true << t << QByteArrayList { "Host: a.localhost:8443" };
    QTest::newRow("websocket") << 0 << "127.0.0.1" << false << t
                               << QByteArrayList { host, "Connection: Upgrade",
                                      "Upgrade: websocket" };
    QTest::newRow("websocket over tls")
        << 0 << "127.0.0.1" << true << t
        << QByteArrayList { host, "Connection: upgrade", "Upgrade: WebSocket" };
    QTest::newRow("no host") << 0 << "127.0.0.1" << false << t << QByteArrayList {};
    QTest::newRow("absolute-form")
        << 0 << "127.0.0.1" << false << QByteArray("http://abs.localhost:81/x")
        << QByteArrayList { "Host: other" };
    QTest::newRow("ipv6 peer and host")
        << 0 << "::1" << false << t << QByteArrayList { "Host: [::1]:9000" };
    QTest::newRow("no peer") << 0 << "" << false << t << QByteArrayList { host };
    QTest::newRow("scheme headers") << 4 << "127.0.0.1" << true << t << QByteArrayList { host };
    QTest::newRow("no xff append") << 2 << "127.0.0.1" << false << t << QByteArrayList { host };
    QTest::newRow("connection-named field removed")
        << 0 << "127.0.0.1" << false << t
        << QByteArrayList { host, "Connection: X-Custom, keep-alive", "X-Custom: 1",
               "Keep-Alive: timeout=5" };
}

void tst_HttpSemantics::strippedMatchesGeneralRewrite()
{
    // An untrusted peer's request goes through the stripped fast path, a trusted one through the
    // general rewrite. Without managed headers in the request both must give the same fields in
    // the same order (the bytes sent upstream).
    QFETCH(int, flags);
    QFETCH(QString, peer);
    QFETCH(bool, tls);
    QFETCH(QByteArray, target);
    QFETCH(QByteArrayList, in);
    QList<QByteArrayList> results;
    for (const bool insecure : { false, true }) {
        ForwardedOptions options;
        options.insecure = insecure;
        options.notAppendXForwardedFor = flags & 2;
        options.addXForwardedSchemeHeaders = flags & 4;
        const auto trust = ForwardedTrust::create(options);
        QVERIFY(trust.ok());
        RequestHead head;
        head.method = "GET";
        head.target = target;
        head.headers = headersFrom(in);
        const QHostAddress address = peer.isEmpty() ? QHostAddress() : QHostAddress(peer);
        applyForwardedHeaders(head, ConnectionFacts { address, tls, "testhost", {} }, *trust);
        results << linesOf(head.headers);
    }
    QCOMPARE(results[0], results[1]);
    QVERIFY(results[0].contains("X-Forwarded-Server: testhost"));
}

void tst_HttpSemantics::managedHeaderNames_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("managed");
    QTest::newRow("canonical") << QByteArray("X-Forwarded-For") << true;
    QTest::newRow("lower") << QByteArray("x-real-ip") << true;
    QTest::newRow("underscores") << QByteArray("X_Forwarded_Tls_Client_Cert_Info") << true;
    QTest::newRow("x-scheme") << QByteArray("X-Scheme") << true;
    QTest::newRow("prefix") << QByteArray("X-Forwarded-Prefix") << true;
    QTest::newRow("replaced path is not") << QByteArray("X-Replaced-Path") << false;
    QTest::newRow("forwarded is not") << QByteArray("Forwarded") << false;
    QTest::newRow("longer name is not") << QByteArray("X-Forwarded-For-Real") << false;
}

void tst_HttpSemantics::managedHeaderNames()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, managed);
    QCOMPARE(isManagedForwardedHeader(name), managed);
}

void tst_HttpSemantics::hopByHop_data()
{
    QTest::addColumn<QByteArrayList>("in");
    QTest::addColumn<bool>("keepUpgrade");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::newRow("fixed list removed (RFC 9110 §7.6.1)") << QByteArrayList {
        "Connection: keep-alive", "Keep-Alive: timeout=5", "Proxy-Connection: keep-alive",
        "TE: trailers", "Trailer: X-Sum", "Transfer-Encoding: chunked", "Upgrade: h2c",
        "Proxy-Authorization: Basic eA==", "Proxy-Authenticate: Basic", "Accept: */*"
    } << false << QByteArrayList { "Accept: */*" };
    QTest::newRow("connection-named fields removed") << QByteArrayList { "Connection: close, X-Foo",
        "X-Foo: 1", "X-Bar: 2" } << false << QByteArrayList { "X-Bar: 2" };
    QTest::newRow("several connection lines")
        << QByteArrayList { "Connection: X-A", "connection: x-b", "X-A: 1", "x-B: 2", "X-C: 3" }
        << false << QByteArrayList { "X-C: 3" };
    QTest::newRow("managed x-forwarded kept")
        << QByteArrayList { "Connection: X-Forwarded-For, X-Real-Ip, x_forwarded_host",
               "X-Forwarded-For: 1.1.1.1", "X-Real-Ip: 1.1.1.1", "X_Forwarded_Host: h" }
        << false
        << QByteArrayList { "X-Forwarded-For: 1.1.1.1", "X-Real-Ip: 1.1.1.1",
               "X_Forwarded_Host: h" };
    QTest::newRow("framing and host never removed by connection")
        << QByteArrayList { "Connection: Content-Length, Host", "Host: a", "Content-Length: 5" }
        << false << QByteArrayList { "Host: a", "Content-Length: 5" };
    QTest::newRow("websocket handshake kept")
        << QByteArrayList { "Connection: keep-alive, Upgrade", "Upgrade: websocket",
               "Sec-WebSocket-Key: k" }
        << true
        << QByteArrayList { "Sec-WebSocket-Key: k", "Connection: Upgrade", "Upgrade: websocket" };
    QTest::newRow("keepUpgrade without upgrade request")
        << QByteArrayList { "Connection: keep-alive", "Upgrade: websocket", "A: b" } << true
        << QByteArrayList { "A: b" };
    QTest::newRow("upgrade dropped without keepUpgrade") << QByteArrayList { "Connection: Upgrade",
        "Upgrade: websocket", "A: b" } << false << QByteArrayList { "A: b" };
    QTest::newRow("nothing to remove")
        << QByteArrayList { "A: 1", "B: 2" } << false << QByteArrayList { "A: 1", "B: 2" };
}

void tst_HttpSemantics::hopByHop()
{
    QFETCH(QByteArrayList, in);
    QFETCH(bool, keepUpgrade);
    QFETCH(QByteArrayList, expected);
    HeaderList headers = headersFrom(in);
    removeHopByHopHeaders(headers, keepUpgrade);
    QCOMPARE(linesOf(headers), expected);
}

void tst_HttpSemantics::upgradeDetection_data()
{
    QTest::addColumn<QByteArrayList>("in");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<bool>("trailers");
    QTest::newRow("websocket") << QByteArrayList { "Connection: Upgrade", "Upgrade: websocket" }
                               << true << false;
    QTest::newRow("token in list")
        << QByteArrayList { "Connection: keep-alive, upgrade", "Upgrade: h2c" } << true << false;
    QTest::newRow("upgrade without connection token")
        << QByteArrayList { "Upgrade: websocket" } << false << false;
    QTest::newRow("connection without upgrade field")
        << QByteArrayList { "Connection: upgrade" } << false << false;
    QTest::newRow("te trailers") << QByteArrayList { "TE: gzip, trailers" } << false << true;
}

void tst_HttpSemantics::upgradeDetection()
{
    QFETCH(QByteArrayList, in);
    QFETCH(bool, upgrade);
    QFETCH(bool, trailers);
    const HeaderList headers = headersFrom(in);
    QCOMPARE(isUpgradeRequest(headers), upgrade);
    QCOMPARE(acceptsTrailers(headers), trailers);
}

QTEST_GUILESS_MAIN(tst_HttpSemantics)
#include "tst_http_semantics.moc"
