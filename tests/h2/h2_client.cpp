#include "tests/h2/h2_client.h"

#include "tests/testkit/http_server.h"
#include "tests/testkit/wait.h"

#include <nghttp2/nghttp2.h>

namespace portico::testkit {

namespace {

QByteArray bytesOf(const uint8_t *data, size_t len)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(len));
}

nghttp2_nv nv(const QByteArray &name, const QByteArray &value)
{
    return { reinterpret_cast<uint8_t *>(const_cast<char *>(name.constData())),
        reinterpret_cast<uint8_t *>(const_cast<char *>(value.constData())), size_t(name.size()),
        size_t(value.size()), NGHTTP2_NV_FLAG_NONE };
}

} // namespace

struct H2Client::Callbacks
{
    static H2Client &self(void *user) { return *static_cast<H2Client *>(user); }

    static int header(nghttp2_session *, const nghttp2_frame *frame, const uint8_t *name,
        size_t nameLen, const uint8_t *value, size_t valueLen, uint8_t, void *user)
    {
        H2Response &r = self(user).m_responses[frame->hd.stream_id];
        const QByteArray n = bytesOf(name, nameLen);
        const QByteArray v = bytesOf(value, valueLen);
        if (n == ":status") {
            if (r.status >= 100 && r.status < 200)
                r.interim.push_back(r.status);
            r.status = v.toInt();
            r.headers.clear();
        } else if (r.headComplete) {
            r.trailers.add(n, v);
        } else {
            r.headers.add(n, v);
        }
        return 0;
    }

    static int data(
        nghttp2_session *, uint8_t, int32_t id, const uint8_t *data, size_t len, void *user)
    {
        H2Response &r = self(user).m_responses[id];
        r.body.append(reinterpret_cast<const char *>(data), qsizetype(len));
        r.bodySize += qint64(len);
        return 0;
    }

    static int closed(nghttp2_session *, int32_t id, uint32_t errorCode, void *user)
    {
        H2Response &r = self(user).m_responses[id];
        r.closed = true;
        r.errorCode = errorCode;
        return 0;
    }

    static int frame(nghttp2_session *, const nghttp2_frame *frame, void *user)
    {
        if (frame->hd.type == NGHTTP2_GOAWAY)
            self(user).m_goaway = true;
        H2Response &r = self(user).m_responses[frame->hd.stream_id];
        if (frame->hd.type == NGHTTP2_HEADERS && r.status >= 200)
            r.headComplete = true;
        return 0;
    }

    static ssize_t upload(nghttp2_session *, int32_t id, uint8_t *buf, size_t length,
        uint32_t *flags, nghttp2_data_source *, void *user)
    {
        H2Client &c = self(user);
        qint64 &left = c.m_uploadLeft[id];
        H2Response &r = c.m_responses[id];
        const size_t n = size_t(std::min<qint64>(qint64(length), left));
        for (size_t i = 0; i < n; ++i)
            buf[i] = uint8_t(HttpServer::patternByte(r.uploaded + qint64(i)));
        r.uploaded += qint64(n);
        left -= qint64(n);
        if (left == 0)
            *flags |= NGHTTP2_DATA_FLAG_EOF;
        return ssize_t(n);
    }
};

H2Client::H2Client(Options options)
    : m_options(options)
{
    nghttp2_session_callbacks *cb = nullptr;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(cb, &Callbacks::header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, &Callbacks::data);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, &Callbacks::closed);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, &Callbacks::frame);
    nghttp2_option *option = nullptr;
    nghttp2_option_new(&option);
    if (options.manualWindow)
        nghttp2_option_set_no_auto_window_update(option, 1);
    nghttp2_session_client_new2(&m_session, cb, this, option);
    nghttp2_option_del(option);
    nghttp2_session_callbacks_del(cb);
    connect(&m_socket, &QTcpSocket::readyRead, this, &H2Client::onReadyRead);
    connect(&m_socket, &QTcpSocket::bytesWritten, this, [this] { flush(); });
}

H2Client::~H2Client()
{
    nghttp2_session_del(m_session);
}

bool H2Client::connectTo(quint16 port)
{
    m_socket.connectToHost(QHostAddress::LocalHost, port);
    if (!waitUntil([&] { return m_socket.state() == QAbstractSocket::ConnectedState; }))
        return false;
    const nghttp2_settings_entry entries[] = {
        { NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, m_options.initialWindow },
    };
    nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, entries, 1);
    // The connection window is large: tests throttle single streams, not the connection.
    nghttp2_session_set_local_window_size(m_session, NGHTTP2_FLAG_NONE, 0, 64 << 20);
    flush();
    return true;
}

int32_t H2Client::request(const QByteArray &method, const QByteArray &path,
    const std::vector<HeaderField> &headers, qint64 uploadSize)
{
    static const QByteArray kMethod(":method"), kPath(":path"), kScheme(":scheme"),
        kAuthority(":authority"), kHttp("http"), kHost("app.localhost");
    std::vector<nghttp2_nv> list { nv(kMethod, method), nv(kPath, path), nv(kScheme, kHttp),
        nv(kAuthority, kHost) };
    for (const HeaderField &f : headers)
        list.push_back(nv(f.name, f.value));
    nghttp2_data_provider provider;
    provider.source.ptr = nullptr;
    provider.read_callback = &Callbacks::upload;
    const int32_t id = nghttp2_submit_request(
        m_session, nullptr, list.data(), list.size(), uploadSize > 0 ? &provider : nullptr, this);
    if (id > 0) {
        m_responses[id];
        m_uploadLeft[id] = uploadSize;
    }
    flush();
    return id;
}

void H2Client::reset(int32_t id, uint32_t errorCode)
{
    nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, id, errorCode);
    flush();
}

void H2Client::consume(int32_t id, size_t n)
{
    nghttp2_session_consume(m_session, id, n);
    flush();
}

bool H2Client::waitClosed(int32_t id, int timeoutMs)
{
    return waitUntil([&] { return m_responses[id].closed || disconnected(); }, timeoutMs)
        && m_responses[id].closed;
}

void H2Client::flush()
{
    for (;;) {
        const uint8_t *data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(m_session, &data);
        if (n <= 0)
            break;
        m_socket.write(reinterpret_cast<const char *>(data), n);
        // Big uploads: let the socket drain instead of buffering the whole body in Qt.
        if (m_socket.bytesToWrite() > 4 * 1024 * 1024)
            break;
    }
}

void H2Client::onReadyRead()
{
    const QByteArray bytes = m_socket.readAll();
    nghttp2_session_mem_recv(
        m_session, reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()));
    flush();
}

} // namespace portico::testkit
