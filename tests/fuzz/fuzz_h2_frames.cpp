// libFuzzer target for the HTTP/2 server glue (http::H2ServerSession over nghttp2): the input
// follows the client preface as received frames; every stream answers with a small body (and
// trailers on odd streams), so header conversion, flow control and trailers all run.
#include "core/http/h2_session.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <nghttp2/nghttp2.h>
#include <vector>

using namespace portico;

namespace {

class Sink final : public http::H2Output
{
public:
    bool outputFull() const override { return bytes > (1 << 20); }
    void write(QByteArrayView b) override { bytes += b.size(); }
    qint64 bytes = 0;
};

class Session;

class FuzzStream final : public http::H2ServerStream
{
public:
    FuzzStream(Session &s, int32_t id)
        : H2ServerStream(id, 4096)
        , m_session(s)
    { }
    void onRequestHead(bool) override;
    void onRequestData(QByteArrayView data) override;
    void onRequestEnd() override { }
    void onClosed(uint32_t) override { closed = true; }
    size_t responseAvailable() const override { return size_t(m_body.size() - m_sent); }
    bool responseEnded() const override { return true; }
    const HeaderList *responseTrailers() const override { return &m_trailers; }
    void writeResponse(http::H2Output &out, size_t n) override
    {
        if (m_sent + qsizetype(n) > m_body.size())
            std::abort();
        out.write(QByteArrayView(m_body).sliced(m_sent, qsizetype(n)));
        m_sent += qsizetype(n);
    }
    bool closed = false;

private:
    Session &m_session;
    QByteArray m_body;
    qsizetype m_sent = 0;
    HeaderList m_trailers;
};

class Session final : public http::H2StreamFactory
{
public:
    Session()
        : session(*this, sink, http::H2Settings {})
    { }
    http::H2ServerStream *createStream(int32_t id) override
    {
        if (streams.size() > 64)
            return nullptr;
        streams.push_back(std::make_unique<FuzzStream>(*this, id));
        return streams.back().get();
    }
    void onProtocolError(QByteArrayView) override { }

    Sink sink;
    http::H2ServerSession session;
    std::vector<std::unique_ptr<FuzzStream>> streams; ///< kept to the end: nghttp2 holds pointers
};

void FuzzStream::onRequestHead(bool)
{
    // Exercise the converted head: the target and Host must be readable.
    if (request().version.major != 2)
        std::abort();
    m_body = request().target + request().headers.value("Host");
    if (id() % 4 == 1)
        m_trailers.add("Grpc-Status", "0");
    HeaderList headers;
    headers.add("Content-Type", "text/plain");
    headers.add("Connection", "close"); // must be dropped, not sent
    m_session.session.submitResponse(*this, 200, headers, true);
}

void FuzzStream::onRequestData(QByteArrayView data)
{
    m_session.session.consumeStream(*this, size_t(data.size()));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Session s;
    if (!s.session.start())
        std::abort();
    const QByteArray preface(NGHTTP2_CLIENT_MAGIC, NGHTTP2_CLIENT_MAGIC_LEN);
    if (!s.session.receive(preface))
        std::abort();
    // Two reads, split where the first byte says, like successive socket reads.
    const size_t split = size ? data[0] % (size + 1) : 0;
    const QByteArrayView all(reinterpret_cast<const char *>(data), qsizetype(size));
    if (s.session.receive(all.first(qsizetype(split)))
        && s.session.receive(all.sliced(qsizetype(split))))
        s.session.send();
    return 0;
}
