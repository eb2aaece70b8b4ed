#include "core/config/loader.h"
#include "core/observe/capture_hub.h"
#include "core/observe/history_store.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QVariant>

#ifdef Q_OS_LINUX
#include <sched.h>
#endif

using namespace portico;
using namespace portico::observe;

Q_DECLARE_METATYPE(portico::observe::RecordFilter)

namespace {

constexpr qint64 hourUs = qint64(3600) * 1000 * 1000;
const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;

/// A finished exchange with distinctive fields; `minutesAgo` sets its start.
std::shared_ptr<ExchangeRecord> makeRecord(quint64 id, const QByteArray &method,
    const QByteArray &host, const QByteArray &target, int status, qint64 startedUs = nowUs)
{
    auto r = std::make_shared<ExchangeRecord>();
    r->id = id;
    r->state = RecordState::Complete;
    r->startedUs = startedUs;
    r->method = method;
    r->host = host;
    r->target = target;
    r->status = status;
    r->originStatus = status;
    r->httpVersion = "HTTP/1.1";
    r->scheme = "http";
    r->router = QStringLiteral("%1@file").arg(QString::fromLatin1(host.split('.').first()));
    r->service = QStringLiteral("backend@file");
    r->entryPoint = QStringLiteral("web");
    r->clientAddress = QStringLiteral("127.0.0.1");
    r->clientPort = 40000;
    r->requestHeaders.add("Host", host);
    r->requestHeaders.add("User-Agent", "curl/7.88");
    r->responseHeaders.add("Content-Type", "text/plain");
    r->timing.total = 1500;
    return r;
}

QList<quint64> ids(const RecordBatch &batch)
{
    QList<quint64> out;
    for (const auto &r : batch)
        out << r->id;
    return out;
}

/// Writes `records` and waits until the writer thread committed them.
bool writeAndWait(HistoryStore &store, const RecordBatch &records)
{
    QSignalSpy written(&store, &HistoryStore::written);
    store.write(records);
    return written.wait(10000);
}

/// `PRAGMA <name>` of the SQLite file at `path`, read through a connection of its own.
qint64 pragma(const QString &path, const QString &name)
{
    qint64 value = -1;
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("pragma"));
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("PRAGMA ") + name) && query.next())
                value = query.value(0).toLongLong();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("pragma"));
    return value;
}

/// The data set of the search tests: hosts, paths, methods, statuses and times that differ.
RecordBatch searchSet()
{
    RecordBatch set;
    set.push_back(makeRecord(1, "GET", "shop.localhost", "/cart?item=42", 200, nowUs - 5 * hourUs));
    set.push_back(makeRecord(2, "POST", "shop.localhost", "/checkout", 302, nowUs - 4 * hourUs));
    set.push_back(makeRecord(3, "GET", "api.localhost", "/v1/users", 404, nowUs - 3 * hourUs));
    auto withBody = makeRecord(4, "PUT", "api.localhost", "/v1/users/7", 500, nowUs - 2 * hourUs);
    withBody->requestBody.data = "{\"name\":\"Zebra-Crossing\"}";
    withBody->requestBody.size = withBody->requestBody.data.size();
    set.push_back(withBody);
    auto withHeader = makeRecord(5, "GET", "docs.localhost", "/index.html", 200, nowUs - hourUs);
    withHeader->requestHeaders.add("X-Trace", "needle-in-header");
    withHeader->protocol = Protocol::Http2;
    set.push_back(withHeader);
    set.push_back(makeRecord(6, "DELETE", "API.localhost", "/v1/users/100%", 204, nowUs));
    return set;
}

} // namespace

class tst_ObserveHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void searchAfterRestart_data();
    void searchAfterRestart();
    void pagesByBeforeId();
    void roundTripsEveryField();
    void hubBatchesAreWrittenAndIdsContinueAfterRestart();
    void retentionBySizeDeletesTheOldest();
    void retentionByAgeDeletesTheOldest();
    void brokenFileIsMovedAside();
    void newerSchemaIsRefusedAndLeftAlone();
    void clearDeletesEverything();
    void staticConfigReadsHistory();
    void backlogOverflowIsCountedAndReported_data();
    void backlogOverflowIsCountedAndReported();
    void backlogBoundedByCaptureBudget();
    void writerThreadHasTheLowestPriority();

private:
    QTemporaryDir m_dir;
};

void tst_ObserveHistory::searchAfterRestart_data()
{
    QTest::addColumn<RecordFilter>("filter");
    QTest::addColumn<QList<quint64>>("expected");
    auto f = [](auto set) {
        RecordFilter filter;
        set(filter);
        return filter;
    };
    QTest::newRow("no filter: everything, newest first")
        << RecordFilter() << QList<quint64> { 6, 5, 4, 3, 2, 1 };
    QTest::newRow("host substring, case-insensitive")
        << f([](RecordFilter &x) { x.host = QStringLiteral("api"); }) << QList<quint64> { 6, 4, 3 };
    QTest::newRow("path substring")
        << f([](RecordFilter &x) { x.path = QStringLiteral("/v1/users/"); })
        << QList<quint64> { 6, 4 };
    QTest::newRow("path with a LIKE wildcard is literal")
        << f([](RecordFilter &x) { x.path = QStringLiteral("100%"); }) << QList<quint64> { 6 };
    QTest::newRow("method exact, any case")
        << f([](RecordFilter &x) { x.method = QStringLiteral("get"); })
        << QList<quint64> { 5, 3, 1 };
    QTest::newRow("status class 2xx") << f([](RecordFilter &x) {
        x.statusMin = 200;
        x.statusMax = 299;
    }) << QList<quint64> { 6, 5, 1 };
    QTest::newRow("status 404") << f([](RecordFilter &x) {
        x.statusMin = 404;
        x.statusMax = 404;
    }) << QList<quint64> { 3 };
    QTest::newRow("since/until window") << f([](RecordFilter &x) {
        x.sinceUs = nowUs - 4 * hourUs;
        x.untilUs = nowUs - 2 * hourUs; // exclusive
    }) << QList<quint64> { 3, 2 };
    QTest::newRow("router substring")
        << f([](RecordFilter &x) { x.router = QStringLiteral("shop@"); })
        << QList<quint64> { 2, 1 };
    QTest::newRow("protocol h2") << f([](RecordFilter &x) { x.protocol = QStringLiteral("h2"); })
                                 << QList<quint64> { 5 };
    QTest::newRow("text in the URL")
        << f([](RecordFilter &x) { x.text = QStringLiteral("item=42"); }) << QList<quint64> { 1 };
    QTest::newRow("text in a header value, any case")
        << f([](RecordFilter &x) { x.text = QStringLiteral("NEEDLE-in"); }) << QList<quint64> { 5 };
    QTest::newRow("text in a body")
        << f([](RecordFilter &x) { x.text = QStringLiteral("zebra-crossing"); })
        << QList<quint64> { 4 };
    QTest::newRow("combined: host and method") << f([](RecordFilter &x) {
        x.host = QStringLiteral("shop");
        x.method = QStringLiteral("POST");
    }) << QList<quint64> { 2 };
    QTest::newRow("nothing matches")
        << f([](RecordFilter &x) { x.host = QStringLiteral("nowhere"); }) << QList<quint64> {};
}

void tst_ObserveHistory::searchAfterRestart()
{
    QFETCH(RecordFilter, filter);
    QFETCH(QList<quint64>, expected);
    static int run = 0;
    const QString path = m_dir.filePath(QStringLiteral("search-%1.sqlite").arg(++run));
    {
        HistoryStore store(
            HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
        QVERIFY(store.open());
        QVERIFY(writeAndWait(store, searchSet()));
    }
    // A restart: a new store on the same file.
    HistoryStore reopened(HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
    QVERIFY(reopened.open());
    auto found = reopened.search(filter);
    QVERIFY2(found, qPrintable(found ? QString() : found.error().toString()));
    QCOMPARE(ids(*found), expected);
}

void tst_ObserveHistory::pagesByBeforeId()
{
    const QString path = m_dir.filePath(QStringLiteral("paging.sqlite"));
    HistoryStore store(HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
    QVERIFY(store.open());
    RecordBatch batch;
    for (quint64 id = 1; id <= 25; ++id)
        batch.push_back(makeRecord(id, "GET", "page.localhost", "/p", 200));
    QVERIFY(writeAndWait(store, batch));
    QList<quint64> seen;
    quint64 before = 0;
    for (int page = 0; page < 4; ++page) {
        auto found = store.search({}, before, 10);
        QVERIFY(found);
        QCOMPARE(int(found->size()), page < 2 ? 10 : page == 2 ? 5 : 0);
        if (found->empty())
            break;
        seen << ids(*found);
        before = found->back()->id;
    }
    QList<quint64> expected;
    for (quint64 id = 25; id >= 1; --id)
        expected << id;
    QCOMPARE(seen, expected);
}

void tst_ObserveHistory::roundTripsEveryField()
{
    const QString path = m_dir.filePath(QStringLiteral("roundtrip.sqlite"));
    auto r = makeRecord(77, "POST", "ws.localhost", "/socket?x=1", 101);
    r->state = RecordState::Aborted;
    r->protocol = Protocol::WebSocket;
    r->timing = Timing { 10, 20, 30, 40, 50 };
    r->tls = true;
    r->tlsVersion = "1.3";
    r->tlsCipher = "TLS_AES_128_GCM_SHA256";
    r->middlewares = QStringList { QStringLiteral("auth@file"), QStringLiteral("strip@file") };
    r->serverUrl = QStringLiteral("http://127.0.0.1:8080");
    r->retryAttempts = 2;
    r->clientUsername = QStringLiteral("alice");
    r->forwardedTarget = "/socket";
    r->forwardedRequestHeaders.add("X-Forwarded-For", "127.0.0.1");
    r->requestBody = CapturedBody { QByteArray("\x00\x01binary\xff", 9), 4096, true, false };
    r->responseBody = CapturedBody { QByteArray(), 0, false, false };
    r->originResponseHeaders.add("Upgrade", "websocket");
    r->originDurationUs = 45;
    r->originContentSize = 12;
    r->messages.push_back(MessageRecord { false, 5, 1, "hello", false });
    r->messages.push_back(MessageRecord { true, 9, 2, QByteArray("\x01\x02", 2), true });
    r->messagesTruncated = true;
    r->error = QStringLiteral("client went away");
    HistoryStore store(HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
    QVERIFY(store.open());
    QVERIFY(writeAndWait(store, { r }));

    auto loaded = store.record(77);
    QVERIFY(loaded);
    QVERIFY(*loaded);
    const ExchangeRecord &l = **loaded;
    QCOMPARE(int(l.state), int(RecordState::Aborted));
    QCOMPARE(int(l.protocol), int(Protocol::WebSocket));
    QCOMPARE(l.timing.total, 50);
    QCOMPARE(l.timing.upstreamConnect, 30);
    QCOMPARE(l.tlsCipher, QByteArray("TLS_AES_128_GCM_SHA256"));
    QCOMPARE(l.middlewares, r->middlewares);
    QCOMPARE(l.retryAttempts, 2);
    QCOMPARE(l.clientUsername, QStringLiteral("alice"));
    QCOMPARE(l.requestHeaders.value("user-agent"), QByteArray("curl/7.88"));
    QCOMPARE(l.forwardedRequestHeaders.value("x-forwarded-for"), QByteArray("127.0.0.1"));
    QCOMPARE(l.originResponseHeaders.value("upgrade"), QByteArray("websocket"));
    QCOMPARE(l.requestBody.data, r->requestBody.data);
    QCOMPARE(l.requestBody.size, 4096);
    QVERIFY(l.requestBody.truncated);
    QCOMPARE(l.originContentSize, 12);
    QCOMPARE(int(l.messages.size()), 2);
    QCOMPARE(l.messages[1].data, QByteArray("\x01\x02", 2));
    QVERIFY(l.messages[1].toClient && l.messages[1].truncated);
    QCOMPARE(l.messages[0].atUs, 5);
    QVERIFY(l.messagesTruncated);
    QCOMPARE(l.error, r->error);
    // A listing leaves the bodies and messages out; the sizes stay.
    auto listed = store.search({});
    QVERIFY(listed);
    QCOMPARE(int(listed->size()), 1);
    QVERIFY(listed->front()->requestBody.data.isEmpty());
    QCOMPARE(listed->front()->requestBody.size, 4096);
    QVERIFY(listed->front()->messages.empty());
    auto missing = store.record(78);
    QVERIFY(missing);
    QVERIFY(!*missing);
}

void tst_ObserveHistory::hubBatchesAreWrittenAndIdsContinueAfterRestart()
{
    const QString path = m_dir.filePath(QStringLiteral("hub.sqlite"));
    const HistorySettings settings { true, path, qint64(64) << 20, std::chrono::hours(24) };
    quint64 lastId = 0;
    {
        CaptureHub hub;
        HistoryStore store(settings);
        QVERIFY(store.open());
        store.attach(hub);
        QSignalSpy written(&store, &HistoryStore::written);
        for (int i = 0; i < 3; ++i) {
            auto r = makeRecord(hub.nextId(), "GET", "hub.localhost", "/n", 200);
            r->state = RecordState::InProgress;
            hub.publish(r); // an update in progress: not written
            auto done = std::make_shared<ExchangeRecord>(*r);
            done->state = RecordState::Complete;
            done->status = 201;
            hub.publish(done);
            lastId = r->id;
        }
        auto orphan = makeRecord(hub.nextId(), "GET", "hub.localhost", "/still-running", 0);
        orphan->state = RecordState::InProgress;
        hub.publish(orphan);
        QTRY_COMPARE_WITH_TIMEOUT(store.newestId(), lastId, 10000);
        auto stored = store.search({});
        QVERIFY(stored);
        QCOMPARE(int(stored->size()), 3);
        for (const auto &r : *stored) {
            QCOMPARE(r->status, 201);
            QCOMPARE(int(r->state), int(RecordState::Complete));
        }
    }
    CaptureHub restarted;
    HistoryStore store(settings);
    QVERIFY(store.open());
    store.attach(restarted);
    QCOMPARE(restarted.nextId(), lastId + 1);
}

void tst_ObserveHistory::retentionBySizeDeletesTheOldest()
{
    const QString path = m_dir.filePath(QStringLiteral("size.sqlite"));
    const qint64 maxBytes = 256 * 1024;
    HistoryStore store(HistorySettings { true, path, maxBytes, std::chrono::hours(24) });
    QVERIFY(store.open());
    for (int chunk = 0; chunk < 4; ++chunk) {
        RecordBatch batch;
        for (int i = 1; i <= 50; ++i) {
            auto r = makeRecord(quint64(chunk * 50 + i), "GET", "big.localhost", "/b", 200);
            r->responseBody.data = QByteArray(8 * 1024, char('a' + i % 26));
            r->responseBody.size = r->responseBody.data.size();
            batch.push_back(r);
        }
        QVERIFY(writeAndWait(store, batch));
    }
    // Incremental vacuum hands freed pages back; it has to be chosen before the first table.
    QCOMPARE(pragma(path, QStringLiteral("auto_vacuum")), 2);
    QCOMPARE(pragma(path, QStringLiteral("user_version")), 1);
    // 200 records of 8 KiB: about 1.6 MiB before retention (the writer ran it once already).
    store.applyRetention();
    QVERIFY2(QFileInfo(path).size() <= maxBytes,
        qPrintable(QStringLiteral("%1 bytes").arg(QFileInfo(path).size())));
    auto kept = store.search({}, 0, 1000);
    QVERIFY(kept);
    QVERIFY(!kept->empty());
    QVERIFY2(kept->size() < 40, qPrintable(QString::number(kept->size())));
    // The newest survive, contiguously: only the oldest went.
    QCOMPARE(kept->front()->id, quint64(200));
    QCOMPARE(kept->back()->id, quint64(200 - kept->size() + 1));
}

void tst_ObserveHistory::retentionByAgeDeletesTheOldest()
{
    const QString path = m_dir.filePath(QStringLiteral("age.sqlite"));
    HistoryStore store(
        HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24 * 7) });
    QVERIFY(store.open());
    QVERIFY(writeAndWait(store,
        { makeRecord(1, "GET", "old.localhost", "/", 200, nowUs - 10 * 24 * hourUs),
            makeRecord(2, "GET", "old.localhost", "/", 200, nowUs - 8 * 24 * hourUs),
            makeRecord(3, "GET", "new.localhost", "/", 200, nowUs - 6 * 24 * hourUs),
            makeRecord(4, "GET", "new.localhost", "/", 200, nowUs) }));
    store.applyRetention();
    auto kept = store.search({});
    QVERIFY(kept);
    QCOMPARE(ids(*kept), (QList<quint64> { 4, 3 }));
}

void tst_ObserveHistory::brokenFileIsMovedAside()
{
    const QString path = m_dir.filePath(QStringLiteral("broken.sqlite"));
    const QByteArray garbage(8192, 'x');
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(garbage);
    }
    HistoryStore store(HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
    QTest::ignoreMessage(
        QtCriticalMsg, QRegularExpression(QStringLiteral("not a usable database")));
    auto opened = store.open();
    QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().toString()));
    QVERIFY(store.movedAsidePath().startsWith(path + QStringLiteral(".broken-")));
    QFile moved(store.movedAsidePath());
    QVERIFY(moved.open(QIODevice::ReadOnly));
    QCOMPARE(moved.readAll(), garbage);
    // The new history works.
    QVERIFY(writeAndWait(store, { makeRecord(1, "GET", "fresh.localhost", "/", 200) }));
    QCOMPARE(store.newestId(), quint64(1));
}

void tst_ObserveHistory::newerSchemaIsRefusedAndLeftAlone()
{
    const QString path = m_dir.filePath(QStringLiteral("newer.sqlite"));
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("newer"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version = 99"));
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("newer"));
    const QByteArray before = [&] {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    HistoryStore store(HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
    auto opened = store.open();
    QVERIFY(!opened);
    QVERIFY2(opened.error().message.contains(QStringLiteral("schema version 99 is newer")),
        qPrintable(opened.error().toString()));
    QVERIFY(store.movedAsidePath().isEmpty());
    QFile after(path);
    QVERIFY(after.open(QIODevice::ReadOnly));
    QCOMPARE(after.readAll(), before);
}

void tst_ObserveHistory::clearDeletesEverything()
{
    const QString path = m_dir.filePath(QStringLiteral("clear.sqlite"));
    HistoryStore store(HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
    QVERIFY(store.open());
    QVERIFY(writeAndWait(store, searchSet()));
    QCOMPARE(store.newestId(), quint64(6));
    QVERIFY(store.clear());
    QCOMPARE(store.newestId(), quint64(0));
    auto none = store.search({});
    QVERIFY(none);
    QVERIFY(none->empty());
}

void tst_ObserveHistory::staticConfigReadsHistory()
{
    auto loaded = config::parseStaticConfig(
        "portico:\n  capture:\n    history:\n      enabled: false\n"
        "      path: /tmp/h.sqlite\n      maxSize: 2MiB\n      maxAge: 48h\n",
        QStringLiteral("static.yaml"));
    QVERIFY2(
        loaded.ok(), loaded.errors.empty() ? "" : qPrintable(loaded.errors.front().toString()));
    const config::HistorySpec &h = loaded.config.capture.history;
    QCOMPARE(h.enabled, false);
    QCOMPARE(h.path, QStringLiteral("/tmp/h.sqlite"));
    QCOMPARE(h.maxSize, qint64(2) << 20);
    QCOMPARE(qint64(h.maxAge.count()), qint64(48) * 3600 * 1000);
}

void tst_ObserveHistory::backlogOverflowIsCountedAndReported_data()
{
    QTest::addColumn<int>("maxBacklog");
    QTest::addColumn<int>("records"); // written in one batch, before the writer can take any
    QTest::addColumn<int>("written");
    QTest::newRow("backlog holds the batch") << 1000 << 100 << 100;
    QTest::newRow("backlog exactly full") << 100 << 100 << 100;
    QTest::newRow("overflow is dropped and counted") << 10 << 100 << 10;
}

/// A writer that falls behind drops what does not fit, says so in status() and in the log, and
/// writes again once it caught up.
void tst_ObserveHistory::backlogOverflowIsCountedAndReported()
{
    QFETCH(int, maxBacklog);
    QFETCH(int, records);
    QFETCH(int, written);
    const QString path = m_dir.filePath(QStringLiteral("backlog-%1.sqlite").arg(maxBacklog));
    HistoryStore store(HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
    store.setMaxBacklog(size_t(maxBacklog));
    QVERIFY(store.open());
    RecordBatch batch;
    for (int i = 1; i <= records; ++i)
        batch.push_back(makeRecord(quint64(i), "GET", "flood.localhost", "/n", 200));
    const int dropped = records - written;
    if (dropped > 0) // one error with the count, not one per record
        QTest::ignoreMessage(QtCriticalMsg,
            QRegularExpression(QStringLiteral("^history: %1 records not written so far: the "
                                              "writer fell behind \\(backlog of %2 records")
                                   .arg(dropped)
                                   .arg(maxBacklog)));
    store.write(batch);
    QCOMPARE(store.status().dropped, quint64(dropped));
    QTRY_COMPARE_WITH_TIMEOUT(store.status().written, quint64(written), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(store.status().backlog, size_t(0), 10000);
    auto stored = store.search({}, 0, 1000);
    QVERIFY(stored);
    QCOMPARE(int(stored->size()), written);
    QCOMPARE(stored->back()->id, quint64(1)); // the first ones got in, the overflow did not

    // Caught up: new records are written again; the drop count stays.
    QVERIFY(writeAndWait(store, { makeRecord(quint64(records + 1), "GET", "a", "/later", 200) }));
    QCOMPARE(store.newestId(), quint64(records + 1));
    QCOMPARE(store.status().written, quint64(written + 1));
    QCOMPARE(store.status().dropped, quint64(dropped));
}

/// Waiting records hold memory the ring may already have given back (evicted, or stripped of
/// their bodies): the backlog holds at most an eighth of the capture budget, following changes.
void tst_ObserveHistory::backlogBoundedByCaptureBudget()
{
    const QString path = m_dir.filePath(QStringLiteral("backlog-bytes.sqlite"));
    HistoryStore store(HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
    QVERIFY(store.open());
    CaptureSettings settings;
    settings.budgetBytes = qint64(1) << 20; // 128 KiB for the backlog
    CaptureHub hub(settings);
    store.attach(hub);
    const auto largeBatch = [](quint64 firstId) {
        RecordBatch batch;
        for (quint64 id = firstId; id < firstId + 100; ++id) {
            auto r = makeRecord(id, "GET", "big.localhost", "/large", 200);
            r->responseBody.data = QByteArray(10 * 1024, 'x');
            r->responseBody.size = r->responseBody.data.size();
            batch.push_back(r);
        }
        return batch;
    };
    const RecordBatch batch = largeBatch(1);
    const qint64 cost = batch.front()->byteCost();
    QVERIFY(cost > 10 * 1024);
    const int fits = int((qint64(128) << 10) / cost);
    QTest::ignoreMessage(QtCriticalMsg,
        QRegularExpression(QStringLiteral("^history: %1 records not written so far: the writer "
                                          "fell behind \\(backlog of 50000 records or 128 KiB "
                                          "full\\)")
                               .arg(100 - fits)));
    store.write(batch); // in one call: the writer takes none before the bound applies
    QCOMPARE(store.status().dropped, quint64(100 - fits));
    QTRY_COMPARE_WITH_TIMEOUT(store.status().written, quint64(fits), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(store.status().backlog, size_t(0), 10000);

    settings.budgetBytes = qint64(16) << 20; // 2 MiB: the whole batch fits
    hub.setSettings(settings);
    store.write(largeBatch(101));
    QCOMPARE(store.status().dropped, quint64(100 - fits));
    QTRY_COMPARE_WITH_TIMEOUT(store.status().written, quint64(fits + 100), 10000);
}

/// Under load the engines come first (Linux: the writer thread runs SCHED_IDLE, nice 19).
void tst_ObserveHistory::writerThreadHasTheLowestPriority()
{
#ifndef Q_OS_LINUX
    QSKIP("thread nice values are read from /proc");
#else
    const QString path = m_dir.filePath(QStringLiteral("priority.sqlite"));
    HistoryStore store(HistorySettings { true, path, qint64(64) << 20, std::chrono::hours(24) });
    QVERIFY(store.open());
    QVERIFY(writeAndWait(store, searchSet()));
    int found = 0;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &task : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile comm(tasks.filePath(task + QStringLiteral("/comm")));
        QFile stat(tasks.filePath(task + QStringLiteral("/stat")));
        if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != "history"
            || !stat.open(QIODevice::ReadOnly))
            continue;
        // Fields after the parenthesised name: state is the 3rd field, nice the 19th, the
        // scheduling policy the 41st.
        const QByteArray line = stat.readAll();
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        QCOMPARE(fields.value(19 - 3).toInt(), 19);
        QCOMPARE(fields.value(41 - 3).toInt(), int(SCHED_IDLE));
        ++found;
    }
    QCOMPARE(found, 1);
#endif
}

QTEST_GUILESS_MAIN(tst_ObserveHistory)
#include "tst_observe_history.moc"
