#include "core/http/h1_parser.h"
#include "core/http/h1_writer.h"

#include <QTest>

#include <limits>

using namespace portico;
using namespace portico::http;

namespace {

QByteArray framingName(const H1Parser &p)
{
    switch (p.framing()) {
    case BodyFraming::None:
        return "none";
    case BodyFraming::ContentLength:
        return "cl:" + QByteArray::number(p.contentLength());
    case BodyFraming::Chunked:
        return "chunked";
    case BodyFraming::UntilClose:
        return "eof";
    }
    return {};
}

QByteArray headLine(H1Parser &p, H1Parser::Mode mode)
{
    QByteArray line;
    if (mode == H1Parser::Mode::Request) {
        const RequestHead &r = p.request();
        line = "head " + r.method + ' ' + r.target + ' ' + r.version.toByteArray();
        for (const HeaderField &f : r.headers)
            line += " [" + f.name + '=' + f.value + ']';
    } else {
        const ResponseHead &r = p.response();
        line = "head " + QByteArray::number(r.status) + ' ' + r.version.toByteArray();
        for (const HeaderField &f : r.headers)
            line += " [" + f.name + '=' + f.value + ']';
    }
    return line + ' ' + framingName(p) + (p.keepAlive() ? "" : " close");
}

/// Feeds `chunks` one after another like reads from a socket and writes down every event
/// (consecutive body pieces merged, so the transcript does not depend on how input was split).
QByteArray transcript(H1Parser::Mode mode, const QList<QByteArray> &chunks, bool eof = false,
    H1Limits limits = {}, QByteArray method = "GET")
{
    H1Parser parser(mode, limits);
    parser.setRequestMethod(method);
    QList<QByteArray> events;
    QByteArray pending;
    bool upgraded = false;
    auto addBody = [&](QByteArrayView b) {
        if (!events.isEmpty() && events.last().startsWith("body:"))
            events.last().append(b);
        else
            events.append("body:" + b.toByteArray());
    };
    auto handle = [&](H1Parser::Event e) {
        switch (e) {
        case H1Parser::Event::Head:
            events.append(headLine(parser, mode));
            break;
        case H1Parser::Event::Body:
            addBody(parser.body());
            break;
        case H1Parser::Event::MessageComplete: {
            QByteArray done = "done";
            for (const HeaderField &f : parser.trailers())
                done += " [" + f.name + '=' + f.value + ']';
            events.append(done + (parser.upgrade() ? " upgrade" : ""));
            break;
        }
        case H1Parser::Event::Error:
            events.append("error " + QByteArray::number(parser.errorStatus()));
            break;
        case H1Parser::Event::NeedMore:
            break;
        }
    };
    for (const QByteArray &chunk : chunks) {
        pending += chunk;
        if (upgraded)
            continue; // bytes of the new protocol, not parsed
        while (!pending.isEmpty()) {
            const auto r = parser.parse(pending.constData(), size_t(pending.size()));
            handle(r.event);
            if (r.event == H1Parser::Event::Error)
                return events.join('\n');
            // Body views point into `pending`: handled above before it changes.
            pending.remove(0, qsizetype(r.consumed));
            if (r.event == H1Parser::Event::MessageComplete && parser.upgrade()) {
                upgraded = true;
                break;
            }
            if (r.event == H1Parser::Event::NeedMore)
                break;
        }
    }
    if (upgraded)
        events.append("rest:" + pending);
    else if (eof)
        handle(parser.finish().event);
    return events.join('\n');
}

} // namespace

class tst_HttpH1 : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void requests_data();
    void requests();
    void requestsSplitAtEveryOffset_data() { requests_data(); }
    void requestsSplitAtEveryOffset();
    void responses_data();
    void responses();
    void responsesSplitAtEveryOffset_data() { responses_data(); }
    void responsesSplitAtEveryOffset();
    void limits_data();
    void limits();
    void truncatedRequestIsAnError();
    void repeatedFieldsShareBytes();
    void changedRepeatsAreNotShared();
    void headerStorageIsReused();
    void writerHeads();
    void writerChunks_data();
    void writerChunks();
    void writerOutputParsesBack();
    void writerInPlace_data();
    void writerInPlace();
    void writerChunkHeaderInPlace_data();
    void writerChunkHeaderInPlace();
};

void tst_HttpH1::requests_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("simple get") << QByteArray("GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\n")
                                << QByteArray("head GET /a?b=1 HTTP/1.1 [Host=x] none\ndone");
    QTest::newRow("value OWS trimmed (RFC 9112 §5)")
        << QByteArray("GET / HTTP/1.1\r\nHost:   x  \t\r\nA:b\r\n\r\n")
        << QByteArray("head GET / HTTP/1.1 [Host=x] [A=b] none\ndone");
    QTest::newRow("http/1.0 closes by default") << QByteArray(
        "GET / HTTP/1.0\r\n\r\n") << QByteArray("head GET / HTTP/1.0 none close\ndone");
    QTest::newRow("http/1.0 keep-alive")
        << QByteArray("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        << QByteArray("head GET / HTTP/1.0 [Connection=keep-alive] none\ndone");
    QTest::newRow("connection close")
        << QByteArray("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        << QByteArray("head GET / HTTP/1.1 [Connection=close] none close\ndone");
    QTest::newRow("content-length body")
        << QByteArray("POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello")
        << QByteArray("head POST /p HTTP/1.1 [Content-Length=5] cl:5\nbody:hello\ndone");
    QTest::newRow("content-length zero")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n")
        << QByteArray("head POST / HTTP/1.1 [Content-Length=0] cl:0\ndone");
    QTest::newRow("chunked (RFC 9112 §7.1)")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        << QByteArray("head POST / HTTP/1.1 [Transfer-Encoding=chunked] chunked\n"
                      "body:hello world\ndone");
    QTest::newRow("chunk extensions ignored (RFC 9112 §7.1.1)")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "3;name=value\r\nabc\r\n0;last\r\n\r\n")
        << QByteArray("head POST / HTTP/1.1 [Transfer-Encoding=chunked] chunked\nbody:abc\ndone");
    QTest::newRow("chunked trailers (RFC 9112 §7.1.2)")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "2\r\nab\r\n0\r\nX-Checksum: 42\r\nX-Other: y\r\n\r\n")
        << QByteArray("head POST / HTTP/1.1 [Transfer-Encoding=chunked] chunked\nbody:ab\n"
                      "done [X-Checksum=42] [X-Other=y]");
    QTest::newRow("pipelined three requests")
        << QByteArray("GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 2\r\n\r\nok"
                      "GET /3 HTTP/1.1\r\n\r\n")
        << QByteArray("head GET /1 HTTP/1.1 none\ndone\n"
                      "head POST /2 HTTP/1.1 [Content-Length=2] cl:2\nbody:ok\ndone\n"
                      "head GET /3 HTTP/1.1 none\ndone");
    QTest::newRow("websocket upgrade keeps the rest")
        << QByteArray("GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nRAW")
        << QByteArray("head GET /ws HTTP/1.1 [Connection=Upgrade] [Upgrade=websocket] none\n"
                      "done upgrade\nrest:RAW");
    // Keep-alive repeats (a field equal to the previous message's at the same position is shared):
    // whatever matches or not, and however the input is split, the values are the ones sent.
    QTest::newRow("keep-alive repeats, changed value, extra and missing fields")
        << QByteArray("GET /a HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n"
                      "GET /a HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n"
                      "GET /b HTTP/1.1\r\nHost: xy\r\nAccept: */*\r\nX: 1\r\n\r\n"
                      "GET /b HTTP/1.1\r\nhost: xy\r\n\r\n")
        << QByteArray("head GET /a HTTP/1.1 [Host=x] [Accept=*/*] none\ndone\n"
                      "head GET /a HTTP/1.1 [Host=x] [Accept=*/*] none\ndone\n"
                      "head GET /b HTTP/1.1 [Host=xy] [Accept=*/*] [X=1] none\ndone\n"
                      "head GET /b HTTP/1.1 [host=xy] none\ndone");
    QTest::newRow("keep-alive repeat grows")
        << QByteArray("GET /p HTTP/1.1\r\nA: ab\r\n\r\nGET /pq HTTP/1.1\r\nA: abc\r\n\r\n")
        << QByteArray("head GET /p HTTP/1.1 [A=ab] none\ndone\n"
                      "head GET /pq HTTP/1.1 [A=abc] none\ndone");
    QTest::newRow("keep-alive repeat shrinks")
        << QByteArray("GET /pq HTTP/1.1\r\nAb: abc\r\n\r\nGET /p HTTP/1.1\r\nA: ab\r\n\r\n")
        << QByteArray("head GET /pq HTTP/1.1 [Ab=abc] none\ndone\n"
                      "head GET /p HTTP/1.1 [A=ab] none\ndone");
    QTest::newRow("keep-alive repeat with trailing whitespace")
        << QByteArray("GET / HTTP/1.1\r\nA: ab\r\n\r\nGET / HTTP/1.1\r\nA: ab \r\n\r\n"
                      "GET / HTTP/1.1\r\nA: ab\r\n\r\n")
        << QByteArray("head GET / HTTP/1.1 [A=ab] none\ndone\nhead GET / HTTP/1.1 [A=ab] none\n"
                      "done\nhead GET / HTTP/1.1 [A=ab] none\ndone");
    QTest::newRow("keep-alive repeat then trailers")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n\r\n"
                      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 2\r\n\r\n")
        << QByteArray("head POST / HTTP/1.1 [Transfer-Encoding=chunked] chunked\ndone [T=1]\n"
                      "head POST / HTTP/1.1 [Transfer-Encoding=chunked] chunked\ndone [T=2]");
    QTest::newRow("absolute-form target")
        << QByteArray("GET http://a.b/x HTTP/1.1\r\n\r\n")
        << QByteArray("head GET http://a.b/x HTTP/1.1 none\ndone");
    QTest::newRow("smuggling: content-length and chunked (RFC 9112 §6.3)") << QByteArray(
        "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        "0\r\n\r\n") << QByteArray("error 400");
    QTest::newRow("smuggling: differing duplicate content-length")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
        << QByteArray("error 400");
    QTest::newRow("smuggling: transfer-encoding not ending in chunked") << QByteArray(
        "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nabc") << QByteArray("error 400");
    QTest::newRow("smuggling: chunked then identity")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n")
        << QByteArray("error 400");
    QTest::newRow("obs-fold rejected (RFC 9112 §5.2)")
        << QByteArray("GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n") << QByteArray("error 400");
    QTest::newRow("bad chunk size")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n")
        << QByteArray("head POST / HTTP/1.1 [Transfer-Encoding=chunked] chunked\nerror 400");
    QTest::newRow("chunk size overflow")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "fffffffffffffffff\r\n")
        << QByteArray("head POST / HTTP/1.1 [Transfer-Encoding=chunked] chunked\nerror 400");
    QTest::newRow("chunk data longer than its size")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n")
        << QByteArray("head POST / HTTP/1.1 [Transfer-Encoding=chunked] chunked\nbody:ab\n"
                      "error 400");
    QTest::newRow("negative content-length")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << QByteArray("error 400");
    QTest::newRow("space before colon")
        << QByteArray("GET / HTTP/1.1\r\nHost : x\r\n\r\n") << QByteArray("error 400");
    QTest::newRow("unknown method")
        << QByteArray("FROB / HTTP/1.1\r\n\r\n") << QByteArray("error 400");
    QTest::newRow("bad version") << QByteArray("GET / HTTP/x.1\r\n\r\n") << QByteArray("error 400");
    QTest::newRow("control character in value") << QByteArray("GET / HTTP/1.1\r\nX: a\x01"
                                                              "b\r\n\r\n")
                                                << QByteArray("error 400");
    QTest::newRow("not http at all")
        << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03") << QByteArray("error 400");
}

void tst_HttpH1::requests()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    QCOMPARE(transcript(H1Parser::Mode::Request, { input }), expected);
}

void tst_HttpH1::requestsSplitAtEveryOffset()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    for (qsizetype i = 1; i < input.size(); ++i) {
        const QByteArray got = transcript(H1Parser::Mode::Request, { input.left(i), input.mid(i) });
        if (got != expected)
            QFAIL(qPrintable(
                QStringLiteral("split at %1:\n%2").arg(i).arg(QString::fromLatin1(got))));
    }
    // Byte by byte: the worst case for a streaming parser.
    QList<QByteArray> bytes;
    for (char c : input)
        bytes.append(QByteArray(1, c));
    QCOMPARE(transcript(H1Parser::Mode::Request, bytes), expected);
}

namespace {

/// Heads of a connection's requests, kept by the caller after each Head event.
std::vector<RequestHead> parseHeads(H1Parser &parser, const QByteArray &input)
{
    std::vector<RequestHead> heads;
    size_t offset = 0;
    while (offset < size_t(input.size())) {
        const auto r = parser.parse(input.constData() + offset, size_t(input.size()) - offset);
        offset += r.consumed;
        if (r.event == H1Parser::Event::Head)
            heads.push_back(parser.request());
        if (r.event == H1Parser::Event::NeedMore || r.event == H1Parser::Event::Error)
            break;
    }
    return heads;
}

} // namespace

void tst_HttpH1::repeatedFieldsShareBytes()
{
    // The second request repeats the first byte for byte: its target, names and values are the
    // first one's bytes (shared, no allocation), not copies.
    const QByteArray one("GET /some/path HTTP/1.1\r\nHost: example.test:8080\r\n"
                         "X-Request-Kind: benchmark\r\n\r\n");
    H1Parser parser(H1Parser::Mode::Request);
    const auto heads = parseHeads(parser, one + one);
    QCOMPARE(heads.size(), size_t(2));
    QCOMPARE(heads[1].target, QByteArray("/some/path"));
    QCOMPARE(heads[1].target.constData(), heads[0].target.constData());
    QCOMPARE(heads[1].headers.size(), size_t(2));
    for (size_t i = 0; i < 2; ++i) {
        QCOMPARE(heads[1].headers.at(i).value, heads[0].headers.at(i).value);
        QCOMPARE(heads[1].headers.at(i).name.constData(), heads[0].headers.at(i).name.constData());
        QCOMPARE(
            heads[1].headers.at(i).value.constData(), heads[0].headers.at(i).value.constData());
    }
}

void tst_HttpH1::changedRepeatsAreNotShared()
{
    // A consumer that changes a shared value detaches its own copy: the parser's memory of the
    // previous head, and so the next request, are not affected.
    H1Parser parser(H1Parser::Mode::Request);
    auto heads = parseHeads(parser, "GET / HTTP/1.1\r\nX-Token: aaaa\r\n\r\n");
    QCOMPARE(heads.size(), size_t(1));
    heads[0].headers.fields()[0].value.data()[0] = 'b';
    heads = parseHeads(parser, "GET / HTTP/1.1\r\nX-Token: aaaa\r\n\r\n");
    QCOMPARE(heads.size(), size_t(1));
    QCOMPARE(heads[0].headers.value("X-Token"), QByteArray("aaaa"));
    heads = parseHeads(parser, "GET / HTTP/1.1\r\nX-Token: aaab\r\n\r\n");
    QCOMPARE(heads[0].headers.value("X-Token"), QByteArray("aaab"));
}

void tst_HttpH1::headerStorageIsReused()
{
    // The connection hands a finished request's header vector back: the next head is stored in
    // it (no allocation per keep-alive request) and reads as sent.
    H1Parser parser(H1Parser::Mode::Request);
    const QByteArray input("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    const auto head = parser.parse(input.constData(), size_t(input.size()));
    QCOMPARE(head.event, H1Parser::Event::Head);
    RequestHead taken = std::move(parser.request());
    const auto done
        = parser.parse(input.constData() + head.consumed, size_t(input.size()) - head.consumed);
    QCOMPARE(done.event, H1Parser::Event::MessageComplete);
    taken.headers.add("X-Added", "by the proxy");
    std::vector<HeaderField> storage = std::move(taken.headers.fields());
    const HeaderField *block = storage.data();
    parser.reuseHeaderStorage(std::move(storage));
    const QByteArray next("GET /n HTTP/1.1\r\nHost: b\r\nAccept: x\r\n\r\n");
    QCOMPARE(parser.parse(next.constData(), size_t(next.size())).event, H1Parser::Event::Head);
    QCOMPARE(parser.request().headers.fields().data(), block);
    QCOMPARE(parser.request().headers.size(), size_t(2));
    QCOMPARE(parser.request().headers.value("Host"), QByteArray("b"));
    QCOMPARE(parser.request().headers.value("Accept"), QByteArray("x"));
    QVERIFY(!parser.request().headers.contains("X-Added"));
}

void tst_HttpH1::responses_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("eof");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("content-length")
        << QByteArray("GET") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
        << false << QByteArray("head 200 HTTP/1.1 [Content-Length=2] cl:2\nbody:hi\ndone");
    QTest::newRow("head response has no body (RFC 9112 §6.3)")
        << QByteArray("HEAD") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n")
        << false << QByteArray("head 200 HTTP/1.1 [Content-Length=20] none\ndone");
    QTest::newRow("304 ignores content-length")
        << QByteArray("GET")
        << QByteArray("HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nHTTP/1.1 200 OK\r\n"
                      "Content-Length: 0\r\n\r\n")
        << false
        << QByteArray("head 304 HTTP/1.1 [Content-Length=5] none\ndone\n"
                      "head 200 HTTP/1.1 [Content-Length=0] cl:0\ndone");
    QTest::newRow("204 has no body")
        << QByteArray("DELETE") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << false
        << QByteArray("head 204 HTTP/1.1 none\ndone");
    QTest::newRow("100 continue then final")
        << QByteArray("POST")
        << QByteArray(
               "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 1\r\n\r\nx")
        << false
        << QByteArray("head 100 HTTP/1.1 none\ndone\nhead 201 HTTP/1.1 [Content-Length=1] cl:1\n"
                      "body:x\ndone");
    QTest::newRow("101 switches protocols")
        << QByteArray("GET")
        << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                      "Connection: Upgrade\r\n\r\nFRAME")
        << false
        << QByteArray("head 101 HTTP/1.1 [Upgrade=websocket] [Connection=Upgrade] none\n"
                      "done upgrade\nrest:FRAME");
    QTest::newRow("body until close")
        << QByteArray("GET") << QByteArray("HTTP/1.1 200 OK\r\n\r\nstream") << true
        << QByteArray("head 200 HTTP/1.1 eof close\nbody:stream\ndone");
    QTest::newRow("chunked with trailers")
        << QByteArray("GET")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "4\r\ndata\r\n0\r\nGrpc-Status: 0\r\n\r\n")
        << false
        << QByteArray("head 200 HTTP/1.1 [Transfer-Encoding=chunked] chunked\nbody:data\n"
                      "done [Grpc-Status=0]");
    QTest::newRow("custom reason phrase")
        << QByteArray("GET")
        << QByteArray("HTTP/1.1 599 Whatever Here\r\nContent-Length: 0\r\n\r\n") << false
        << QByteArray("head 599 HTTP/1.1 [Content-Length=0] cl:0\ndone");
    QTest::newRow("truncated body is an error")
        << QByteArray("GET") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        << true << QByteArray("head 200 HTTP/1.1 [Content-Length=10] cl:10\nbody:abc\nerror 400");
    QTest::newRow("keep-alive responses repeat, date changes")
        << QByteArray("GET")
        << QByteArray("HTTP/1.1 200 OK\r\nServer: s/1\r\nDate: d1\r\nContent-Length: 1\r\n\r\na"
                      "HTTP/1.1 200 OK\r\nServer: s/1\r\nDate: d2\r\nContent-Length: 1\r\n\r\nb"
                      "HTTP/1.1 404 Not Found\r\nServer: s/1\r\nContent-Length: 0\r\n\r\n")
        << false
        << QByteArray("head 200 HTTP/1.1 [Server=s/1] [Date=d1] [Content-Length=1] cl:1\nbody:a\n"
                      "done\nhead 200 HTTP/1.1 [Server=s/1] [Date=d2] [Content-Length=1] cl:1\n"
                      "body:b\ndone\nhead 404 HTTP/1.1 [Server=s/1] [Content-Length=0] cl:0\ndone");
    QTest::newRow("garbage status line")
        << QByteArray("GET") << QByteArray("HTTP/1.1 2x0 OK\r\n\r\n") << false
        << QByteArray("error 400");
}

void tst_HttpH1::responses()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, input);
    QFETCH(bool, eof);
    QFETCH(QByteArray, expected);
    QCOMPARE(transcript(H1Parser::Mode::Response, { input }, eof, {}, method), expected);
}

void tst_HttpH1::responsesSplitAtEveryOffset()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, input);
    QFETCH(bool, eof);
    QFETCH(QByteArray, expected);
    for (qsizetype i = 1; i < input.size(); ++i) {
        const QByteArray got = transcript(
            H1Parser::Mode::Response, { input.left(i), input.mid(i) }, eof, {}, method);
        if (got != expected)
            QFAIL(qPrintable(
                QStringLiteral("split at %1:\n%2").arg(i).arg(QString::fromLatin1(got))));
    }
}

void tst_HttpH1::limits_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("chunkSize");
    QTest::addColumn<QByteArray>("expected");
    const QByteArray big(3000, 'a');
    QTest::newRow("header section over the limit -> 431")
        << QByteArray("GET / HTTP/1.1\r\nX-Big: " + big + "\r\n\r\n") << 100000
        << QByteArray("error 431");
    QTest::newRow("header section over the limit, trickled -> 431") << QByteArray(
        "GET / HTTP/1.1\r\nX-Big: " + big + "\r\n\r\n") << 7 << QByteArray("error 431");
    QTest::newRow("many small headers -> 431")
        << QByteArray("GET / HTTP/1.1\r\n" + QByteArray("A: b\r\n").repeated(400) + "\r\n")
        << 100000 << QByteArray("error 431");
    QTest::newRow("long uri -> 414")
        << QByteArray("GET /" + QByteArray(1500, 'u') + " HTTP/1.1\r\n\r\n") << 100000
        << QByteArray("error 414");
    QTest::newRow("long uri trickled -> 414")
        << QByteArray("GET /" + QByteArray(1500, 'u') + " HTTP/1.1\r\n\r\n") << 3
        << QByteArray("error 414");
    QTest::newRow("just under the limits")
        << QByteArray("GET /" + QByteArray(900, 'u') + " HTTP/1.1\r\nX: " + QByteArray(1000, 'v')
               + "\r\n\r\n")
        << 100000
        << QByteArray("head GET /" + QByteArray(900, 'u') + " HTTP/1.1 [X=" + QByteArray(1000, 'v')
               + "] none\ndone");
    QTest::newRow("oversize trailers -> 431")
        << QByteArray(
               "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: " + big + "\r\n\r\n")
        << 100000
        << QByteArray("head POST / HTTP/1.1 [Transfer-Encoding=chunked] chunked\nerror 431");
}

void tst_HttpH1::limits()
{
    QFETCH(QByteArray, input);
    QFETCH(int, chunkSize);
    QFETCH(QByteArray, expected);
    QList<QByteArray> chunks;
    for (qsizetype i = 0; i < input.size(); i += chunkSize)
        chunks.append(input.mid(i, chunkSize));
    H1Limits limits;
    limits.maxHeaderBytes = 2048;
    limits.maxUriBytes = 1024;
    QCOMPARE(transcript(H1Parser::Mode::Request, chunks, false, limits), expected);
}

void tst_HttpH1::truncatedRequestIsAnError()
{
    QCOMPARE(transcript(H1Parser::Mode::Request, { "GET / HTTP/1.1\r\nHo" }, true),
        QByteArray("error 400"));
    QCOMPARE(transcript(H1Parser::Mode::Request, { "GET / HTTP/1.1\r\n\r\n" }, true),
        QByteArray("head GET / HTTP/1.1 none\ndone"));
}

void tst_HttpH1::writerHeads()
{
    RequestHead req;
    req.method = "POST";
    req.target = "/x?y";
    req.headers.add("Host", "a");
    req.headers.add("Content-Length", "3");
    QByteArray out;
    h1::writeRequestHead(out, req);
    QCOMPARE(out, QByteArray("POST /x?y HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\n"));

    ResponseHead resp;
    resp.status = 404;
    resp.headers.add("Content-Type", "text/plain");
    out.clear();
    h1::writeResponseHead(out, resp);
    QCOMPARE(out, QByteArray("HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\n"));

    resp.status = 299;
    resp.reason = "Fine";
    resp.version = { 1, 0 };
    resp.headers.clear();
    out.clear();
    h1::writeResponseHead(out, resp);
    QCOMPARE(out, QByteArray("HTTP/1.0 299 Fine\r\n\r\n"));

    ResponseHead gone;
    gone.status = 502;
    QCOMPARE(h1::serializeResponse(gone, "Bad Gateway"),
        QByteArray("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 11\r\n\r\nBad Gateway"));
}

void tst_HttpH1::writerChunks_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("small") << QByteArray("hello") << QByteArray("5\r\nhello\r\n");
    QTest::newRow("hex size") << QByteArray(26, 'z')
                              << QByteArray("1a\r\n" + QByteArray(26, 'z') + "\r\n");
    QTest::newRow("4096") << QByteArray(4096, 'q')
                          << QByteArray("1000\r\n" + QByteArray(4096, 'q') + "\r\n");
    QTest::newRow("empty writes nothing") << QByteArray() << QByteArray();
}

void tst_HttpH1::writerChunks()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, expected);
    QByteArray out;
    h1::writeChunk(out, data);
    QCOMPARE(out, expected);
}

void tst_HttpH1::writerOutputParsesBack()
{
    ResponseHead resp;
    resp.headers.add("Transfer-Encoding", "chunked");
    QByteArray wire;
    h1::writeResponseHead(wire, resp);
    h1::writeChunk(wire, "abc");
    h1::writeChunk(wire, QByteArray(300, 'd'));
    HeaderList trailers;
    trailers.add("X-Sum", "9");
    h1::writeLastChunk(wire, trailers);
    QCOMPARE(transcript(H1Parser::Mode::Response, { wire }),
        QByteArray("head 200 HTTP/1.1 [Transfer-Encoding=chunked] chunked\nbody:abc"
            + QByteArray(300, 'd') + "\ndone [X-Sum=9]"));
}

void tst_HttpH1::writerInPlace_data()
{
    QTest::addColumn<bool>("isRequest");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("request with fields") << true
                                         << QByteArray("GET /a?b HTTP/1.1\r\nHost: h\r\n"
                                                       "X-Forwarded-For: 1.2.3.4\r\n\r\n");
    QTest::newRow("request, empty target is /") << true << QByteArray("GET / HTTP/1.1\r\n\r\n");
    QTest::newRow("response, standard reason")
        << false << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n");
    QTest::newRow("response, own reason, 1.0") << false << QByteArray("HTTP/1.0 599 Odd\r\n\r\n");
    QTest::newRow("response, unknown status")
        << false << QByteArray("HTTP/1.1 299 Unknown\r\n\r\n");
}

/// The in-place writers the proxy serialises into its send queue with: exactly the announced
/// size, the same bytes as the QByteArray overloads, nothing written past the end.
void tst_HttpH1::writerInPlace()
{
    QFETCH(bool, isRequest);
    QFETCH(QByteArray, expected);
    QByteArray viaArray;
    QByteArray buffer(512, '#');
    qsizetype size = 0;
    char *end = nullptr;
    if (isRequest) {
        RequestHead req;
        req.method = "GET";
        req.target = expected.contains("/a?b") ? QByteArray("/a?b") : QByteArray();
        if (expected.contains("Host")) {
            req.headers.add("Host", "h");
            req.headers.add("X-Forwarded-For", "1.2.3.4");
        }
        h1::writeRequestHead(viaArray, req);
        size = h1::requestHeadSize(req);
        end = h1::writeRequestHead(buffer.data(), req);
    } else {
        ResponseHead resp;
        resp.status = expected.contains("200") ? 200 : expected.contains("599") ? 599 : 299;
        resp.reason = resp.status == 599 ? QByteArray("Odd") : QByteArray();
        resp.version = { 1, resp.status == 599 ? 0 : 1 };
        if (resp.status == 200)
            resp.headers.add("Content-Length", "2");
        h1::writeResponseHead(viaArray, resp);
        size = h1::responseHeadSize(resp);
        end = h1::writeResponseHead(buffer.data(), resp);
    }
    QCOMPARE(viaArray, expected);
    QCOMPARE(size, expected.size());
    QCOMPARE(end - buffer.constData(), size);
    QCOMPARE(buffer.left(size), expected);
    QCOMPARE(buffer.at(size), '#');
}

void tst_HttpH1::writerChunkHeaderInPlace_data()
{
    QTest::addColumn<qint64>("size");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("zero") << qint64(0) << QByteArray("0\r\n");
    QTest::newRow("one digit") << qint64(15) << QByteArray("f\r\n");
    QTest::newRow("two digits") << qint64(16) << QByteArray("10\r\n");
    QTest::newRow("4 GiB") << (qint64(1) << 32) << QByteArray("100000000\r\n");
    QTest::newRow("largest") << std::numeric_limits<qint64>::max()
                             << QByteArray("7fffffffffffffff\r\n");
}

void tst_HttpH1::writerChunkHeaderInPlace()
{
    QFETCH(qint64, size);
    QFETCH(QByteArray, expected);
    char buffer[h1::kMaxChunkHeader + 1];
    buffer[h1::kMaxChunkHeader] = '#';
    const qsizetype n = h1::writeChunkHeader(buffer, size);
    QCOMPARE(QByteArray(buffer, n), expected);
    QCOMPARE(buffer[h1::kMaxChunkHeader], '#');
    QByteArray viaArray;
    h1::writeChunkHeader(viaArray, size);
    QCOMPARE(viaArray, expected);
}

QTEST_APPLESS_MAIN(tst_HttpH1)
#include "tst_http_h1.moc"
