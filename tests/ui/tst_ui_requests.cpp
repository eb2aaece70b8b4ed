// The Requests page: its model fed by a real CaptureHub (bounded rows under a flood, updates by
// id, filters in the API's syntax), the detail pane's renderings, and real traffic through a
// real core. Runs offscreen.
#include "core/observe/capture_hub.h"
#include "tests/testkit/raw_client.h"
#include "tests/ui/live_core.h"
#include "ui/requests/body_presentation.h"
#include "ui/requests/body_view.h"
#include "ui/requests/filter_text.h"
#include "ui/requests/header_diff.h"
#include "ui/requests/record_detail.h"
#include "ui/requests/requests_model.h"
#include "ui/requests/requests_page.h"
#include "ui/requests/timing_waterfall.h"

#include <QAction>
#include <QBuffer>
#include <QCheckBox>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <thread>
#include <zlib.h>

using namespace portico;
using observe::ExchangeRecord;
using observe::RecordPtr;
using ui::RequestsModel;

Q_DECLARE_METATYPE(portico::observe::Timing)

namespace {

std::shared_ptr<ExchangeRecord> makeRecord(quint64 id, const char *host = "app.localhost",
    int status = 200, const char *method = "GET", const char *target = "/")
{
    auto r = std::make_shared<ExchangeRecord>();
    r->id = id;
    r->state = observe::RecordState::Complete;
    r->method = method;
    r->scheme = "http";
    r->host = host;
    r->target = target;
    r->httpVersion = "HTTP/1.1";
    r->status = status;
    r->originStatus = status;
    r->router = QStringLiteral("app@file");
    r->timing.routing = 40;
    r->timing.upstreamConnect = 300;
    r->timing.timeToFirstByte = 1500;
    r->timing.total = 2100;
    r->responseBody.size = 2;
    return r;
}

QStringList labels(std::initializer_list<const char *> items)
{
    QStringList out;
    for (const char *item : items)
        out << QString::fromUtf8(item);
    return out;
}

QString cell(const RequestsModel &model, int row, int column)
{
    return model.index(row, column).data().toString();
}

QByteArray gzip(const QByteArray &data)
{
    z_stream stream {};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&stream, uLong(data.size()))) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.truncate(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

observe::CapturedBody body(const QByteArray &data)
{
    return observe::CapturedBody { data, data.size(), false, false };
}

HeaderList headers(std::initializer_list<std::pair<const char *, const char *>> fields)
{
    HeaderList list;
    for (const auto &[name, value] : fields)
        list.add(name, value);
    return list;
}

} // namespace

class tst_UiRequests : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void filterText_data();
    void filterText();
    void floodKeepsNewestRowsAndBatchesSignals();
    void updatesReplaceRowsById();
    void filterAppliesToLaterBatches();
    void pageRefiltersFromHubAndPausesAndClears();
    void bodyPresentation_data();
    void bodyPresentation();
    void detailPaneRendersJsonAndHex();
    void detailPaneHighlightsHeaderChanges();
    void timingPhases_data();
    void timingPhases();
    void exportHarAndCurl();
    void realTrafficThroughCore();
};

void tst_UiRequests::filterText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("statusMin");
    QTest::addColumn<int>("statusMax");
    QTest::addColumn<QString>("method");
    QTest::addColumn<QString>("words");
    QTest::newRow("empty") << "" << true << "" << 0 << 999 << ""
                           << "";
    QTest::newRow("host") << "host:shop" << true << "shop" << 0 << 999 << ""
                          << "";
    QTest::newRow("status class") << "status:5xx" << true << "" << 500 << 599 << ""
                                  << "";
    QTest::newRow("keys and free words")
        << "host:shop status:404 method:POST cart  id" << true << "shop" << 404 << 404 << "POST"
        << "cart id";
    QTest::newRow("q key joins the words") << "q:token more" << true << "" << 0 << 999 << ""
                                           << "token more";
    QTest::newRow("URL stays a word") << "http://a.localhost/x" << true << "" << 0 << 999 << ""
                                      << "http://a.localhost/x";
    QTest::newRow("unknown key") << "hots:shop" << false << "" << 0 << 0 << ""
                                 << "";
    QTest::newRow("bad status") << "status:6zz" << false << "" << 0 << 0 << ""
                                << "";
}

void tst_UiRequests::filterText()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    const auto filter = ui::parseFilterText(text);
    QCOMPARE(filter.ok(), ok);
    if (!ok) {
        QVERIFY(!filter.error().message.isEmpty());
        return;
    }
    QTEST(filter->host, "host");
    QTEST(filter->statusMin, "statusMin");
    QTEST(filter->statusMax, "statusMax");
    QTEST(filter->method, "method");
    QTEST(filter->text, "words");
}

void tst_UiRequests::floodKeepsNewestRowsAndBatchesSignals()
{
    observe::CaptureHub hub;
    RequestsModel model(500);
    QObject::connect(&hub, &observe::CaptureHub::recordsPublished, &model,
        &RequestsModel::addRecords, Qt::QueuedConnection);
    QSignalSpy batches(&hub, &observe::CaptureHub::recordsPublished);
    QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removals(&model, &QAbstractItemModel::rowsRemoved);
    // Engine threads publish; the model sees batches on this thread.
    std::thread engine([&hub] {
        for (quint64 id = 1; id <= 2000; ++id) {
            hub.publish(makeRecord(id));
            if (id % 100 == 0)
                std::this_thread::yield();
        }
    });
    engine.join();
    QTRY_COMPARE(model.record(model.rowCount() - 1) ? model.record(model.rowCount() - 1)->id : 0,
        quint64(2000));
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(model.record(0)->id, quint64(1501));
    QCOMPARE(model.rowOf(1501), 0);
    QCOMPARE(model.rowOf(1500), -1);
    // One insertion (and at most one removal or reset) per batch, never one per record.
    QVERIFY(batches.count() >= 1);
    QVERIFY2(inserts.count() + model.resetCount() <= batches.count(),
        qPrintable(QStringLiteral("%1 inserts, %2 resets for %3 batches")
                       .arg(inserts.count())
                       .arg(model.resetCount())
                       .arg(batches.count())));
    QVERIFY(removals.count() <= batches.count());

    // Batches smaller than the bound insert and trim without a reset.
    const int resets = model.resetCount();
    observe::RecordBatch batch;
    for (quint64 id = 2001; id <= 2100; ++id)
        batch.push_back(makeRecord(id));
    model.addRecords(batch);
    QCOMPARE(model.resetCount(), resets);
    QCOMPARE(model.rowCount(), 500);
    QCOMPARE(model.record(0)->id, quint64(1601));
    QCOMPARE(model.rowOf(2100), 499);
}

void tst_UiRequests::updatesReplaceRowsById()
{
    observe::CaptureHub hub;
    RequestsModel model;
    QObject::connect(&hub, &observe::CaptureHub::recordsPublished, &model,
        &RequestsModel::addRecords, Qt::QueuedConnection);
    auto running = makeRecord(7, "shop.localhost", 0);
    running->state = observe::RecordState::InProgress;
    running->timing.total = -1;
    hub.publish(running);
    hub.publish(makeRecord(8));
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(cell(model, 0, RequestsModel::Status), QStringLiteral("…"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    auto done = makeRecord(7, "shop.localhost", 503);
    done->timing.total = 12400;
    hub.publish(done);
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(7), 0);
    QCOMPARE(cell(model, 0, RequestsModel::Status), QStringLiteral("503"));
    QCOMPARE(cell(model, 0, RequestsModel::Duration), QStringLiteral("12 ms"));
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
}

void tst_UiRequests::filterAppliesToLaterBatches()
{
    RequestsModel model;
    model.setFilter(*ui::parseFilterText(QStringLiteral("host:shop status:5xx")));
    model.addRecords({ makeRecord(1, "shop.localhost", 200), makeRecord(2, "shop.localhost", 502),
        makeRecord(3, "api.localhost", 500), makeRecord(4, "myshop.test", 503) });
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.record(0)->id, quint64(2));
    QCOMPARE(model.record(1)->id, quint64(4));
    model.setFilter(*ui::parseFilterText(QStringLiteral("method:post")));
    model.addRecords({ makeRecord(5, "a.localhost", 200, "POST"), makeRecord(6) });
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.record(2)->id, quint64(5));
}

void tst_UiRequests::pageRefiltersFromHubAndPausesAndClears()
{
    observe::CaptureHub hub;
    for (quint64 id = 1; id <= 30; ++id)
        hub.publish(makeRecord(
            id, id % 3 == 0 ? "shop.localhost" : "api.localhost", id % 10 == 0 ? 500 : 200));
    ui::RequestsPage page(&hub);
    QTRY_COMPARE(page.model()->rowCount(), 30);
    QVERIFY(!page.isQuerying());

    page.filterEdit()->setText(QStringLiteral("host:shop"));
    QTRY_COMPARE(page.model()->rowCount(), 10);
    QTRY_VERIFY(!page.isQuerying());
    page.applyFilter(QStringLiteral("host:shop status:5xx"));
    QTRY_COMPARE(page.model()->rowCount(), 1); // id 30
    QTRY_VERIFY(!page.isQuerying());
    QCOMPARE(page.model()->record(0)->id, quint64(30));
    page.applyFilter(QStringLiteral("nonsense:1"));
    QVERIFY(page.filterError().contains(QStringLiteral("nonsense")));
    QCOMPARE(page.model()->rowCount(), 1); // a bad filter leaves the last good one in force
    page.applyFilter(QString());
    QTRY_COMPARE(page.model()->rowCount(), 30);
    QTRY_VERIFY(!page.isQuerying());

    // New records arrive live; the selection follows its record across updates.
    hub.publish(makeRecord(31, "shop.localhost"));
    QTRY_COMPARE(page.model()->rowCount(), 31);
    QVERIFY(page.selectRecord(31));
    QCOMPARE(page.detail()->record()->id, quint64(31));
    hub.publish(makeRecord(31, "shop.localhost", 418));
    QTRY_COMPARE(page.detail()->record()->status, 418);

    page.pauseAction()->trigger();
    QVERIFY(hub.settings()->paused);
    hub.publish(makeRecord(32));
    hub.setPaused(false); // from elsewhere (the tray): the page follows
    QTRY_VERIFY(!page.pauseAction()->isChecked());
    QCOMPARE(page.model()->rowCount(), 31);

    page.clearAction()->trigger();
    QCOMPARE(page.model()->rowCount(), 0);
    QCOMPARE(hub.count(), size_t(0));
    QVERIFY(!page.detail()->record());
}

void tst_UiRequests::bodyPresentation_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QByteArray>("encoding");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("contains");
    const QByteArray json = R"({"user":{"id":1,"tags":["a","b"]}})";
    QTest::newRow("json pretty-printed")
        << json << QByteArray("application/json; charset=utf-8") << QByteArray()
        << int(ui::BodyKind::Json) << "    \"user\": {\n        \"id\": 1,";
    QTest::newRow("json without content type")
        << json << QByteArray() << QByteArray() << int(ui::BodyKind::Json) << "\"tags\": [";
    QTest::newRow("gzip json decoded (RFC 9110 §8.4)")
        << gzip(json) << QByteArray("application/json") << QByteArray("gzip")
        << int(ui::BodyKind::Json) << "\"id\": 1";
    QTest::newRow("html") << QByteArray("<!doctype html><title>x</title>")
                          << QByteArray("text/html") << QByteArray() << int(ui::BodyKind::Html)
                          << "<title>x</title>";
    QTest::newRow("broken json stays text")
        << QByteArray("{\"a\":") << QByteArray("application/json") << QByteArray()
        << int(ui::BodyKind::Text) << "{\"a\":";
    QTest::newRow("binary as hex")
        << QByteArray("\x00\x01\x02HELLO\xff", 9) << QByteArray("application/octet-stream")
        << QByteArray() << int(ui::BodyKind::Binary) << "00000000  00 01 02 48 45 4c 4c 4f  ff";
    QTest::newRow("form fields") << QByteArray("name=J%C3%BCrgen+M&x=1")
                                 << QByteArray("application/x-www-form-urlencoded") << QByteArray()
                                 << int(ui::BodyKind::Form) << "";
    QTest::newRow("unknown coding shown raw")
        << QByteArray("zzz") << QByteArray("text/plain") << QByteArray("x-custom")
        << int(ui::BodyKind::Binary) << "|zzz|";
}

void tst_UiRequests::bodyPresentation()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, contentType);
    QFETCH(QByteArray, encoding);
    QFETCH(int, kind);
    QFETCH(QString, contains);
    HeaderList h;
    if (!contentType.isEmpty())
        h.add("Content-Type", contentType);
    if (!encoding.isEmpty())
        h.add("Content-Encoding", encoding);
    const ui::BodyPresentation p = ui::presentBody(body(data), h);
    QCOMPARE(int(p.kind), kind);
    QVERIFY2(p.text.contains(contains), qPrintable(p.text));
    if (p.kind == ui::BodyKind::Form) {
        QCOMPARE(p.fields.size(), 2);
        QCOMPARE(p.fields[0].second, QString::fromUtf8("Jürgen M"));
    }
}

void tst_UiRequests::detailPaneRendersJsonAndHex()
{
    auto r = makeRecord(1, "api.localhost", 200, "POST", "/v1/users");
    r->requestHeaders = headers({ { "Content-Type", "application/json" } });
    r->requestBody = body(R"({"name":"ada","admin":false})");
    r->responseHeaders = headers({ { "Content-Type", "image/png" } });
    QImage image(4, 3, QImage::Format_RGB32);
    image.fill(Qt::red);
    QBuffer png;
    png.open(QIODevice::WriteOnly);
    image.save(&png, "PNG");
    r->responseBody = body(png.data());
    ui::RecordDetail detail;
    detail.showRecord(r);
    QVERIFY(detail.summaryText().contains(QStringLiteral("POST http://api.localhost/v1/users")));
    QCOMPARE(detail.requestBody()->currentView(), detail.requestBody()->textView());
    QCOMPARE(detail.requestBody()->shownText(),
        QStringLiteral("{\n    \"admin\": false,\n    \"name\": \"ada\"\n}"));
    QCOMPARE(int(detail.responseBody()->presentation().kind), int(ui::BodyKind::Image));
    QVERIFY(!detail.responseBody()->imageView()->pixmap().isNull());
    QCOMPARE(detail.responseBody()->imageView()->pixmap().size(), QSize(4, 3));

    // Binary is dumped as hex; any body can be switched to hex.
    r->responseHeaders = headers({ { "Content-Type", "application/octet-stream" } });
    r->responseBody = body(QByteArray("\x89PNX\x00\x10", 6));
    detail.showRecord(r);
    QVERIFY2(detail.responseBody()->shownText().startsWith(
                 QStringLiteral("00000000  89 50 4e 58 00 10")),
        qPrintable(detail.responseBody()->shownText()));
    QVERIFY(detail.responseBody()->shownText().contains(QStringLiteral("|.PNX..|")));
    auto *hex = detail.requestBody()->findChild<QCheckBox *>();
    QVERIFY(hex);
    hex->setChecked(true);
    QVERIFY(detail.requestBody()->shownText().startsWith(QStringLiteral("00000000  7b 22 6e 61")));
}

void tst_UiRequests::detailPaneHighlightsHeaderChanges()
{
    const HeaderList received = headers({ { "Host", "shop.localhost" }, { "Accept", "*/*" },
        { "Cookie", "a=1" }, { "X-Debug", "1" } });
    const HeaderList forwarded = headers({ { "Host", "shop.localhost" }, { "accept", "*/*" },
        { "Cookie", "a=1; b=2" }, { "X-Forwarded-For", "127.0.0.1" } });
    const QList<ui::HeaderRow> rows = ui::diffHeaders(received, forwarded);
    QCOMPARE(rows.size(), 5);
    QCOMPARE(int(rows[0].change), int(ui::HeaderChange::Same));
    QCOMPARE(int(rows[1].change), int(ui::HeaderChange::Same)); // names match case-insensitively
    QCOMPARE(int(rows[2].change), int(ui::HeaderChange::Changed));
    QCOMPARE(int(rows[3].change), int(ui::HeaderChange::Removed));
    QCOMPARE(rows[4].name, QStringLiteral("X-Forwarded-For"));
    QCOMPARE(int(rows[4].change), int(ui::HeaderChange::Added));

    auto r = makeRecord(2, "shop.localhost");
    r->requestHeaders = received;
    r->forwardedTarget = "/";
    r->forwardedRequestHeaders = forwarded;
    r->originResponseHeaders = headers({ { "Server", "dev" } });
    r->responseHeaders = headers({ { "Server", "dev" }, { "X-Frame-Options", "DENY" } });
    ui::RecordDetail detail;
    detail.showRecord(r);
    QTreeWidget *tree = detail.headers();
    QCOMPARE(tree->topLevelItemCount(), 2);
    QTreeWidgetItem *request = tree->topLevelItem(0);
    QCOMPARE(request->childCount(), 5);
    QCOMPARE(request->child(4)->text(2), QStringLiteral("127.0.0.1"));
    QCOMPARE(request->child(4)->data(0, Qt::UserRole).toInt(), int(ui::HeaderChange::Added));
    QVERIFY(request->child(4)->background(0) != request->child(0)->background(0));
    QTreeWidgetItem *response = tree->topLevelItem(1);
    QCOMPARE(response->child(1)->text(0), QStringLiteral("X-Frame-Options"));
    QCOMPARE(response->child(1)->data(0, Qt::UserRole).toInt(), int(ui::HeaderChange::Added));
}

void tst_UiRequests::timingPhases_data()
{
    QTest::addColumn<observe::Timing>("timing");
    QTest::addColumn<QStringList>("labels");
    QTest::addColumn<QList<qint64>>("starts");
    QTest::addColumn<QList<qint64>>("durations");
    QTest::newRow("proxied on a new connection")
        << observe::Timing { -1, 40, 300, 1500, 2100 }
        << labels({ "Routing", "Connect", "Waiting", "Receiving" })
        << QList<qint64> { 0, 40, 340, 1500 } << QList<qint64> { 40, 300, 1160, 600 };
    QTest::newRow("first request over TLS")
        << observe::Timing { 900, 10, 0, 110, 200 }
        << labels({ "Client TLS", "Routing", "Connect", "Waiting", "Receiving" })
        << QList<qint64> { 0, 900, 910, 910, 1010 } << QList<qint64> { 900, 10, 0, 100, 90 };
    QTest::newRow("local answer (404): no upstream")
        << observe::Timing { -1, 15, -1, -1, 30 } << labels({ "Routing", "Receiving" })
        << QList<qint64> { 0, 15 } << QList<qint64> { 15, 15 };
}

void tst_UiRequests::timingPhases()
{
    QFETCH(observe::Timing, timing);
    QFETCH(QStringList, labels);
    QFETCH(QList<qint64>, starts);
    QFETCH(QList<qint64>, durations);
    const QList<ui::TimingPhase> phases = ui::timingPhases(timing);
    QStringList gotLabels;
    QList<qint64> gotStarts, gotDurations;
    for (const ui::TimingPhase &phase : phases) {
        gotLabels << phase.label;
        gotStarts << phase.startUs;
        gotDurations << phase.durationUs;
    }
    QCOMPARE(gotLabels, labels);
    QCOMPARE(gotStarts, starts);
    QCOMPARE(gotDurations, durations);
}

void tst_UiRequests::exportHarAndCurl()
{
    observe::CaptureHub hub;
    auto post = makeRecord(1, "api.localhost", 201, "POST", "/v1/items?x=1");
    post->requestHeaders
        = headers({ { "Host", "api.localhost" }, { "Content-Type", "application/json" } });
    post->requestBody = body("{\"a\":1}");
    hub.publish(post);
    hub.publish(makeRecord(2));
    ui::RequestsPage page(&hub);
    QTRY_COMPARE(page.model()->rowCount(), 2);
    QVERIFY(!page.copyCurlAction()->isEnabled());
    QVERIFY(page.selectRecord(1));
    QVERIFY(page.copyCurlAction()->isEnabled());
    const QString curl = page.curlCommand();
    QVERIFY2(curl.startsWith(QStringLiteral("curl")), qPrintable(curl));
    QVERIFY2(curl.contains(QStringLiteral("--data-binary")), qPrintable(curl)); // curl POSTs data
    QVERIFY2(curl.contains(QStringLiteral("api.localhost/v1/items?x=1")), qPrintable(curl));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("out.har"));
    QCOMPARE(page.exportHar(path), QString());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject har = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(har.value(QStringLiteral("log"))
                 .toObject()
                 .value(QStringLiteral("entries"))
                 .toArray()
                 .size(),
        2);
    QVERIFY(!page.replayAction()->isEnabled()); // no entry point to send it to
}

void tst_UiRequests::realTrafficThroughCore()
{
    testkit::LiveCore core;
    QVERIFY(core.start().ok());
    observe::CaptureHub *hub = core.runtime().captureHub();
    QVERIFY(hub);
    ui::RequestsPage page(hub);
    // Wait for the route to serve, then send requests of our own.
    testkit::RawClient client;
    QVERIFY(client.connectTo(core.port()));
    const QByteArray request
        = "GET /hello?n=1 HTTP/1.1\r\nHost: app.localhost\r\nX-Test: 1\r\n\r\n";
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            testkit::RawClient probe;
            if (!probe.connectTo(core.port()))
                return false;
            probe.send(request);
            const auto &responses = probe.waitForResponses(1);
            return !responses.empty() && responses.front().status == 200;
        }(),
        10000);
    for (int i = 0; i < 5; ++i)
        client.send("POST /api/items HTTP/1.1\r\nHost: app.localhost\r\nContent-Type: "
                    "application/json\r\nContent-Length: 9\r\n\r\n{\"n\": 42}");
    QCOMPARE(int(client.waitForResponses(5).size()), 5);

    QTRY_VERIFY(page.model()->rowCount() >= 6);
    page.applyFilter(QStringLiteral("method:POST host:app path:/api"));
    QTRY_COMPARE(page.model()->rowCount(), 5);
    QTRY_VERIFY(!page.isQuerying());
    const RecordPtr last = page.model()->record(4);
    QCOMPARE(last->host, QByteArray("app.localhost"));
    QCOMPARE(last->status, 200);
    QCOMPARE(cell(*page.model(), 4, RequestsModel::Method), QStringLiteral("POST"));
    QCOMPARE(cell(*page.model(), 4, RequestsModel::Path), QStringLiteral("/api/items"));
    QCOMPARE(cell(*page.model(), 4, RequestsModel::Status), QStringLiteral("200"));
    QCOMPARE(cell(*page.model(), 4, RequestsModel::Protocol), QStringLiteral("h1"));
    QVERIFY(page.selectRecord(last->id));
    QVERIFY(page.detail()->requestBody()->shownText().contains(QStringLiteral("\"n\": 42")));
    // The proxy adds X-Forwarded-* on the way in: the headers tab marks them as added.
    QTreeWidgetItem *requestHeaders = page.detail()->headers()->topLevelItem(0);
    bool forwardedFor = false;
    for (int i = 0; i < requestHeaders->childCount(); ++i) {
        const QTreeWidgetItem *item = requestHeaders->child(i);
        if (item->text(0).compare(QStringLiteral("X-Forwarded-For"), Qt::CaseInsensitive) == 0)
            forwardedFor = item->data(0, Qt::UserRole).toInt() == int(ui::HeaderChange::Added);
    }
    QVERIFY(forwardedFor);

    // Replay sends it again through the entry point: a new exchange is captured.
    page.setEntryPointPorts(core.runtime().ports());
    QVERIFY(page.replayAction()->isEnabled());
    page.replayAction()->trigger();
    QTRY_COMPARE(page.model()->rowCount(), 6);
    QVERIFY(page.model()->record(5)->id > last->id);
    QCOMPARE(page.model()->record(5)->requestBody.data, QByteArray("{\"n\": 42}"));
    QTRY_VERIFY2(
        page.statusText().contains(QStringLiteral("replayed: 200")), qPrintable(page.statusText()));
}

QTEST_MAIN(tst_UiRequests)
#include "tst_ui_requests.moc"
