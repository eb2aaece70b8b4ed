// The hub, the message parsers, body decoding and the config section, without a proxy.
#include "core/config/loader.h"
#include "core/observe/body_decoding.h"
#include "core/observe/stream_messages.h"
#include "tests/observe_capture/tst_observe_capture.h"

#include <QSignalSpy>

#include <brotli/encode.h>
#include <map>
#include <zlib.h>

using namespace portico;
using observe::ExchangeRecord;
using observe::RecordPtr;

namespace {

RecordPtr makeRecord(quint64 id, const QByteArray &host, qint64 bodyBytes = 0,
    observe::RecordState state = observe::RecordState::Complete)
{
    auto r = std::make_shared<ExchangeRecord>();
    r->id = id;
    r->host = host;
    r->state = state;
    r->status = 200;
    r->target = "/item/" + QByteArray::number(id);
    r->responseBody.data = QByteArray(bodyBytes, 'r');
    r->responseBody.size = bodyBytes;
    return r;
}

/// zlib's deflate with `windowBits` (31: gzip, 15: zlib, -15: raw).
QByteArray zCompress(const QByteArray &data, int windowBits)
{
    z_stream z {};
    deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&z, uLong(data.size()))) + 32, Qt::Uninitialized);
    z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    z.avail_in = uInt(data.size());
    z.next_out = reinterpret_cast<Bytef *>(out.data());
    z.avail_out = uInt(out.size());
    deflate(&z, Z_FINISH);
    out.resize(qsizetype(z.total_out));
    deflateEnd(&z);
    return out;
}

QByteArray brotli(const QByteArray &data)
{
    size_t size = BrotliEncoderMaxCompressedSize(size_t(data.size()));
    QByteArray out(qsizetype(size), Qt::Uninitialized);
    BrotliEncoderCompress(BROTLI_DEFAULT_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC,
        size_t(data.size()), reinterpret_cast<const uint8_t *>(data.constData()), &size,
        reinterpret_cast<uint8_t *>(out.data()));
    out.resize(qsizetype(size));
    return out;
}

/// A WebSocket frame with any length encoding (RFC 6455 §5.2).
QByteArray wsFrame(bool fin, int opcode, const QByteArray &payload, bool masked = true)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | opcode));
    const int mask = masked ? 0x80 : 0;
    const qint64 n = payload.size();
    if (n < 126) {
        out.append(char(mask | int(n)));
    } else if (n < 65536) {
        out.append(char(mask | 126));
        for (int shift = 8; shift >= 0; shift -= 8)
            out.append(char((n >> shift) & 0xff));
    } else {
        out.append(char(mask | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((n >> shift) & 0xff));
    }
    if (!masked)
        return out + payload;
    const char key[4] = { 0x0a, 0x5b, 0x7c, 0x1d };
    out.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ key[i % 4]));
    return out;
}

/// `opcode:data` (with `+` when truncated) for each message, fed whole or byte by byte.
template <typename Parser>
QByteArrayList parseAll(const QByteArray &input, int cap, bool byteByByte)
{
    Parser parser(cap);
    QByteArrayList out;
    const observe::MessageSink sink = [&](observe::ParsedMessage &&m) {
        out << QByteArray::number(m.opcode) + ':' + m.data + (m.truncated ? "+" : "");
    };
    if (!byteByByte) {
        parser.feed(input, sink);
        return out;
    }
    for (qsizetype i = 0; i < input.size(); ++i)
        parser.feed(QByteArrayView(input).sliced(i, 1), sink);
    return out;
}

} // namespace

void tst_ObserveCapture::hubReplacesUpdatesById()
{
    observe::CaptureHub hub;
    QSignalSpy published(&hub, &observe::CaptureHub::recordsPublished);
    QSignalSpy finished(&hub, &observe::CaptureHub::exchangesFinished);
    hub.publish(makeRecord(5, "a.test", 10, observe::RecordState::InProgress));
    const RecordPtr done = makeRecord(5, "a.test", 30);
    hub.publish(done);
    QCOMPARE(hub.count(), size_t(1));
    QCOMPARE(hub.record(5), done);
    QCOMPARE(hub.bytesUsed(), done->byteCost() + observe::CaptureHub::kSlotBytes);
    QVERIFY(!hub.record(6));
    QVERIFY(published.wait(2000));
    QCOMPARE(published.size(), 1); // one batch with both versions
    QCOMPARE(published.front().front().value<observe::RecordBatch>().size(), size_t(2));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.front().front().value<observe::RecordBatch>().size(), size_t(1));

    QSignalSpy cleared(&hub, &observe::CaptureHub::cleared);
    hub.clear();
    QCOMPARE(cleared.size(), 1);
    QCOMPARE(hub.count(), size_t(0));
    QCOMPARE(hub.bytesUsed(), qint64(0));

    hub.seedIds(100);
    QCOMPARE(hub.nextId(), quint64(101));
    hub.seedIds(50); // never back
    QCOMPARE(hub.nextId(), quint64(102));
}

void tst_ObserveCapture::hubEvictsBodiesFirst()
{
    constexpr qint64 kBudget = qint64(1) << 20;
    observe::CaptureSettings settings;
    settings.budgetBytes = kBudget;
    observe::CaptureHub hub(settings);
    for (quint64 id = 1; id <= 2000; ++id) {
        hub.publish(makeRecord(id, "flood.test", 100 * 1024));
        QVERIFY2(hub.bytesUsed() <= kBudget, qPrintable(QString::number(id)));
    }
    const auto kept = hub.records({}, 0, 5000);
    QCOMPARE(kept.size(), hub.count());
    QVERIFY2(kept.size() > 100, qPrintable(QString::number(kept.size())));
    QVERIFY(kept.back()->id > 1); // whole records went too, oldest first
    QCOMPARE(kept.front()->id, quint64(2000));
    QCOMPARE(kept.front()->responseBody.data.size(), 100 * 1024);
    QVERIFY(kept.back()->responseBody.evicted);
    QCOMPARE(kept.back()->responseBody.size, qint64(100 * 1024));
    // Ids stay ordered and contiguous at the new end.
    for (size_t i = 1; i < kept.size(); ++i)
        QCOMPARE(kept[i]->id + 1, kept[i - 1]->id);

    // A smaller budget applies at once.
    settings.budgetBytes = 64 * 1024;
    hub.setSettings(settings);
    QVERIFY(hub.bytesUsed() <= settings.budgetBytes);
}

/// A body of a few KiB travels with its record: stripping it would copy the whole record to free
/// little, so under a flood of small exchanges whole records go, oldest first (bodies of this
/// size outweigh the metadata, which would otherwise make them go first).
void tst_ObserveCapture::hubKeepsSmallBodiesWithTheirRecord()
{
    observe::CaptureSettings settings;
    settings.budgetBytes = 256 * 1024;
    observe::CaptureHub hub(settings);
    for (quint64 id = 1; id <= 5000; ++id)
        hub.publish(makeRecord(id, "small.test", 2048));
    QVERIFY(hub.bytesUsed() <= settings.budgetBytes);
    const auto kept = hub.records({}, 0, 5000);
    QVERIFY2(kept.size() > 10 && kept.size() < 5000, qPrintable(QString::number(kept.size())));
    for (const RecordPtr &record : kept) {
        QVERIFY2(!record->responseBody.evicted, qPrintable(QString::number(record->id)));
        QCOMPARE(record->responseBody.data.size(), 2048);
    }
    QCOMPARE(kept.back()->id, quint64(5000 - kept.size() + 1)); // contiguous: oldest went first
}

void tst_ObserveCapture::hubBatchesDelivery()
{
    observe::CaptureHub hub;
    QSignalSpy published(&hub, &observe::CaptureHub::recordsPublished);
    std::thread engine([&] {
        for (quint64 id = 1; id <= 100; ++id)
            hub.publish(makeRecord(id, "t"));
    });
    engine.join();
    QVERIFY(published.wait(2000));
    QCoreApplication::processEvents();
    QCOMPARE(published.size(), 1); // one queued delivery for the whole burst
    QCOMPARE(published.front().front().value<observe::RecordBatch>().size(), size_t(100));
}

void tst_ObserveCapture::hubRecordsFilterAndPaging()
{
    observe::CaptureHub hub;
    for (quint64 id = 1; id <= 10; ++id)
        hub.publish(makeRecord(id, id % 2 ? "odd.test" : "even.test"));
    observe::RecordFilter filter;
    filter.host = QStringLiteral("odd");
    const auto odd = hub.records(filter);
    QCOMPARE(odd.size(), size_t(5));
    QCOMPARE(odd.front()->id, quint64(9)); // newest first
    const auto page = hub.records(filter, 7, 2);
    QCOMPARE(page.size(), size_t(2));
    QCOMPARE(page[0]->id, quint64(5));
    QCOMPARE(page[1]->id, quint64(3));
    QCOMPARE(hub.records({}, 0, 3).size(), size_t(3));
    QCOMPARE(hub.records({}, 1).size(), size_t(0));
}

void tst_ObserveCapture::hubKeepsOrderAndBytesOutOfOrder_data()
{
    QTest::addColumn<QList<quint64>>("ids"); // published in this order (a repeat: an update)
    QTest::addColumn<QList<quint64>>("kept"); // newest first
    QTest::newRow("in order") << QList<quint64> { 1, 2, 3 } << QList<quint64> { 3, 2, 1 };
    QTest::newRow("late older id goes in the middle")
        << QList<quint64> { 1, 3, 2 } << QList<quint64> { 3, 2, 1 };
    QTest::newRow("older than every id")
        << QList<quint64> { 5, 6, 1 } << QList<quint64> { 6, 5, 1 };
    QTest::newRow("update of the middle record")
        << QList<quint64> { 1, 2, 3, 2 } << QList<quint64> { 3, 2, 1 };
    QTest::newRow("update of the oldest record")
        << QList<quint64> { 1, 2, 3, 1, 1 } << QList<quint64> { 3, 2, 1 };
}

/// The ring's bookkeeping (ids and costs kept beside each record) matches the records.
void tst_ObserveCapture::hubKeepsOrderAndBytesOutOfOrder()
{
    QFETCH(QList<quint64>, ids);
    QFETCH(QList<quint64>, kept);
    observe::CaptureHub hub;
    std::map<quint64, RecordPtr> latest;
    qint64 body = 10;
    for (quint64 id : ids) {
        RecordPtr r = makeRecord(id, "order.test", body += 7); // each version a different size
        latest[id] = r;
        hub.publish(r);
    }
    QList<quint64> got;
    qint64 bytes = 0;
    for (const RecordPtr &r : hub.records({}, 0, 100)) {
        got << r->id;
        QCOMPARE(r, latest[r->id]); // the newest version of each id
        bytes += r->byteCost() + observe::CaptureHub::kSlotBytes;
    }
    QCOMPARE(got, kept);
    QCOMPARE(hub.bytesUsed(), bytes);
    QCOMPARE(hub.record(kept.back()), latest[kept.back()]);
}

/// Engines hold a settings reference for an exchange's life: a change must not free it.
void tst_ObserveCapture::hubSettingsReferencesStayValid()
{
    observe::CaptureSettings first;
    first.bodyCap = 111;
    observe::CaptureHub hub(first);
    const observe::CaptureSettings &held = hub.currentSettings();
    const auto snapshot = hub.settings();
    QSignalSpy changed(&hub, &observe::CaptureHub::settingsChanged);
    for (int i = 1; i <= 3; ++i) {
        observe::CaptureSettings next = *hub.settings();
        next.bodyCap = 111 + i;
        hub.setSettings(next);
        QCOMPARE(hub.currentSettings().bodyCap, qint64(111 + i));
        QCOMPARE(hub.settings()->bodyCap, qint64(111 + i));
    }
    QCOMPARE(changed.size(), 3);
    QCOMPARE(held.bodyCap, qint64(111));
    QCOMPARE(snapshot->bodyCap, qint64(111));
    hub.setPaused(true);
    QVERIFY(hub.currentSettings().paused);
    QCOMPARE(hub.currentSettings().bodyCap, qint64(114)); // the rest kept
}

void tst_ObserveCapture::webSocketParser_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("cap");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addColumn<bool>("failed");
    const QByteArray mid(300, 'm');
    const QByteArray big(70000, 'b');
    QTest::newRow("7-bit masked text")
        << wsFrame(true, 1, "hello") << 1000 << QByteArrayList { "1:hello" } << false;
    QTest::newRow("unmasked server frame")
        << wsFrame(true, 1, "hi", false) << 1000 << QByteArrayList { "1:hi" } << false;
    QTest::newRow("16-bit length")
        << wsFrame(true, 2, mid) << 1000 << QByteArrayList { "2:" + mid } << false;
    QTest::newRow("64-bit length")
        << wsFrame(true, 2, big) << 100000 << QByteArrayList { "2:" + big } << false;
    QTest::newRow("continuations with a ping between")
        << wsFrame(false, 1, "ab") + wsFrame(true, 9, "p") + wsFrame(false, 0, "cd")
            + wsFrame(true, 0, "ef")
        << 1000 << QByteArrayList { "9:p", "1:abcdef" } << false;
    QTest::newRow("cap truncates, the next message is whole")
        << wsFrame(true, 1, "hello") + wsFrame(true, 1, "ok") << 4
        << QByteArrayList { "1:hell+", "1:ok" } << false;
    QTest::newRow("cap across fragments") << wsFrame(false, 1, "abc") + wsFrame(true, 0, "def") << 4
                                          << QByteArrayList { "1:abcd+" } << false;
    QTest::newRow("empty close") << wsFrame(true, 8, {}) << 1000 << QByteArrayList { "8:" }
                                 << false;
    QTest::newRow("fragmented control frame is malformed")
        << wsFrame(false, 9, "p") + wsFrame(true, 1, "x") << 1000 << QByteArrayList {} << true;
    QTest::newRow("incomplete frame waits")
        << wsFrame(true, 1, "hello").left(5) << 1000 << QByteArrayList {} << false;
}

void tst_ObserveCapture::webSocketParser()
{
    QFETCH(QByteArray, input);
    QFETCH(int, cap);
    QFETCH(QByteArrayList, expected);
    QFETCH(bool, failed);
    QCOMPARE(parseAll<observe::WebSocketParser>(input, cap, false), expected);
    if (input.size() < 1000)
        QCOMPARE(parseAll<observe::WebSocketParser>(input, cap, true), expected);
    observe::WebSocketParser parser(cap);
    parser.feed(input, [](observe::ParsedMessage &&) {});
    QCOMPARE(parser.failed(), failed);
}

void tst_ObserveCapture::sseParser_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("cap");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::newRow("lf") << QByteArray("data: a\n\ndata: b\n\n") << 100
                        << QByteArrayList { "0:data: a", "0:data: b" };
    QTest::newRow("crlf") << QByteArray("event: x\r\ndata: 1\r\n\r\n") << 100
                          << QByteArrayList { "0:event: x\ndata: 1" };
    QTest::newRow("cr") << QByteArray("data: a\r\rdata: b\r\r") << 100
                        << QByteArrayList { "0:data: a", "0:data: b" };
    QTest::newRow("blank lines only") << QByteArray("\n\n\r\n\r\n") << 100 << QByteArrayList {};
    QTest::newRow("unfinished event is not reported")
        << QByteArray("data: a\n") << 100 << QByteArrayList {};
    QTest::newRow("cap") << QByteArray("data: abcdef\n\ndata: x\n\n") << 8
                         << QByteArrayList { "0:data: ab+", "0:data: x" };
}

void tst_ObserveCapture::sseParser()
{
    QFETCH(QByteArray, input);
    QFETCH(int, cap);
    QFETCH(QByteArrayList, expected);
    QCOMPARE(parseAll<observe::SseParser>(input, cap, false), expected);
    QCOMPARE(parseAll<observe::SseParser>(input, cap, true), expected);
}

void tst_ObserveCapture::bodyDecoding_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QByteArray>("expected"); ///< null: an error is expected
    QTest::addColumn<QString>("error");
    QByteArray text;
    for (int i = 0; i < 2000; ++i)
        text += "line " + QByteArray::number(i) + " of a compressible body\n";
    const qint64 mib = 1 << 20;
    QTest::newRow("no coding") << text << QByteArray() << mib << text << QString();
    QTest::newRow("identity") << text << QByteArray("identity") << mib << text << QString();
    QTest::newRow("gzip") << zCompress(text, 31) << QByteArray("gzip") << mib << text << QString();
    QTest::newRow("x-gzip, upper case")
        << zCompress(text, 31) << QByteArray("X-GZIP") << mib << text << QString();
    QTest::newRow("deflate (zlib)")
        << zCompress(text, 15) << QByteArray("deflate") << mib << text << QString();
    QTest::newRow("deflate (raw)")
        << zCompress(text, -15) << QByteArray("deflate") << mib << text << QString();
    QTest::newRow("br") << brotli(text) << QByteArray("br") << mib << text << QString();
    QTest::newRow("chain: gzip then br")
        << brotli(zCompress(text, 31)) << QByteArray("gzip, br") << mib << text << QString();
    QTest::newRow("two gzip members")
        << zCompress("one ", 31) + zCompress("two", 31) << QByteArray("gzip") << mib
        << QByteArray("one two") << QString();
    QTest::newRow("unknown coding") << text << QByteArray("compress") << mib << QByteArray()
                                    << QStringLiteral("unknown content coding \"compress\"");
    QTest::newRow("corrupt gzip") << QByteArray("\x1f\x8b not really gzip") << QByteArray("gzip")
                                  << mib << QByteArray() << QStringLiteral("corrupt");
    QTest::newRow("corrupt br") << QByteArray("not brotli at all") << QByteArray("br") << mib
                                << QByteArray() << QStringLiteral("corrupt brotli data");
    const QByteArray zeros(16 * mib, '\0');
    QTest::newRow("gzip bomb over the limit")
        << zCompress(zeros, 31) << QByteArray("gzip") << mib << QByteArray()
        << QStringLiteral("decoded body exceeds 1048576 bytes");
    QTest::newRow("br bomb over the limit")
        << brotli(zeros) << QByteArray("br") << mib << QByteArray() << QStringLiteral("exceeds");
}

void tst_ObserveCapture::bodyDecoding()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, encoding);
    QFETCH(qint64, limit);
    QFETCH(QByteArray, expected);
    QFETCH(QString, error);
    HeaderList headers;
    if (!encoding.isNull())
        headers.add("Content-Encoding", encoding);
    const auto decoded = observe::decodeBody(data, headers, limit);
    if (error.isEmpty()) {
        QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
        QCOMPARE(*decoded, expected);
    } else {
        QVERIFY(!decoded);
        QVERIFY2(decoded.error().message.contains(error), qPrintable(decoded.error().message));
    }
}

void tst_ObserveCapture::captureConfig_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<qint64>("bodyCap");
    QTest::addColumn<qint64>("budget");
    QTest::addColumn<int>("messageCap");
    QTest::addColumn<QStringList>("routers");
    QTest::newRow("defaults") << QByteArray("# none\n") << true << true << qint64(1 << 20)
                              << (qint64(256) << 20) << 65536 << QStringList();
    QTest::newRow("sizes with units")
        << QByteArray("portico:\n  capture:\n    bodyCap: 64KiB\n    budget: 1GiB\n"
                      "    messageCap: 1k\n    maxMessages: 10\n    routers: [a@file]\n")
        << true << true << qint64(65536) << (qint64(1) << 30) << 1024
        << QStringList { QStringLiteral("a@file") };
    QTest::newRow("plain bytes, disabled")
        << QByteArray("portico:\n  capture:\n    enabled: false\n    bodyCap: 100\n") << true
        << false << qint64(100) << (qint64(256) << 20) << 65536 << QStringList();
    QTest::newRow("bad size") << QByteArray("portico:\n  capture:\n    budget: lots\n") << false
                              << true << qint64(0) << qint64(0) << 0 << QStringList();
    QTest::newRow("budget too small")
        << QByteArray("portico:\n  capture:\n    budget: 10\n") << false << true << qint64(0)
        << qint64(0) << 0 << QStringList();
    QTest::newRow("unknown key") << QByteArray("portico:\n  capture:\n    bodySize: 1\n") << false
                                 << true << qint64(0) << qint64(0) << 0 << QStringList();
}

void tst_ObserveCapture::captureConfig()
{
    QFETCH(QByteArray, yaml);
    QFETCH(bool, ok);
    const auto result = config::parseStaticConfig(yaml, QStringLiteral("static.yaml"));
    QCOMPARE(result.ok(), ok);
    if (!ok) {
        QVERIFY(result.errors.front().where.line > 0); // the error points into the file
        return;
    }
    const config::CaptureSpec &c = result.config.capture;
    QTEST(c.enabled, "enabled");
    QTEST(c.bodyCap, "bodyCap");
    QTEST(c.budget, "budget");
    QTEST(c.messageCap, "messageCap");
    QTEST(c.routers, "routers");
}
