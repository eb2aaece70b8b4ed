// What the capture ring costs in real memory: the allocator model, packed records, and a hub
// filled with a realistic mix compared with the process heap (glibc's mallinfo2).
#include "core/http/h1_parser.h"
#include "core/observe/capture_tap.h"
#include "core/observe/heap_cost.h"
#include "tests/observe_capture/tst_observe_capture.h"

#include <QRandomGenerator>

// glibc's allocator is what the heap model describes; AddressSanitizer replaces it.
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define PORTICO_GLIBC_MALLOC 1
#include <malloc.h>
#endif

using namespace portico;
using observe::ExchangeRecord;
using observe::RecordPtr;

namespace {

http::RequestHead parseRequest(const QByteArray &bytes)
{
    http::H1Parser parser(http::H1Parser::Mode::Request);
    const auto result = parser.parse(bytes.constData(), size_t(bytes.size()));
    Q_ASSERT(result.event == http::H1Parser::Event::Head);
    return parser.request();
}

http::ResponseHead parseResponse(const QByteArray &bytes)
{
    http::H1Parser parser(http::H1Parser::Mode::Response);
    parser.setRequestMethod("GET");
    const auto result = parser.parse(bytes.constData(), size_t(bytes.size()));
    Q_ASSERT(result.event == http::H1Parser::Event::Head);
    return parser.response();
}

QByteArray randomText(QRandomGenerator &random, int size)
{
    QByteArray text(size, Qt::Uninitialized);
    for (char &c : text)
        c = char('a' + random.bounded(26));
    return text;
}

/// A WebSocket frame (RFC 6455 §5.2) of one message; client frames are masked.
QByteArray wsFrame(const QByteArray &payload, bool fromClient)
{
    QByteArray frame;
    frame.append(char(0x81));
    const char mask = fromClient ? char(0x80) : char(0);
    if (payload.size() < 126) {
        frame.append(char(mask | char(payload.size())));
    } else {
        frame.append(char(mask | 126));
        frame.append(char(payload.size() >> 8)).append(char(payload.size() & 0xff));
    }
    if (!fromClient)
        return frame + payload;
    const char key[4] = { 1, 2, 3, 4 };
    frame.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ key[i & 3]));
    return frame;
}

enum class Kind { Small, Medium, Large, Upload, ManyHeaders, WebSocket, Sse };

/// `smallOnly`: API calls without large downloads or streams.
Kind kindOf(int i, bool smallOnly)
{
    static const Kind mix[] = { Kind::Small, Kind::Small, Kind::Small, Kind::Medium, Kind::Small,
        Kind::ManyHeaders, Kind::Small, Kind::Upload, Kind::Small, Kind::Medium, Kind::Small,
        Kind::Large, Kind::Small, Kind::Small, Kind::WebSocket, Kind::Small, Kind::Medium,
        Kind::Small, Kind::Sse, Kind::Small };
    const Kind kind = mix[i % std::size(mix)];
    return smallOnly && (kind == Kind::Large || kind == Kind::WebSocket || kind == Kind::Sse)
        ? Kind::Small
        : kind;
}

/// Strings a running proxy shares between exchanges (routing table, connection).
struct Shared
{
    QString entryPoint = QStringLiteral("web");
    QString router = QStringLiteral("api@file");
    QString service = QStringLiteral("backend@file");
    QString serverUrl = QStringLiteral("http://127.0.0.1:8080");
    QStringList middlewares { QStringLiteral("headers@file") };
    QByteArray peer = "127.0.0.1";
};

/// One exchange through a CaptureTap the way the proxy drives it, heads parsed from wire bytes.
void runExchange(observe::CaptureHub &hub, const Shared &shared, QRandomGenerator &random, int i,
    bool smallOnly = false)
{
    const Kind kind = kindOf(i, smallOnly);
    QByteArray request = (kind == Kind::Upload ? "POST" : "GET") + QByteArray(" /api/items/")
        + QByteArray::number(i) + "?page=" + QByteArray::number(i % 7) + " HTTP/1.1\r\n"
        + "Host: app" + QByteArray::number(i % 5) + ".test\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
        + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
        + "Accept-Language: en-GB,en;q=0.5\r\nAccept-Encoding: gzip, deflate, br\r\n"
        + "Cookie: session=" + randomText(random, 40) + "\r\n";
    if (kind == Kind::ManyHeaders) {
        for (int h = 0; h < 40; ++h)
            request += "X-Trace-" + QByteArray::number(h) + ": " + randomText(random, 30) + "\r\n";
    }
    if (kind == Kind::WebSocket)
        request += "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    if (kind == Kind::Upload)
        request += "Content-Type: application/json\r\nContent-Length: 1500\r\n";
    http::RequestHead head = parseRequest(request + "\r\n");

    observe::CaptureTap tap;
    observe::ConnectionFacts facts;
    facts.clientPort = quint16(40000 + i % 1000);
    tap.begin(hub, facts, shared.entryPoint, false, shared.peer, head);
    tap.host("app" + QByteArray::number(i % 5) + ".test");
    tap.routed(shared.router, shared.service, shared.middlewares);
    tap.serverChosen(shared.serverUrl);
    http::RequestHead forwarded = head;
    forwarded.headers.set(QByteArrayLiteral("X-Forwarded-For"), shared.peer);
    forwarded.headers.set(QByteArrayLiteral("X-Forwarded-Host"), head.headers.value("Host"));
    forwarded.headers.set(QByteArrayLiteral("X-Forwarded-Port"), QByteArray::number(80));
    forwarded.headers.set(QByteArrayLiteral("X-Forwarded-Proto"), QByteArrayLiteral("http"));
    forwarded.headers.set(QByteArrayLiteral("X-Forwarded-Server"), QByteArray("portico-host"));
    forwarded.headers.set(QByteArrayLiteral("X-Real-Ip"), shared.peer);
    tap.forwarded(forwarded);
    tap.upstreamConnecting(true, false);
    tap.upstreamConnected();
    if (kind == Kind::Upload) {
        const QByteArray upload = randomText(random, 1500);
        tap.requestBody(QByteArrayView(upload).first(700));
        tap.requestBody(QByteArrayView(upload).sliced(700));
    }

    const int bodySize = kind == Kind::Large ? 64 * 1024 + random.bounded(160 * 1024)
        : kind == Kind::Medium               ? 2000 + random.bounded(6000)
                                             : 100 + random.bounded(600);
    QByteArray response = kind == Kind::WebSocket
        ? QByteArray("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                     "Upgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n")
        : "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sun, 29 Nov 2026 23:40:0"
            + QByteArray::number(i % 10) + " GMT\r\nContent-Type: "
            + (kind == Kind::Sse ? "text/event-stream" : "application/json")
            + "\r\nContent-Length: " + QByteArray::number(bodySize) + "\r\nETag: \""
            + randomText(random, 16) + "\"\r\nCache-Control: no-cache\r\nVary: Accept-Encoding\r\n";
    const http::ResponseHead origin = parseResponse(response + "\r\n");
    tap.originHead(origin);
    http::ResponseHead sent = origin;
    sent.headers.set(QByteArrayLiteral("X-Frame-Options"), QByteArrayLiteral("DENY"));
    tap.responseSent(sent);

    if (kind == Kind::WebSocket) {
        for (int m = 0; m < 60; ++m) {
            const QByteArray payload = randomText(random, 20 + random.bounded(2000));
            if (m % 2 == 0)
                tap.requestBody(wsFrame(payload, true));
            else
                tap.responseBody(wsFrame(payload, false));
        }
    } else if (kind == Kind::Sse) {
        for (int e = 0; e < 80; ++e)
            tap.responseBody(
                "id: " + QByteArray::number(e) + "\ndata: " + randomText(random, 60) + "\n\n");
    } else {
        const QByteArray body = randomText(random, bodySize);
        for (qsizetype at = 0; at < body.size(); at += 16 * 1024)
            tap.responseBody(QByteArrayView(body).sliced(at).first(
                std::min<qsizetype>(16 * 1024, body.size() - at)));
    }
    tap.originComplete();
    tap.finish(observe::RecordState::Complete);
}

/// Bytes the process's allocator has handed out and not taken back (every arena, and mmaps).
qint64 heapInUse()
{
#ifdef PORTICO_GLIBC_MALLOC
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks) + qint64(info.hblkhd);
#else
    return -1;
#endif
}

/// The usable bytes of a heap block (glibc), or -1.
qint64 usableSize(const void *block)
{
#ifdef PORTICO_GLIBC_MALLOC
    return qint64(malloc_usable_size(const_cast<void *>(block)));
#else
    Q_UNUSED(block);
    return -1;
#endif
}

/// What byteCost() counted before it was made honest: payload sizes, fixed struct sizes.
qint64 payloadBytes(const ExchangeRecord &r)
{
    qint64 bytes = qint64(sizeof(ExchangeRecord)) + r.target.size() + r.forwardedTarget.size()
        + r.requestBody.data.size() + r.responseBody.data.size();
    for (const HeaderList *headers : { &r.requestHeaders, &r.forwardedRequestHeaders,
             &r.originResponseHeaders, &r.responseHeaders }) {
        for (const auto &field : *headers)
            bytes += field.name.size() + field.value.size() + 2 * qint64(sizeof(QByteArray));
    }
    for (const auto &message : r.messages)
        bytes += qint64(sizeof(observe::MessageRecord)) + message.data.size();
    return bytes;
}

} // namespace

void tst_ObserveCapture::heapChunkModel_data()
{
    QTest::addColumn<int>("size");
    for (int size : { 1, 6, 7, 22, 23, 100, 1000, 4090, 70000, 200000, 1 << 20 })
        QTest::addRow("%d bytes", size) << size;
}

/// The model agrees with the allocator for the blocks records are made of: the chunk is the
/// usable size plus malloc's size word; a block glibc mapped instead (128 KiB or more, before
/// its threshold rose) is page-rounded, which the model leaves out.
void tst_ObserveCapture::heapChunkModel()
{
    QFETCH(int, size);
    const auto agrees = [size](qint64 model, const void *block) {
        const qint64 usable = usableSize(block);
        const bool ok = model == usable + 8 || (size >= 128 * 1024 && qAbs(model - usable) <= 4096);
        if (!ok)
            qWarning("model %lld usable %lld", model, usable);
        return ok;
    };
    const QByteArray array(size, 'x');
    QVERIFY(observe::heap::blockOf(array));
    if (usableSize(observe::heap::blockOf(array)) < 0)
        QSKIP("needs glibc's malloc_usable_size");
    QVERIFY(agrees(observe::heap::blockBytes(array), observe::heap::blockOf(array)));
    const QString text(size, QLatin1Char('x'));
    QVERIFY(agrees(observe::heap::blockBytes(text), observe::heap::blockOf(text)));
    QCOMPARE(observe::heap::blockBytes(QByteArrayLiteral("literal")), qint64(0));
    QCOMPARE(observe::heap::blockBytes(QByteArray::fromRawData("raw", 3)), qint64(0));
}

/// Copies of header lists share their names and values with the original (as the proxy's
/// forwarded head and response as sent do): those blocks count once, what a copy changed or
/// added counts for it, and a record's cost covers every block it holds.
void tst_ObserveCapture::byteCostCountsSharedBlocksOnce()
{
    observe::CaptureHub hub;
    Shared shared;
    QRandomGenerator random(7);
    RecordPtr captured;
    QObject::connect(&hub, &observe::CaptureHub::exchangesFinished, &hub,
        [&](const observe::RecordBatch &batch) { captured = batch.back(); });
    runExchange(hub, shared, random, 5); // many headers
    QTRY_VERIFY(captured);
    const ExchangeRecord &r = *captured;
    QVERIFY(r.forwardedRequestHeaders.size() > r.requestHeaders.size());
    QVERIFY(observe::heap::sameBlock(
        r.forwardedRequestHeaders.at(5).value, r.requestHeaders.at(5).value));

    ExchangeRecord withoutCopies = r;
    withoutCopies.forwardedRequestHeaders = HeaderList();
    withoutCopies.responseHeaders = HeaderList();
    qint64 copies = 0; // what the copies add: their vectors and the fields they made or changed
    for (const auto &[copy, from] : { std::pair { &r.forwardedRequestHeaders, &r.requestHeaders },
             std::pair { &r.responseHeaders, &r.originResponseHeaders } }) {
        copies += observe::heap::chunk(qint64(copy->size() * sizeof(HeaderField)));
        for (size_t i = 0; i < copy->size(); ++i) {
            for (const auto &[a, b] :
                { std::pair { &copy->at(i).name, i < from->size() ? &from->at(i).name : nullptr },
                    std::pair {
                        &copy->at(i).value, i < from->size() ? &from->at(i).value : nullptr } }) {
                if (!b || !observe::heap::sameBlock(*a, *b))
                    copies += observe::heap::blockBytes(*a);
            }
        }
    }
    QCOMPARE(r.byteCost(), withoutCopies.byteCost() + copies);
    QVERIFY(copies < withoutCopies.byteCost() / 2);

    // Every block the record holds, by capacity: a body that grew costs its whole block.
    ExchangeRecord grown = withoutCopies;
    grown.responseBody.data = QByteArray();
    const qint64 bare = grown.byteCost();
    for (int i = 0; i < 100; ++i)
        grown.responseBody.data.append(QByteArray(1000, 'g'));
    QVERIFY(grown.responseBody.data.capacity() > grown.responseBody.data.size());
    QCOMPARE(grown.byteCost() - bare,
        observe::heap::chunk(observe::heap::kArrayHeader + grown.responseBody.data.capacity()));
    QCOMPARE(grown.bodyCost(), grown.byteCost() - bare);
}

void tst_ObserveCapture::budgetHoldsInRealMemory_data()
{
    QTest::addColumn<bool>("smallOnly");
    QTest::newRow("web traffic with downloads and streams") << false;
    QTest::newRow("small API calls") << true;
}

/// The budget holds in real memory: a hub filled with a realistic mix (small and large bodies,
/// uploads, many headers, WebSocket messages, SSE events; or only small API calls) until it
/// evicts costs the heap what it says it costs, within 15 %. (Counting payload bytes was 1.21x
/// too low with downloads and streams, 1.11x with small calls.)
void tst_ObserveCapture::budgetHoldsInRealMemory()
{
    QFETCH(bool, smallOnly);
    if (heapInUse() < 0)
        QSKIP("needs glibc's mallinfo2");
    constexpr qint64 kBudget = qint64(24) << 20;
    observe::CaptureSettings settings;
    settings.budgetBytes = kBudget;
    observe::CaptureHub hub(settings);
    Shared shared;
    QRandomGenerator random(42);
    size_t finished = 0;
    QObject::connect(&hub, &observe::CaptureHub::exchangesFinished, &hub,
        [&](const observe::RecordBatch &batch) { finished += batch.size(); });
    int sent = 0;
    // Warm-up: what the first exchanges allocate for good (thread-locals, Qt's tables).
    for (; sent < 40; ++sent)
        runExchange(hub, shared, random, sent, smallOnly);
    QTRY_COMPARE(finished, size_t(sent));
    hub.clear();
    const qint64 before = heapInUse();
    qint64 accountedMax = 0;
    int evictingSince = -1;
    while (evictingSince < 0 || sent < evictingSince + 3000) {
        for (int n = 0; n < 500; ++n, ++sent)
            runExchange(hub, shared, random, sent, smallOnly);
        QTRY_COMPARE(finished, size_t(sent)); // delivered: no batch holds records any more
        accountedMax = std::max(accountedMax, hub.bytesUsed());
        if (evictingSince < 0 && hub.records({}, 0, 1000000).back()->id > 40 + 1)
            evictingSince = sent;
        QVERIFY(sent < 200000);
    }
    const qint64 accounted = hub.bytesUsed();
    const qint64 real = heapInUse() - before;
    qint64 payload = 0;
    for (const RecordPtr &record : hub.records({}, 0, 1000000))
        payload += payloadBytes(*record);
    const QString numbers = QStringLiteral("%1 records: heap %2 KiB, accounted %3 KiB (%4), "
                                           "payload counting %5 KiB (%6)")
                                .arg(hub.count())
                                .arg(real >> 10)
                                .arg(accounted >> 10)
                                .arg(double(real) / double(accounted), 0, 'f', 3)
                                .arg(payload >> 10)
                                .arg(double(real) / double(payload), 0, 'f', 3);
    qInfo().noquote() << numbers;
    QVERIFY(accountedMax <= kBudget);
    QVERIFY2(accounted > kBudget * 3 / 4, qPrintable(numbers)); // it is full
    QVERIFY2(real >= accounted * 85 / 100 && real <= accounted * 115 / 100, qPrintable(numbers));
}
