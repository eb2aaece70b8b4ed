#include "core/middleware/redirect_scheme.h"
#include "core/middleware/registry.h"

#include <QTest>

using namespace portico;
using namespace portico::middleware;

namespace {

/// Builds `kind` from YAML the way the control plane does: options under
/// `http.middlewares.m.<kind>` in `mw.yaml`.
Expected<MiddlewarePtr> build(const QString &kind, const QString &yaml)
{
    YAML::Node node;
    try {
        node = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &) {
        return Error { QStringLiteral("test yaml does not parse"), {}, {} };
    }
    const config::Node options(
        node, QStringLiteral("mw.yaml"), QStringLiteral("http.middlewares.m.") + kind);
    return builtinMiddlewares().create(kind, options);
}

QStringList lines(std::initializer_list<const char *> texts)
{
    QStringList out;
    for (const char *text : texts)
        out << QString::fromUtf8(text);
    return out;
}

QByteArray bytes(const QString &s)
{
    return s.toUtf8();
}

/// `Name: value` lines into a header list (names and values as bytes).
HeaderList headersFrom(const QStringList &lines)
{
    HeaderList h;
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(u':');
        h.add(bytes(line.left(colon)), bytes(line.mid(colon + 1).trimmed()));
    }
    return h;
}

} // namespace

class tst_Middleware : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void registryKinds();
    void parse_data();
    void parse();
    void rewrite_data();
    void rewrite();
    void redirectScheme_data();
    void redirectScheme();
    void responseHeaders();
};

void tst_Middleware::registryKinds()
{
    const QStringList kinds = builtinMiddlewares().kinds();
    for (const char *kind :
        { "addPrefix", "headers", "redirectScheme", "replacePath", "stripPrefix" })
        QVERIFY2(kinds.contains(QString::fromLatin1(kind)), kind);
}

void tst_Middleware::parse_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("error"); // empty = parses; else the full Error::toString()
    const QString p = QStringLiteral("mw.yaml:%1: http.middlewares.m.");
    QTest::newRow("stripPrefix list") << "stripPrefix"
                                      << "prefixes: [/a, /b]"
                                      << "";
    QTest::newRow("stripPrefix keys case-insensitive") << "stripPrefix"
                                                       << "Prefixes: [/a]\nFORCESLASH: false"
                                                       << "";
    QTest::newRow("stripPrefix label comma form") << "stripPrefix"
                                                  << "prefixes: /a,/b"
                                                  << "";
    QTest::newRow("stripPrefix empty options") << "stripPrefix"
                                               << ""
                                               << "";
    QTest::newRow("stripPrefix unknown key with hint") << "stripPrefix"
                                                       << "prefixs: [/a]"
                                                       << p.arg(QStringLiteral("1:1"))
            + QStringLiteral("stripPrefix.prefixs: unknown stripPrefix option \"prefixs\" "
                             "(did you mean \"prefixes\"?)");
    QTest::newRow("stripPrefix prefixes not a list") << "stripPrefix"
                                                     << "prefixes:\n  a: b"
                                                     << p.arg(QStringLiteral("2:3"))
            + QStringLiteral("stripPrefix.prefixes: expected a list of strings");
    QTest::newRow("stripPrefix nested list element") << "stripPrefix"
                                                     << "prefixes:\n  - /a\n  - [x]"
                                                     << p.arg(QStringLiteral("3:5"))
            + QStringLiteral("stripPrefix.prefixes[1]: expected a string");
    QTest::newRow("stripPrefix bad bool") << "stripPrefix"
                                          << "forceSlash: maybe"
                                          << p.arg(QStringLiteral("1:13"))
            + QStringLiteral("stripPrefix.forceSlash: invalid boolean \"maybe\" "
                             "(use true or false)");
    QTest::newRow("stripPrefix options not a map") << "stripPrefix"
                                                   << "[1, 2]"
                                                   << p.arg(QStringLiteral("1:1"))
            + QStringLiteral("stripPrefix: stripPrefix options must be a map");
    QTest::newRow("stripPrefix duplicate key in two cases") << "stripPrefix"
                                                            << "prefixes: [/a]\nPrefixes: [/b]"
                                                            << p.arg(QStringLiteral("2:1"))
            + QStringLiteral("stripPrefix.Prefixes: duplicate stripPrefix option \"Prefixes\"");
    QTest::newRow("addPrefix ok") << "addPrefix"
                                  << "prefix: /api"
                                  << "";
    QTest::newRow("addPrefix missing prefix") << "addPrefix"
                                              << "{}"
                                              << p.arg(QStringLiteral("1:1"))
            + QStringLiteral("addPrefix: addPrefix prefix cannot be empty");
    QTest::newRow("replacePath ok") << "replacePath"
                                    << "path: /a%20b"
                                    << "";
    QTest::newRow("replacePath bad escape") << "replacePath"
                                            << "path: /a%zz"
                                            << p.arg(QStringLiteral("1:7"))
            + QStringLiteral(
                "replacePath.path: invalid percent-encoding in replacePath path \"/a%zz\"");
    QTest::newRow("redirectScheme ok") << "redirectScheme"
                                       << "scheme: https\nport: 8443\npermanent: true"
                                       << "";
    QTest::newRow("redirectScheme quoted port") << "redirectScheme"
                                                << "scheme: https\nport: \"443\""
                                                << "";
    QTest::newRow("redirectScheme missing scheme") << "redirectScheme"
                                                   << "permanent: true"
                                                   << p.arg(QStringLiteral("1:1"))
            + QStringLiteral(
                "redirectScheme: redirectScheme needs a target scheme (add scheme: https)");
    QTest::newRow("redirectScheme bad port") << "redirectScheme"
                                             << "scheme: https\nport: abc"
                                             << p.arg(QStringLiteral("2:7"))
            + QStringLiteral("redirectScheme.port: invalid port \"abc\"");
    QTest::newRow("headers ok") << "headers"
                                << "customRequestHeaders:\n  X-A: b\n  X-Gone: \"\"\n  X-Null:"
                                << "";
    QTest::newRow("headers typo with hint") << "headers"
                                            << "customRequestHeader:\n  X-A: b"
                                            << p.arg(QStringLiteral("1:1"))
            + QStringLiteral(
                "headers.customRequestHeader: unknown headers option \"customRequestHeader\" "
                "(did you mean \"customRequestHeaders\"?)");
    QTest::newRow("headers unsupported option") << "headers"
                                                << "frameDeny: true"
                                                << p.arg(QStringLiteral("1:12"))
            + QStringLiteral(
                "headers.frameDeny: headers option \"frameDeny\" is not supported by portico yet");
    QTest::newRow("headers value not scalar") << "headers"
                                              << "customResponseHeaders:\n  X-A: [1]"
                                              << p.arg(QStringLiteral("2:8"))
            + QStringLiteral("headers.customResponseHeaders.X-A: expected a string");
    QTest::newRow("unknown kind with hint") << "stripPrefx"
                                            << "prefixes: [/a]"
                                            << p.arg(QStringLiteral("1:1"))
            + QStringLiteral("stripPrefx: unknown middleware type \"stripPrefx\" "
                             "(did you mean \"stripPrefix\"?)");
    QTest::newRow("kind case-insensitive (docker labels)") << "stripprefix"
                                                           << "prefixes: [/a]"
                                                           << "";
}

void tst_Middleware::parse()
{
    QFETCH(QString, kind);
    QFETCH(QString, yaml);
    QFETCH(QString, error);
    const auto mw = build(kind, yaml);
    if (error.isEmpty()) {
        QVERIFY2(mw.ok(), qPrintable(mw.ok() ? QString() : mw.error().toString()));
        QVERIFY(*mw);
        return;
    }
    QVERIFY(!mw.ok());
    QCOMPARE(mw.error().toString(), error);
}

void tst_Middleware::rewrite_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QStringList>("headers");
    QTest::addColumn<int>("status"); // 0 = forwarded
    QTest::addColumn<QString>("expectedTarget");
    QTest::addColumn<QStringList>("expectedHeaders"); // "Name: combined value" or "!Name"

    const QStringList none;
    const QString api = QStringLiteral("prefixes: [/api]");
    QTest::newRow("strip prefix keeps query")
        << "stripPrefix" << api << "/api/users?x=1" << none << 0 << "/users?x=1"
        << lines({ "X-Forwarded-Prefix: /api" });
    QTest::newRow("strip whole path gives root") << "stripPrefix" << api << "/api" << none << 0
                                                 << "/" << lines({ "X-Forwarded-Prefix: /api" });
    QTest::newRow("strip is not segment-aware")
        << "stripPrefix" << api << "/apiv2" << none << 0 << "/v2" << QStringList();
    QTest::newRow("strip no match leaves request") << "stripPrefix" << api << "/other" << none << 0
                                                   << "/other" << lines({ "!X-Forwarded-Prefix" });
    QTest::newRow("strip first matching prefix wins")
        << "stripPrefix"
        << "prefixes: [/a, /a/b]"
        << "/a/b/c" << none << 0 << "/b/c" << lines({ "X-Forwarded-Prefix: /a" });
    QTest::newRow("strip prefix with trailing slash")
        << "stripPrefix"
        << "prefixes: [/api/]"
        << "/api/x" << none << 0 << "/x" << QStringList();
    QTest::newRow("strip matches decoded path")
        << "stripPrefix"
        << "prefixes: [/foo bar]"
        << "/foo%20bar/x" << none << 0 << "/x" << QStringList();
    QTest::newRow("strip keeps encoded slash in rest")
        << "stripPrefix" << api << "/api/a%2Fb" << none << 0 << "/a%2Fb" << QStringList();
    QTest::newRow("strip appends to client prefix")
        << "stripPrefix" << api << "/api/x" << lines({ "X-Forwarded-Prefix: /outer" }) << 0 << "/x"
        << lines({ "X-Forwarded-Prefix: /outer, /api" });
    QTest::newRow("strip dot-dot via encoded slash is 400")
        << "stripPrefix" << api << "/api..%2F..%2Fadmin" << none << 400 << "" << QStringList();
    QTest::newRow("strip dot-dot segment rest is 400")
        << "stripPrefix"
        << "prefixes: [/public]"
        << "/public/..%2Fadmin" << none << 400 << "" << QStringList();
    QTest::newRow("strip forceSlash collapses leading slashes")
        << "stripPrefix"
        << "prefixes: [/api]\nforceSlash: true"
        << "/api//x" << none << 0 << "/x" << QStringList();
    QTest::newRow("strip without forceSlash keeps them")
        << "stripPrefix" << api << "/api//x" << none << 0 << "//x" << QStringList();
    QTest::newRow("add prefix") << "addPrefix"
                                << "prefix: /api"
                                << "/users?x" << none << 0 << "/api/users?x" << QStringList();
    QTest::newRow("add prefix without slash")
        << "addPrefix"
        << "prefix: api"
        << "/users" << none << 0 << "/api/users" << QStringList();
    QTest::newRow("add prefix needing escape") << "addPrefix"
                                               << "prefix: /a b"
                                               << "/x" << none << 0 << "/a%20b/x" << QStringList();
    QTest::newRow("add prefix keeps encoded slash")
        << "addPrefix"
        << "prefix: /v1"
        << "/a%2Fb" << none << 0 << "/v1/a%2Fb" << QStringList();
    QTest::newRow("replace path") << "replacePath"
                                  << "path: /new"
                                  << "/old/x?q=1" << none << 0 << "/new?q=1"
                                  << lines({ "X-Replaced-Path: /old/x" });
    QTest::newRow("replace path escapes") << "replacePath"
                                          << "path: /a b"
                                          << "/old" << none << 0 << "/a%20b" << QStringList();
    QTest::newRow("replace path keeps encoded slash")
        << "replacePath"
        << "path: /a%2Fb"
        << "/old%20x" << none << 0 << "/a%2Fb" << lines({ "X-Replaced-Path: /old%20x" });
    QTest::newRow("replace path adds to client value")
        << "replacePath"
        << "path: /n"
        << "/o" << lines({ "X-Replaced-Path: /spoof" }) << 0 << "/n"
        << lines({ "X-Replaced-Path: /spoof, /o" });
    QTest::newRow("headers set and remove")
        << "headers"
        << "customRequestHeaders:\n  X-Script-Name: test\n  X-Remove: \"\""
        << "/" << lines({ "X-Remove: 1", "X-Script-Name: old", "x-script-name: older" }) << 0 << "/"
        << lines({ "X-Script-Name: test", "!X-Remove" });
    QTest::newRow("headers empty x-forwarded-for removes it")
        << "headers"
        << "customRequestHeaders:\n  X-Forwarded-For: \"\""
        << "/" << lines({ "X-Forwarded-For: 1.2.3.4, 127.0.0.1" }) << 0 << "/"
        << lines({ "!X-Forwarded-For" });
    QTest::newRow("headers set host")
        << "headers"
        << "customRequestHeaders:\n  host: backend.internal"
        << "/" << lines({ "Host: a.localhost" }) << 0 << "/" << lines({ "Host: backend.internal" });
    QTest::newRow("headers empty host is ignored")
        << "headers"
        << "customRequestHeaders:\n  Host: \"\""
        << "/" << lines({ "Host: a.localhost" }) << 0 << "/" << lines({ "Host: a.localhost" });
    QTest::newRow("headers null value removes")
        << "headers"
        << "customRequestHeaders:\n  X-Gone:"
        << "/" << lines({ "X-Gone: 1" }) << 0 << "/" << lines({ "!X-Gone" });
}

void tst_Middleware::rewrite()
{
    QFETCH(QString, kind);
    QFETCH(QString, yaml);
    QFETCH(QString, target);
    QFETCH(QStringList, headers);
    QFETCH(int, status);
    QFETCH(QString, expectedTarget);
    QFETCH(QStringList, expectedHeaders);

    const auto mw = build(kind, yaml);
    QVERIFY2(mw.ok(), qPrintable(mw.ok() ? QString() : mw.error().toString()));
    http::RequestHead head;
    head.method = "GET";
    head.target = bytes(target);
    head.headers = headersFrom(headers);
    RequestContext context { head, QHostAddress::LocalHost, false, QStringLiteral("web") };
    const auto response = (*mw)->handleRequest(context);
    if (status != 0) {
        QVERIFY(response.has_value());
        QCOMPARE(response->head.status, status);
        QCOMPARE(response->body, QByteArray("Bad Request\n"));
        QCOMPARE(
            response->head.headers.value("Content-Type"), QByteArray("text/plain; charset=utf-8"));
        return;
    }
    QVERIFY(!response.has_value());
    QCOMPARE(QString::fromUtf8(head.target), expectedTarget);
    for (const QString &e : expectedHeaders) {
        if (e.startsWith(u'!')) {
            QVERIFY2(!head.headers.contains(bytes(e.mid(1))), qPrintable(e));
            continue;
        }
        const qsizetype colon = e.indexOf(u':');
        QCOMPARE(QString::fromUtf8(head.headers.combined(bytes(e.left(colon)))),
            e.mid(colon + 1).trimmed());
    }
}

void tst_Middleware::redirectScheme_data()
{
    QTest::addColumn<QString>("yaml");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("tls");
    QTest::addColumn<QString>("proto"); // X-Forwarded-Proto, empty = none
    QTest::addColumn<int>("status"); // 0 = no redirect
    QTest::addColumn<QString>("location");

    const QString https = QStringLiteral("scheme: https");
    const QString permanent = QStringLiteral("scheme: https\npermanent: true");
    QTest::newRow("GET is 302") << https << "GET"
                                << "/x?y=1"
                                << "example.com" << false << "" << 302
                                << "https://example.com/x?y=1";
    QTest::newRow("GET permanent is 301")
        << permanent << "GET"
        << "/x"
        << "example.com" << false << "" << 301 << "https://example.com/x";
    QTest::newRow("POST is 307") << https << "POST"
                                 << "/x"
                                 << "example.com" << false << "" << 307 << "https://example.com/x";
    QTest::newRow("POST permanent is 308")
        << permanent << "POST"
        << "/x"
        << "example.com" << false << "" << 308 << "https://example.com/x";
    QTest::newRow("HEAD is 307") << https << "HEAD"
                                 << "/"
                                 << "example.com" << false << "" << 307 << "https://example.com/";
    QTest::newRow("lower-case get is not GET")
        << https << "get"
        << "/"
        << "example.com" << false << "" << 307 << "https://example.com/";
    QTest::newRow("host port dropped")
        << https << "GET"
        << "/x"
        << "example.com:8080" << false << "" << 302 << "https://example.com/x";
    QTest::newRow("configured port")
        << "scheme: https\nport: 8443"
        << "GET"
        << "/x"
        << "example.com:8080" << false << "" << 302 << "https://example.com:8443/x";
    QTest::newRow("default port omitted")
        << "scheme: https\nport: 443"
        << "GET"
        << "/x"
        << "example.com" << false << "" << 302 << "https://example.com/x";
    QTest::newRow("already tls") << https << "GET"
                                 << "/x"
                                 << "example.com" << true << "" << 0 << "";
    QTest::newRow("already tls with :443") << https << "GET"
                                           << "/x"
                                           << "example.com:443" << true << "" << 0 << "";
    QTest::newRow("x-forwarded-proto https") << https << "GET"
                                             << "/x"
                                             << "example.com" << false << "https" << 0 << "";
    QTest::newRow("x-forwarded-proto wss") << https << "GET"
                                           << "/x"
                                           << "example.com" << false << "wss" << 0 << "";
    QTest::newRow("x-forwarded-proto ws redirects")
        << https << "GET"
        << "/x"
        << "example.com" << false << "ws" << 302 << "https://example.com/x";
    QTest::newRow("https to http")
        << "scheme: http"
        << "GET"
        << "/x"
        << "example.com:443" << true << "" << 302 << "http://example.com/x";
    QTest::newRow("http :80 dropped")
        << https << "GET"
        << "/x"
        << "localhost:80" << false << "" << 302 << "https://localhost/x";
    QTest::newRow("ipv6 literal host") << https << "GET"
                                       << "/x"
                                       << "[::1]" << false << "" << 302 << "https://[::1]/x";
    QTest::newRow("absolute-form target")
        << https << "GET"
        << "http://abs.example:81/p?q"
        << "ignored" << false << "" << 302 << "https://abs.example/p?q";
}

void tst_Middleware::redirectScheme()
{
    QFETCH(QString, yaml);
    QFETCH(QString, method);
    QFETCH(QString, target);
    QFETCH(QString, host);
    QFETCH(bool, tls);
    QFETCH(QString, proto);
    QFETCH(int, status);
    QFETCH(QString, location);

    const auto mw = build(QStringLiteral("redirectScheme"), yaml);
    QVERIFY2(mw.ok(), qPrintable(mw.ok() ? QString() : mw.error().toString()));
    http::RequestHead head;
    head.method = bytes(method);
    head.target = bytes(target);
    head.headers.add("Host", bytes(host));
    if (!proto.isEmpty())
        head.headers.add("X-Forwarded-Proto", bytes(proto));
    RequestContext context { head, QHostAddress::LocalHost, tls, QStringLiteral("web") };
    const auto response = (*mw)->handleRequest(context);
    if (status == 0) {
        QVERIFY2(!response.has_value(),
            response ? response->head.headers.value("Location").constData() : "");
        return;
    }
    QVERIFY(response.has_value());
    QCOMPARE(response->head.status, status);
    QCOMPARE(QString::fromUtf8(response->head.headers.value("Location")), location);
    QCOMPARE(response->body, http::reasonPhrase(status));
    QVERIFY(!response->head.headers.contains("Content-Type"));
}

void tst_Middleware::responseHeaders()
{
    const auto mw = build(QStringLiteral("headers"),
        QStringLiteral("customResponseHeaders:\n  X-Custom: v\n  Server: \"\""));
    QVERIFY(mw.ok());
    http::RequestHead head;
    RequestContext context { head, QHostAddress::LocalHost, false, QStringLiteral("web") };
    http::ResponseHead response;
    response.headers.add("Server", "upstream");
    response.headers.add("X-Custom", "old");
    response.headers.add("X-Custom", "older");
    (*mw)->handleResponse(context, response);
    QVERIFY(!response.headers.contains("Server"));
    QCOMPARE(response.headers.combined("X-Custom"), QByteArray("v"));
}

QTEST_GUILESS_MAIN(tst_Middleware)
#include "tst_middleware.moc"
