#include "h2_test_server.h"

#include <QTcpSocket>

#include <algorithm>
#include <map>
#include <nghttp2/nghttp2.h>

namespace portico::testkit {

/// One stream: collects the request, serves the reply body as the client's window allows.
class H2TestServer::TestStream final : public http::H2ServerStream
{
public:
    TestStream(Connection &connection, int32_t id)
        : H2ServerStream(id, 1 << 20)
        , m_connection(connection)
    { }

    void onRequestHead(bool) override { }
    void onRequestData(QByteArrayView data) override;
    void onRequestEnd() override;
    void onClosed(uint32_t) override;
    size_t responseAvailable() const override
    {
        if (m_reply.resetAfterHead)
            return m_sent < 1000 ? size_t(1000 - m_sent) : 0;
        return size_t(total() - m_sent);
    }
    bool responseEnded() const override { return !m_reply.resetAfterHead; }
    const HeaderList *responseTrailers() const override { return &m_reply.trailers; }
    void writeResponse(http::H2Output &out, size_t n) override;

    qint64 total() const
    {
        return m_reply.generatedSize > 0 ? m_reply.generatedSize : m_reply.body.size();
    }
    H2Reply m_reply;
    QByteArray m_body;
    qint64 m_sent = 0;
    Connection &m_connection;
};

/// One accepted connection driving an H2ServerSession.
class H2TestServer::Connection final : public http::H2StreamFactory, public http::H2Output
{
public:
    Connection(H2TestServer &server, QTcpSocket *socket, int number)
        : m_server(server)
        , m_socket(socket)
        , m_number(number)
    {
        http::H2Settings settings;
        settings.maxConcurrentStreams = server.m_maxStreams;
        m_session = std::make_unique<http::H2ServerSession>(*this, *this, settings);
        m_session->start();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this] { onReadyRead(); });
        QObject::connect(socket, &QTcpSocket::bytesWritten, socket, [this] { pump(); });
        QObject::connect(
            socket, &QTcpSocket::disconnected, socket, [this] { ++m_server.m_closed; });
        pump();
    }
    ~Connection() override
    {
        m_streams.clear();
        m_session.reset();
        // The socket outlives this connection until deleteLater() runs (or the server deletes it
        // as a child and it emits disconnected() while closing): its signals must not reach us.
        m_socket->disconnect();
        m_socket->deleteLater();
    }

    http::H2ServerStream *createStream(int32_t id) override
    {
        if (m_server.m_refuse > 0) {
            --m_server.m_refuse;
            return nullptr;
        }
        auto stream = std::make_unique<TestStream>(*this, id);
        TestStream *raw = stream.get();
        m_streams[id] = std::move(stream);
        m_server.m_maxOpen = std::max(m_server.m_maxOpen, ++m_server.m_open);
        return raw;
    }
    void onProtocolError(QByteArrayView) override { }
    bool outputFull() const override { return m_socket->bytesToWrite() > 256 * 1024; }
    void write(QByteArrayView bytes) override { m_socket->write(bytes.data(), bytes.size()); }

    void onReadyRead()
    {
        const QByteArray bytes = m_socket->readAll();
        if (!m_session->receive(bytes))
            m_socket->abort();
        pump();
    }
    void pump()
    {
        if (m_session)
            m_session->send();
    }
    void requestDone(TestStream &stream)
    {
        H2ReceivedRequest request;
        request.method = stream.request().method;
        request.target = stream.request().target;
        request.headers = stream.request().headers;
        request.body = stream.m_body;
        request.trailers = stream.requestTrailers();
        request.connection = m_number;
        m_server.m_requests.push_back(request);
        ++m_taken;
        if (m_server.m_goawayAfter >= 0 && m_taken >= m_server.m_goawayAfter) {
            m_server.m_goawayAfter = -1;
            m_session->shutdown();
        }
        if (m_server.m_hold)
            m_held.push_back(stream.id());
        else
            reply(stream, request);
    }
    void reply(TestStream &stream, const H2ReceivedRequest &request)
    {
        stream.m_reply = m_server.m_handler(request);
        const bool hasBody = stream.total() > 0 || !stream.m_reply.trailers.isEmpty()
            || stream.m_reply.resetAfterHead;
        m_session->submitResponse(stream, stream.m_reply.status, stream.m_reply.headers, hasBody);
        pump();
        if (stream.m_reply.resetAfterHead) {
            m_session->resetStream(stream, NGHTTP2_INTERNAL_ERROR);
            pump();
        }
    }
    void releaseHeld()
    {
        const std::vector<int32_t> held = std::move(m_held);
        m_held.clear();
        for (int32_t id : held) {
            auto it = m_streams.find(id);
            if (it == m_streams.end())
                continue;
            const auto match = std::find_if(m_server.m_requests.rbegin(),
                m_server.m_requests.rend(), [&](const H2ReceivedRequest &r) {
                    return r.connection == m_number && r.target == it->second->request().target;
                });
            reply(*it->second, match != m_server.m_requests.rend() ? *match : H2ReceivedRequest {});
        }
    }
    void closed(int32_t id)
    {
        --m_server.m_open;
        // Deleted later: nghttp2 is on the call stack with this stream.
        auto it = m_streams.find(id);
        if (it != m_streams.end()) {
            m_dead.push_back(std::move(it->second));
            m_streams.erase(it);
        }
    }

    H2TestServer &m_server;
    QTcpSocket *m_socket;
    int m_number;
    int m_taken = 0;
    std::unique_ptr<http::H2ServerSession> m_session;
    std::map<int32_t, std::unique_ptr<TestStream>> m_streams;
    std::vector<std::unique_ptr<TestStream>> m_dead;
    std::vector<int32_t> m_held;
};

void H2TestServer::TestStream::onRequestData(QByteArrayView data)
{
    m_body.append(data.data(), data.size());
    m_connection.m_session->consumeStream(*this, size_t(data.size()));
}

void H2TestServer::TestStream::onRequestEnd()
{
    m_connection.requestDone(*this);
}

void H2TestServer::TestStream::onClosed(uint32_t)
{
    m_connection.closed(id());
}

void H2TestServer::TestStream::writeResponse(http::H2Output &out, size_t n)
{
    if (m_reply.generatedSize > 0 || m_reply.resetAfterHead) {
        QByteArray chunk(qsizetype(n), Qt::Uninitialized);
        for (size_t i = 0; i < n; ++i)
            chunk[qsizetype(i)] = char('a' + (m_sent + qint64(i)) % 23);
        out.write(chunk);
    } else {
        out.write(QByteArrayView(m_reply.body).sliced(qsizetype(m_sent), qsizetype(n)));
    }
    m_sent += qint64(n);
    m_connection.m_server.m_bodySent += qint64(n);
}

H2TestServer::H2TestServer(Handler handler, uint32_t maxConcurrentStreams)
    : m_handler(std::move(handler))
    , m_maxStreams(maxConcurrentStreams)
{
    connect(&m_server, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = m_server.nextPendingConnection()) {
            ++m_accepts;
            m_connections.push_back(std::make_unique<Connection>(*this, socket, m_accepts));
        }
    });
}

H2TestServer::~H2TestServer()
{
    m_connections.clear();
}

bool H2TestServer::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

QString H2TestServer::url() const
{
    return QStringLiteral("h2c://127.0.0.1:%1").arg(port());
}

void H2TestServer::release()
{
    m_hold = false;
    for (auto &c : m_connections)
        c->releaseHeld();
}

void H2TestServer::dropConnections()
{
    for (auto &c : m_connections)
        c->m_socket->abort();
}

} // namespace portico::testkit
