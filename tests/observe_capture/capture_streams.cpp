// WebSocket messages and SSE events recorded through the proxy.
#include "tests/observe_capture/tst_observe_capture.h"
#include "tests/testkit/http_server.h"
#include "tests/testkit/wait.h"

#include <QTcpServer>
#include <QTcpSocket>

using namespace portico;
using namespace portico::testkit;
using observe::RecordPtr;

namespace {

/// One WebSocket frame (RFC 6455 §5.2); masked as a client must, with a fixed key.
QByteArray frame(bool fin, int opcode, const QByteArray &payload, bool masked)
{
    QByteArray out;
    out.append(char((fin ? 0x80 : 0) | opcode));
    const char maskBit = masked ? char(0x80) : char(0);
    if (payload.size() < 126) {
        out.append(char(maskBit | char(payload.size())));
    } else {
        out.append(char(maskBit | 126));
        out.append(char(payload.size() >> 8));
        out.append(char(payload.size() & 0xff));
    }
    if (!masked)
        return out + payload;
    const char key[4] = { 0x11, 0x22, 0x33, 0x44 };
    out.append(key, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ key[i % 4]));
    return out;
}

/// Parses one complete client frame from the front of `in`; false when it is not all there.
bool takeFrame(QByteArray &in, int &opcode, QByteArray &payload)
{
    if (in.size() < 2)
        return false;
    opcode = in[0] & 0x0f;
    qsizetype length = in[1] & 0x7f;
    qsizetype at = 2;
    if (length == 126) {
        if (in.size() < 4)
            return false;
        length = (quint8(in[2]) << 8) | quint8(in[3]);
        at = 4;
    }
    if (in.size() < at + 4 + length)
        return false;
    const QByteArray key = in.mid(at, 4);
    payload = in.mid(at + 4, length);
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char(payload[i] ^ key[i % 4]);
    in.remove(0, at + 4 + length);
    return true;
}

/// A WebSocket server for one connection: 101, then every data frame is echoed as `echo:` +
/// payload (same opcode, continuation → text); a close frame is answered and the socket closed.
class EchoWebSocketServer : public QObject
{
public:
    EchoWebSocketServer()
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
        });
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    void onRead(QTcpSocket *socket)
    {
        m_in += socket->readAll();
        if (!m_upgraded) {
            const qsizetype end = m_in.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            m_in.remove(0, end + 4);
            m_upgraded = true;
            socket->write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Accept: test\r\n\r\n");
        }
        int opcode = 0;
        QByteArray payload;
        while (takeFrame(m_in, opcode, payload)) {
            if (opcode == 8) {
                socket->write(frame(true, 8, {}, false));
                socket->disconnectFromHost();
                return;
            }
            if (opcode <= 2)
                socket->write(frame(true, opcode == 0 ? 1 : opcode, "echo:" + payload, false));
        }
    }

    QTcpServer m_server;
    QByteArray m_in;
    bool m_upgraded = false;
};

std::vector<observe::MessageRecord> direction(const observe::ExchangeRecord &r, bool toClient)
{
    std::vector<observe::MessageRecord> out;
    for (const auto &m : r.messages) {
        if (m.toClient == toClient)
            out.push_back(m);
    }
    return out;
}

} // namespace

void tst_ObserveCapture::webSocketMessages()
{
    EchoWebSocketServer backend;
    QVERIFY(backend.port() != 0);
    observe::CaptureSettings settings;
    settings.messageCap = 100;
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
                           { TestRoute(QStringLiteral("PathPrefix(`/`)"),
                               { QStringLiteral("http://127.0.0.1:%1").arg(backend.port()) }) }),
        settings);
    QVERIFY(proxy.ok());

    QTcpSocket client;
    QByteArray received;
    QObject::connect(&client, &QTcpSocket::readyRead, [&] { received += client.readAll(); });
    client.connectToHost(QHostAddress::LocalHost, proxy.port());
    QVERIFY(waitUntil([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    client.write("GET /chat HTTP/1.1\r\nHost: app.test\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n");
    QVERIFY(waitUntil([&] { return received.contains("\r\n\r\n"); }));
    QVERIFY(received.startsWith("HTTP/1.1 101"));
    // Live views see the open WebSocket before it ends.
    QVERIFY(waitUntil([&] { return !proxy.published().empty(); }));
    QCOMPARE(proxy.published().front()->state, observe::RecordState::InProgress);
    QCOMPARE(proxy.published().front()->protocol, observe::Protocol::WebSocket);

    const QByteArray binary(200, 'z');
    client.write(frame(false, 1, "hel", true) + frame(true, 9, "p", true)
        + frame(true, 0, "lo", true) + frame(true, 2, binary, true));
    QVERIFY(waitUntil([&] { return received.contains("echo:lo") && received.size() > 200; }));
    client.write(frame(true, 8, {}, true));
    const RecordPtr r = proxy.waitFinished();
    QVERIFY(r);
    QCOMPARE(r->state, observe::RecordState::Complete);
    QCOMPARE(r->protocol, observe::Protocol::WebSocket);
    QCOMPARE(r->status, 101);

    const auto fromClient = direction(*r, false);
    QCOMPARE(fromClient.size(), size_t(4));
    QCOMPARE(fromClient[0].opcode, 9); // the ping arrived inside the fragmented message
    QCOMPARE(fromClient[0].data, QByteArray("p"));
    QCOMPARE(fromClient[1].opcode, 1);
    QCOMPARE(fromClient[1].data, QByteArray("hello")); // continuation joined, unmasked
    QCOMPARE(fromClient[2].opcode, 2);
    QCOMPARE(fromClient[2].data, binary.left(100)); // messageCap
    QVERIFY(fromClient[2].truncated);
    QCOMPARE(fromClient[3].opcode, 8);

    const auto toClient = direction(*r, true);
    QCOMPARE(toClient.size(), size_t(4));
    QCOMPARE(toClient[0].data, QByteArray("echo:hel"));
    QCOMPARE(toClient[1].data, QByteArray("echo:lo"));
    QCOMPARE(toClient[2].opcode, 2);
    QVERIFY(toClient[2].truncated);
    QCOMPARE(toClient[3].opcode, 8);
    QVERIFY(fromClient[1].atUs <= toClient[1].atUs);
    QVERIFY(!r->messagesTruncated);
}

void tst_ObserveCapture::sseEvents_data()
{
    QTest::addColumn<int>("maxMessages");
    QTest::addColumn<QByteArrayList>("expected");
    QTest::addColumn<bool>("messagesTruncated");
    QTest::newRow("all kept") << 1000
                              << QByteArrayList { "data: one", "data: two\nid: 2", ": keep-alive" }
                              << false;
    QTest::newRow("bounded: the newest stay")
        << 2 << QByteArrayList { "data: two\nid: 2", ": keep-alive" } << true;
}

void tst_ObserveCapture::sseEvents()
{
    QFETCH(int, maxMessages);
    QFETCH(QByteArrayList, expected);
    QFETCH(bool, messagesTruncated);
    const QByteArray stream = "data: one\n\ndata: two\r\nid: 2\r\n\r\n: keep-alive\n\n";
    HttpServer backend([&](const ReceivedRequest &, QTcpSocket *socket) {
        HeaderList headers;
        headers.add("Content-Type", "text/event-stream");
        HttpServer::respond(socket, 200, stream, headers);
    });
    QVERIFY(backend.listen());
    observe::CaptureSettings settings;
    settings.maxMessages = maxMessages;
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
                           { TestRoute(QStringLiteral("PathPrefix(`/`)"), { backend.url() }) }),
        settings);
    QVERIFY(proxy.ok());
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, proxy.port());
    QVERIFY(waitUntil([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    client.write("GET /events HTTP/1.1\r\nHost: app.test\r\nAccept: text/event-stream\r\n\r\n");
    const RecordPtr r = proxy.waitFinished();
    QVERIFY(r);
    QCOMPARE(r->protocol, observe::Protocol::Sse);
    QCOMPARE(r->responseBody.data, stream);
    QByteArrayList events;
    for (const auto &m : r->messages) {
        QVERIFY(m.toClient);
        QCOMPARE(m.opcode, 0);
        events << m.data;
    }
    QCOMPARE(events, expected);
    QCOMPARE(r->messagesTruncated, messagesTruncated);
    QVERIFY(proxy.published().size() >= 2); // InProgress at the head, then Complete
    QCOMPARE(proxy.published().front()->state, observe::RecordState::InProgress);
}

void tst_ObserveCapture::grpcByContentType()
{
    HttpServer backend([](const ReceivedRequest &, QTcpSocket *socket) {
        HeaderList headers;
        headers.add("Content-Type", "application/grpc");
        HttpServer::respond(socket, 200, QByteArray("\0\0\0\0\0", 5), headers);
    });
    QVERIFY(backend.listen());
    CaptureProxy proxy(makeRoutingTable(QStringLiteral("web"),
        { TestRoute(QStringLiteral("PathPrefix(`/`)"), { backend.url() }) }));
    QVERIFY(proxy.ok());
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, proxy.port());
    QVERIFY(waitUntil([&] { return client.state() == QAbstractSocket::ConnectedState; }));
    client.write("POST /pkg.Svc/Call HTTP/1.1\r\nHost: app.test\r\n"
                 "Content-Type: application/grpc+proto\r\nContent-Length: 5\r\n\r\n"
        + QByteArray(5, '\0'));
    const RecordPtr r = proxy.waitFinished();
    QVERIFY(r);
    QCOMPARE(r->protocol, observe::Protocol::Grpc);
    QCOMPARE(observe::protocolName(r->protocol), QStringLiteral("grpc"));
}
