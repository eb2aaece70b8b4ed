// The Requests page: its model fed by a real CaptureHub (bounded rows under a flood, updates by
// id, filters in the API's syntax), the detail pane's renderings, and real traffic through a
// real core. Runs offscreen.
#include "core/common/paths.h"
#include "core/observe/capture_hub.h"
#include "core/tls/leaf_service.h"
#include "core/tls/local_ca.h"
#include "tests/testkit/raw_client.h"
#include "tests/ui/live_core.h"
#include "ui/certificates/certificates_page.h"
#include "ui/requests/body_presentation.h"
#include "ui/requests/body_view.h"
#include "ui/requests/filter_text.h"
#include "ui/requests/header_diff.h"
#include "ui/requests/html_format.h"
#include "ui/requests/json_highlighter.h"
#include "ui/requests/record_detail.h"
#include "ui/requests/replay_editor.h"
#include "ui/requests/requests_model.h"
#include "ui/requests/requests_page.h"
#include "ui/requests/timing_waterfall.h"
#include "ui/settings/settings_page.h"
#include "ui/settings/theme.h"
#include "ui/settings/theme_icons.h"

#include <QAction>
#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProxyStyle>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslSocket>
#include <QStyleFactory>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
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

/// Sends `request` on a new connection until it is answered 200 (the route is in force and its
/// server healthy) or `timeoutMs` passed; a plain deadline loop, as each try runs an event loop.
bool servedWithin(quint16 port, const QByteArray &request, int timeoutMs)
{
    for (QDeadlineTimer deadline(timeoutMs); !deadline.hasExpired(); QTest::qWait(50)) {
        testkit::RawClient probe;
        if (!probe.connectTo(port))
            continue;
        probe.send(request);
        const auto &responses = probe.waitForResponses(1, 2000);
        if (!responses.empty() && responses.front().status == 200)
            return true;
    }
    return false;
}

/// Stands in for the desktop: a style whose palette (the platform's base palette, which an
/// application palette without roles of its own resolves to) is light or dark.
class DesktopStyle final : public QProxyStyle
{
public:
    explicit DesktopStyle(bool dark)
        : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion")))
        , m_dark(dark)
    { }
    void polish(QPalette &palette) override
    {
        QProxyStyle::polish(palette);
        if (!m_dark)
            return;
        const QColor window(0x25, 0x26, 0x29), base(0x18, 0x19, 0x1c), text(0xee, 0xee, 0xee);
        for (auto role : { QPalette::Window, QPalette::Button })
            palette.setColor(role, window);
        palette.setColor(QPalette::Base, base);
        palette.setColor(QPalette::AlternateBase, window);
        for (auto role : { QPalette::WindowText, QPalette::Text, QPalette::ButtonText })
            palette.setColor(role, text);
    }
    using QProxyStyle::polish;

private:
    bool m_dark;
};

/// How many pixels of `image` are exactly `colour`.
int pixelsOf(const QImage &image, const QColor &colour)
{
    const QImage argb = image.convertToFormat(QImage::Format_ARGB32);
    int count = 0;
    for (int y = 0; y < argb.height(); ++y)
        for (int x = 0; x < argb.width(); ++x)
            count += argb.pixel(x, y) == colour.rgba() ? 1 : 0; // opaque pixels only
    return count;
}

/// The colour the highlighter gave the first characters of `line` of the body's text.
QColor formatColourAt(const ui::BodyView *view, int line, int column)
{
    const QTextBlock block = view->textView()->document()->findBlockByNumber(line);
    for (const QTextLayout::FormatRange &range : block.layout()->formats())
        if (range.start <= column && column < range.start + range.length)
            return range.format.foreground().color();
    return {};
}

QColor addedHeaderBackground(const ui::RecordDetail &detail)
{
    const QTreeWidgetItem *section = detail.headers()->topLevelItem(0);
    for (int i = 0; section && i < section->childCount(); ++i)
        if (section->child(i)->data(0, Qt::UserRole).toInt() == int(ui::HeaderChange::Added))
            return section->child(i)->background(1).color();
    return {};
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
    void prettyHtml_data();
    void prettyHtml();
    void headerLines_data();
    void headerLines();
    void editorRejectsBadFieldsInPlace();
    void editAndResendReachesBackendAndSelectsNewRecord();
    void certificatesPageListsLeavesOfRunningCore();
    void glyphIconsAreVectorAndHiDpi();
    void systemThemeFollowsDesktopPaletteLive();
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
    QVERIFY(servedWithin(core.port(), request, 10000));
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

void tst_UiRequests::prettyHtml_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QString>("pretty");
    QTest::newRow("minified page nests by element")
        << "<!DOCTYPE html><html><head><meta charset=utf-8><title>Shop</title></head>"
           "<body><div class=\"a\"><p>Hi <b>there</b></p><br><img src=x.png/></div></body></html>"
        << "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=utf-8>\n    <title>Shop</title>\n"
           "  </head>\n  <body>\n    <div class=\"a\">\n      <p>\n        Hi\n"
           "        <b>there</b>\n      </p>\n      <br>\n"
           "      <img src=x.png/>\n    </div>\n  </body>\n</html>";
    QTest::newRow("script and pre kept verbatim")
        << "<div><script>if (a<b) { x(); }</script><pre> two  spaces\n</pre></div>"
        << "<div>\n  <script>if (a<b) { x(); }</script>\n  <pre> two  spaces\n</pre>\n</div>";
    QTest::newRow("comments do not nest") << "<ul><!-- <li>old</li> --><li>new</li></ul>"
                                          << "<ul>\n  <!-- <li>old</li> -->\n  <li>new</li>\n</ul>";
    QTest::newRow("stray closing tag stays at the left edge") << "</div><p>x</p>"
                                                              << "</div>\n<p>x</p>";
    QTest::newRow("laid-out html left as written")
        << "<html>\n<body>\n<p>x</p>\n</body>\n</html>\n"
        << "<html>\n<body>\n<p>x</p>\n</body>\n</html>\n";
}

void tst_UiRequests::prettyHtml()
{
    QFETCH(QString, html);
    QFETCH(QString, pretty);
    QCOMPARE(ui::prettyHtml(html), pretty);
    // The body view shows HTML bodies this way.
    const ui::BodyPresentation p
        = ui::presentBody(body(html.toUtf8()), headers({ { "Content-Type", "text/html" } }));
    QCOMPARE(int(p.kind), int(ui::BodyKind::Html));
    QCOMPARE(p.text, pretty);
}

void tst_UiRequests::headerLines_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("parsed"); // name=value;… or the error's start
    QTest::newRow("one field") << "X-Mode: new"
                               << "X-Mode=new";
    QTest::newRow("blank lines and spaces skipped") << "\n  Accept :  text/html  \n\nX-A: 1\n"
                                                    << "Accept=text/html;X-A=1";
    QTest::newRow("colon inside the value kept") << "Referer: http://a:1/x"
                                                 << "Referer=http://a:1/x";
    QTest::newRow("empty value allowed") << "X-Empty:"
                                         << "X-Empty=";
    QTest::newRow("no colon") << "X-Mode new"
                              << "error: header line 1";
    QTest::newRow("space inside the name (RFC 9110 5.6.2)") << "Accept: */*\nX Mode: 1"
                                                            << "error: header line 2";
    QTest::newRow("pseudo-header is not a field") << ":authority: x"
                                                  << "error: header line 1";
}

void tst_UiRequests::headerLines()
{
    QFETCH(QString, text);
    QFETCH(QString, parsed);
    const auto headers = ui::parseHeaderLines(text);
    if (!headers) {
        QVERIFY2((QStringLiteral("error: ") + headers.error().message).startsWith(parsed),
            qPrintable(headers.error().message));
        return;
    }
    QStringList pairs;
    for (const QJsonValue &field : *headers)
        pairs << field[QLatin1String("name")].toString() + u'='
                + field[QLatin1String("value")].toString();
    QCOMPARE(pairs.join(u';'), parsed);
}

void tst_UiRequests::editorRejectsBadFieldsInPlace()
{
    auto r = makeRecord(7, "shop.localhost", 200, "POST", "/cart?x=1");
    r->requestHeaders = headers({ { "Host", "shop.localhost:8080" }, { "Connection", "keep-alive" },
        { "Content-Type", "application/octet-stream" }, { "Content-Length", "3" } });
    r->requestBody = body(QByteArray("\x00\x01\x02", 3));
    ui::ReplayEditor editor(*r);
    // Prefilled as the replay reads the record: Host → URL, managed fields left out.
    QCOMPARE(editor.methodEdit()->currentText(), QStringLiteral("POST"));
    QCOMPARE(editor.urlEdit()->text(), QStringLiteral("http://shop.localhost:8080/cart?x=1"));
    QCOMPARE(editor.headersEdit()->toPlainText(),
        QStringLiteral("Content-Type: application/octet-stream"));
    QVERIFY(editor.bodyEdit()->isReadOnly()); // binary: sent unchanged
    QVERIFY(editor.messageText().contains(QStringLiteral("binary")));
    auto edits = editor.edits();
    QVERIFY(edits.ok());
    QCOMPARE(edits->value(QStringLiteral("bodyEncoding")).toString(), QStringLiteral("base64"));
    QCOMPARE(QByteArray::fromBase64(edits->value(QStringLiteral("body")).toString().toLatin1()),
        QByteArray("\x00\x01\x02", 3));

    QSignalSpy sent(&editor, &ui::ReplayEditor::sendRequested);
    editor.show();
    editor.headersEdit()->setPlainText(QStringLiteral("Content-Type text/plain"));
    editor.send();
    QCOMPARE(sent.count(), 0);
    QVERIFY(editor.isVisible());
    QVERIFY2(editor.messageText().contains(QStringLiteral("header line 1")),
        qPrintable(editor.messageText()));
    editor.headersEdit()->clear();
    editor.methodEdit()->setCurrentText(QStringLiteral("GE T"));
    editor.send();
    QCOMPARE(sent.count(), 0);
    QVERIFY2(editor.messageText().contains(QStringLiteral("\"method\"")),
        qPrintable(editor.messageText()));
    editor.methodEdit()->setCurrentText(QStringLiteral("put"));
    editor.urlEdit()->setText(QStringLiteral("ftp://shop.localhost/"));
    editor.send();
    QCOMPARE(sent.count(), 0);
    QVERIFY2(
        editor.messageText().contains(QStringLiteral("\"url\"")), qPrintable(editor.messageText()));
    editor.urlEdit()->setText(QStringLiteral("/other"));
    editor.send();
    QCOMPARE(sent.count(), 1);
    QCOMPARE(sent.at(0).at(0).toULongLong(), quint64(7));
    QVERIFY(!editor.isVisible());
}

void tst_UiRequests::editAndResendReachesBackendAndSelectsNewRecord()
{
    testkit::LiveCore core;
    testkit::HttpServer backend([](const testkit::ReceivedRequest &request, QTcpSocket *socket) {
        testkit::HttpServer::respond(socket, request.method == "PUT" ? 201 : 200, "done");
    });
    QVERIFY(backend.listen());
    core.writeRoutes("http:\n  routers:\n    edit:\n      rule: \"Host(`edit.localhost`)\"\n"
                     "      service: edit\n  services:\n    edit:\n      loadBalancer:\n"
                     "        servers:\n          - url: "
        + backend.url().toUtf8() + "\n");
    QVERIFY(core.start().ok());
    ui::RequestsPage page(core.runtime().captureHub());
    page.setEntryPointPorts(core.runtime().ports());
    const QByteArray original = "POST /api/items?v=1 HTTP/1.1\r\nHost: edit.localhost\r\n"
                                "X-Mode: old\r\nX-Drop: 1\r\nContent-Type: application/json\r\n"
                                "Content-Length: 9\r\n\r\n{\"n\": 42}";
    QVERIFY(servedWithin(core.port(), original, 10000));
    QTRY_VERIFY(page.model()->rowCount() >= 1 && !page.isQuerying());
    const RecordPtr captured = page.model()->record(page.model()->rowCount() - 1);
    QCOMPARE(captured->method, QByteArray("POST"));
    QVERIFY(page.selectRecord(captured->id));
    QVERIFY(page.editResendAction()->isEnabled());

    ui::ReplayEditor *editor = page.editSelected();
    QVERIFY(editor);
    QCOMPARE(editor->urlEdit()->text(), QStringLiteral("http://edit.localhost/api/items?v=1"));
    QVERIFY(editor->headersEdit()->toPlainText().contains(QStringLiteral("X-Mode: old")));
    QCOMPARE(editor->bodyEdit()->toPlainText(), QStringLiteral("{\"n\": 42}"));
    editor->methodEdit()->setCurrentText(QStringLiteral("PUT"));
    editor->urlEdit()->setText(QStringLiteral("http://edit.localhost/api/items/7?v=2"));
    editor->headersEdit()->setPlainText(
        QStringLiteral("X-Mode: new\nX-Added: yes\nContent-Type: application/json"));
    editor->bodyEdit()->setPlainText(QStringLiteral("{\"n\": 43, \"edited\": true}"));
    const int before = int(backend.requests().size());
    editor->send();

    // The backend received the edited request, through Portico.
    QTRY_COMPARE_WITH_TIMEOUT(int(backend.requests().size()), before + 1, 15000);
    const testkit::ReceivedRequest &got = backend.requests().back();
    QCOMPARE(got.method, QByteArray("PUT"));
    QCOMPARE(got.target, QByteArray("/api/items/7?v=2"));
    QCOMPARE(got.headers.value("x-mode"), QByteArray("new"));
    QCOMPARE(got.headers.value("x-added"), QByteArray("yes"));
    QVERIFY(!got.headers.contains("x-drop"));
    QCOMPARE(got.headers.value("host"), QByteArray("edit.localhost"));
    QCOMPARE(got.body, QByteArray("{\"n\": 43, \"edited\": true}"));
    QVERIFY(!got.headers.value("x-forwarded-for").isEmpty()); // it went through the proxy

    // The new exchange shows in the live table and is the selected one.
    QTRY_VERIFY_WITH_TIMEOUT(
        page.detail()->record() && page.detail()->record()->id > captured->id, 15000);
    const RecordPtr resent = page.detail()->record();
    QCOMPARE(resent->method, QByteArray("PUT"));
    QCOMPARE(resent->target, QByteArray("/api/items/7?v=2"));
    QTRY_COMPARE(page.detail()->record()->status, 201);
    const int row = page.model()->rowOf(resent->id);
    QVERIFY(row >= 0);
    QCOMPARE(page.table()->currentIndex().row(), row);
    QTRY_VERIFY2(
        page.statusText().contains(QStringLiteral("replayed: 201")), qPrintable(page.statusText()));
}

void tst_UiRequests::certificatesPageListsLeavesOfRunningCore()
{
    // A home of its own: a fresh CA, and a name no earlier run issued.
    QTemporaryDir home;
    const QByteArray oldHome = qgetenv("PORTICO_HOME");
    qputenv("PORTICO_HOME", home.path().toUtf8());
    const auto restore = qScopeGuard([&] { qputenv("PORTICO_HOME", oldHome); });
    config::EntryPointSpec secure;
    secure.name = QStringLiteral("web");
    secure.host = QStringLiteral("127.0.0.1");
    secure.address = QStringLiteral("127.0.0.1:0");
    secure.asDefault = true;
    secure.tls = config::RouterTlsSpec {};
    testkit::LiveCore core(secure);
    tls::trust::StoreEnvironment env;
    env.home = home.filePath(QStringLiteral("user"));
    env.systemRoot = home.filePath(QStringLiteral("root"));
    env.includeJava = false;
    ui::CertificatesPage page(paths::caDir(), env);
    QObject::connect(&core.runtime(), &app::CoreRuntime::certificatesChanged, &page,
        &ui::CertificatesPage::setIssued);
    QSignalSpy built(&core.runtime(), &app::CoreRuntime::stateChanged);
    QVERIFY(core.start().ok());
    // The core describes its CA when its control thread starts.
    QTRY_VERIFY_WITH_TIMEOUT(page.followsCore(), 20000);
    QCOMPARE(page.leavesTable()->rowCount(), 0);
    const auto ca = tls::LocalCa::loadExisting(paths::caDir(), {});
    QVERIFY(ca);
    QCOMPARE(page.issued()->caSha256, ca->sha256Fingerprint());

    // A first HTTPS request to a new name: the core issues its leaf, the page lists it at once.
    // The TLS routers in force first. Under load a first handshake was seen to get no leaf
    // (2 of ~20 full runs, not reproduced alone): a new connection is tried every 5 s.
    QTRY_VERIFY_WITH_TIMEOUT(built.count() > 0, 20000);
    std::vector<std::unique_ptr<QSslSocket>> clients;
    for (QDeadlineTimer deadline(20000);
         page.leavesTable()->rowCount() == 0 && !deadline.hasExpired();) {
        auto client = std::make_unique<QSslSocket>();
        client->setPeerVerifyMode(QSslSocket::VerifyNone);
        client->connectToHostEncrypted(
            QStringLiteral("127.0.0.1"), core.port(), QStringLiteral("fresh-name.localhost"));
        clients.push_back(std::move(client));
        for (QDeadlineTimer attempt(5000);
             page.leavesTable()->rowCount() == 0 && !attempt.hasExpired();)
            QTest::qWait(20);
    }
    QCOMPARE(page.leavesTable()->rowCount(), 1);
    QCOMPARE(page.leavesTable()->item(0, 0)->text(), QStringLiteral("fresh-name.localhost"));
    QVERIFY(page.leavesTable()->item(0, 2)->text().contains(QStringLiteral("day")));
    QCOMPARE(page.leavesTable()->item(0, 3)->toolTip(), ca->sha256Fingerprint());
    const tls::IssuedLeaf leaf = page.issued()->leaves.front();
    QVERIFY(leaf.notBefore < QDateTime::currentDateTimeUtc());
    QVERIFY(leaf.notAfter > QDateTime::currentDateTimeUtc().addDays(30));
    QVERIFY(leaf.path.endsWith(QStringLiteral("fresh-name.localhost.pem")));

    // The CA rotates (`portico ca rotate` in another shell): the page shows the new root and
    // no leaf of the old one.
    auto rotating = tls::LocalCa::loadExisting(paths::caDir(), {});
    QVERIFY(rotating && rotating->rotate());
    QMetaObject::invokeMethod(
        core.runtime().server().leafService(), &tls::LeafService::reloadCa, Qt::QueuedConnection);
    QTRY_COMPARE_WITH_TIMEOUT(page.issued()->caSha256, rotating->sha256Fingerprint(), 20000);
    QVERIFY(page.issued()->caSha256 != ca->sha256Fingerprint());
    QCOMPARE(page.leavesTable()->rowCount(), 0);
}

void tst_UiRequests::glyphIconsAreVectorAndHiDpi()
{
    const QIcon icon = ui::glyphIcon(ui::Glyph::Pause);
    const QPixmap normal = icon.pixmap(QSize(16, 16), 1.0);
    const QPixmap doubled = icon.pixmap(QSize(16, 16), 2.0);
    QCOMPARE(normal.size(), QSize(16, 16));
    QCOMPARE(doubled.size(), QSize(32, 32)); // drawn at the device's pixels, not scaled up
    QCOMPARE(doubled.devicePixelRatio(), 2.0);
    const QColor ink = ui::glyphColour(QApplication::palette(), QIcon::Normal);
    QVERIFY(pixelsOf(doubled.toImage(), ink) > 4 * pixelsOf(normal.toImage(), ink) * 3 / 4);
    const QColor disabled = ui::glyphColour(QApplication::palette(), QIcon::Disabled);
    QVERIFY(pixelsOf(icon.pixmap(QSize(16, 16), 1.0, QIcon::Disabled).toImage(), disabled) > 0);
}

void tst_UiRequests::systemThemeFollowsDesktopPaletteLive()
{
    const QString styleName = QApplication::style()->name();
    const auto restore = qScopeGuard([&] {
        ui::applyTheme(ui::Theme::System);
        QApplication::setStyle(styleName);
    });
    QApplication::setStyle(new DesktopStyle(false));
    ui::applyTheme(ui::Theme::System);
    QCOMPARE(QApplication::palette().resolveMask(), QPalette::ResolveMask(0));
    QVERIFY(!ui::isDark(QApplication::palette()));

    auto r = makeRecord(1, "api.localhost", 200, "POST", "/v1");
    r->requestHeaders = headers({ { "Content-Type", "application/json" } });
    r->forwardedTarget = "/v1";
    r->forwardedRequestHeaders
        = headers({ { "Content-Type", "application/json" }, { "X-Forwarded-For", "127.0.0.1" } });
    r->requestBody = body(R"({"name":"ada","n":1})");
    ui::RecordDetail detail;
    detail.resize(900, 600);
    detail.showRecord(r);
    detail.show();
    QVERIFY(QTest::qWaitForWindowExposed(&detail));
    ui::TimingWaterfall *waterfall = detail.waterfall();
    waterfall->resize(600, 140);
    const ui::WaterfallColours lightBars = ui::waterfallColours(waterfall->palette());
    QVERIFY(pixelsOf(waterfall->grab().toImage(), lightBars.bars[1]) > 0);
    const QColor lightTint = addedHeaderBackground(detail);
    QCOMPARE(lightTint,
        ui::changeTint(detail.headers()->palette().color(QPalette::Base), ui::HeaderChange::Added));
    const QColor lightKey = formatColourAt(detail.requestBody(), 1, 4);
    QCOMPARE(lightKey, ui::jsonColours(detail.palette()).key);
    const QIcon icon = ui::glyphIcon(ui::Glyph::Pause);
    const QColor lightInk = ui::glyphColour(QApplication::palette(), QIcon::Normal);

    // The desktop switches to dark while Portico runs.
    QApplication::setStyle(new DesktopStyle(true));
    QTRY_VERIFY(ui::isDark(detail.palette()));
    QVERIFY(ui::isDark(waterfall->palette()));
    const ui::WaterfallColours darkBars = ui::waterfallColours(waterfall->palette());
    QVERIFY(darkBars.bars[1] != lightBars.bars[1]);
    QCOMPARE(darkBars.text, QColor(0xee, 0xee, 0xee));
    const QImage dark = waterfall->grab().toImage();
    QVERIFY(pixelsOf(dark, darkBars.bars[1]) > 0);
    QCOMPARE(pixelsOf(dark, lightBars.bars[1]), 0);
    const QColor darkTint = addedHeaderBackground(detail);
    QVERIFY(darkTint != lightTint);
    QCOMPARE(darkTint, ui::changeTint(QColor(0x18, 0x19, 0x1c), ui::HeaderChange::Added));
    const QColor darkKey = formatColourAt(detail.requestBody(), 1, 4);
    QVERIFY(darkKey != lightKey);
    QCOMPARE(darkKey, ui::jsonColours(detail.palette()).key);
    const QColor darkInk = ui::glyphColour(QApplication::palette(), QIcon::Normal);
    QCOMPARE(darkInk, QColor(0xee, 0xee, 0xee));
    const QImage glyph = icon.pixmap(QSize(32, 32), 1.0).toImage(); // the same QIcon object
    QVERIFY(pixelsOf(glyph, darkInk) > 0);
    QCOMPARE(pixelsOf(glyph, lightInk), 0);

    // An explicit choice in Settings wins over the desktop, applied at once (no restart);
    // System follows the desktop again.
    ui::SettingsPage settings(nullptr, ui::GuiSettings::load(), QStringLiteral("/usr/bin/portico"));
    ui::GuiSettings chosen = settings.edited();
    chosen.theme = ui::Theme::Dark; // whatever an earlier run saved, Light is a change next
    settings.setEdited(chosen);
    QCOMPARE(settings.apply(), QString());
    chosen.theme = ui::Theme::Light;
    settings.setEdited(chosen);
    QCOMPARE(settings.apply(), QString());
    QCOMPARE(ui::currentTheme(), ui::Theme::Light);
    QTRY_VERIFY(!ui::isDark(detail.palette()));
    QApplication::setStyle(new DesktopStyle(true));
    QVERIFY(!ui::isDark(QApplication::palette()));
    QCOMPARE(addedHeaderBackground(detail),
        ui::changeTint(detail.headers()->palette().color(QPalette::Base), ui::HeaderChange::Added));
    chosen.theme = ui::Theme::System;
    settings.setEdited(chosen);
    QCOMPARE(settings.apply(), QString());
    QTRY_VERIFY(ui::isDark(detail.palette()));
    QCOMPARE(addedHeaderBackground(detail), darkTint);
}

QTEST_MAIN(tst_UiRequests)
#include "tst_ui_requests.moc"
