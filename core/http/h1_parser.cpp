#include "core/http/h1_parser.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <http_parser.h>
#include <mutex>
#include <vector>

namespace portico::http {

namespace {

H1Parser *self(http_parser *p)
{
    return static_cast<H1Parser *>(p->data);
}

QByteArrayView trimmedRight(QByteArrayView v)
{
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

/// Appends a callback's bytes; most fields arrive in one piece, which then costs one allocation
/// and no insert bookkeeping.
void collect(QByteArray &into, const char *at, size_t len)
{
    if (into.isEmpty())
        into = QByteArray(at, qsizetype(len));
    else
        into.append(at, qsizetype(len));
}

/// Field names and values that recur in nearly every message, spelled as senders usually spell
/// them: a match shares static bytes instead of allocating (a later append detaches as usual).
constexpr QByteArrayView kInterned[] = {
    "Host",
    "User-Agent",
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Accept-Ranges",
    "Connection",
    "Content-Length",
    "Content-Type",
    "Content-Encoding",
    "Date",
    "Server",
    "Cache-Control",
    "Cookie",
    "Set-Cookie",
    "ETag",
    "Last-Modified",
    "Vary",
    "Expires",
    "Location",
    "Referer",
    "Origin",
    "Transfer-Encoding",
    "Keep-Alive",
    "keep-alive",
    "close",
    "chunked",
    "OK",
    "*/*",
    "gzip",
    "X-Forwarded-For",
};

constexpr size_t kMaxInterned = 18;

/// The interned spelling equal to `piece`, looked up by length (a miss costs a few compares).
const QByteArrayView *interned(QByteArrayView piece)
{
    static const auto byLength = [] {
        std::array<std::vector<QByteArrayView>, kMaxInterned> table;
        for (QByteArrayView known : kInterned)
            table[size_t(known.size())].push_back(known);
        return table;
    }();
    if (size_t(piece.size()) >= kMaxInterned)
        return nullptr;
    for (const QByteArrayView &known : byLength[size_t(piece.size())]) {
        if (known.front() == piece.front()
            && std::memcmp(known.data(), piece.data(), size_t(piece.size())) == 0)
            return &known;
    }
    return nullptr;
}

/// Starts a field name, value or reason phrase with a callback's bytes, shared when interned.
void collectFirst(QByteArray &into, const char *at, size_t len)
{
    if (const QByteArrayView *known = interned(QByteArrayView(at, qsizetype(len))))
        into = QByteArray::fromRawData(known->data(), known->size());
    else
        into = QByteArray(at, qsizetype(len));
}

/// collect() for names, values and reasons: interned when the piece is the whole of it so far.
void collectCommon(QByteArray &into, const char *at, size_t len)
{
    if (into.isEmpty())
        collectFirst(into, at, len);
    else
        into.append(at, qsizetype(len));
}

/// collectCommon() that first tries `previous`, the same part of the connection's previous
/// message: keep-alive peers repeat most fields byte for byte (Host, Server, Content-Type, …),
/// and a repeat shares the earlier bytes instead of allocating.
void collectRepeat(QByteArray &into, const char *at, size_t len, const QByteArray *previous)
{
    if (into.isEmpty() && previous && size_t(previous->size()) == len && len > 0
        && std::memcmp(previous->constData(), at, len) == 0)
        into = *previous;
    else
        collectCommon(into, at, len);
}

/// True when `a` and `b` are the same bytes in memory (one shares the other).
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    return a.constData() == b.constData() && a.size() == b.size();
}

/// Heads up to this size are remembered for the next message's repeats; bigger ones are not kept
/// (an idle connection should not pin a large head).
constexpr qint64 kRememberedHeadBytes = 8 * 1024;

} // namespace

/// http-parser callbacks; they only record what they see and pause the parser at events.
struct H1Parser::Callbacks
{
    static int messageBegin(http_parser *p)
    {
        self(p)->beginMessage();
        return 0;
    }
    static int url(http_parser *p, const char *at, size_t len)
    {
        H1Parser *s = self(p);
        if (s->m_request.target.isEmpty())
            collectRepeat(s->m_request.target, at, len, &s->m_previousTarget);
        else
            collect(s->m_request.target, at, len);
        if (s->m_request.target.size() > s->m_limits.maxUriBytes) {
            s->fail(414,
                QByteArrayLiteral("request target longer than ")
                    + QByteArray::number(s->m_limits.maxUriBytes) + " bytes");
            return 1;
        }
        return s->checkHeadSize(qint64(len)) ? 0 : 1;
    }
    static int status(http_parser *p, const char *at, size_t len)
    {
        collectCommon(self(p)->m_response.reason, at, len);
        return self(p)->checkHeadSize(qint64(len)) ? 0 : 1;
    }
    static int headerField(http_parser *p, const char *at, size_t len)
    {
        H1Parser *s = self(p);
        if (s->m_inValue && !s->storeField())
            return 1;
        const HeaderField *previous = s->previousField();
        collectRepeat(s->m_field, at, len, previous ? &previous->name : nullptr);
        return s->checkHeadSize(qint64(len) + 4) ? 0 : 1;
    }
    static int headerValue(http_parser *p, const char *at, size_t len)
    {
        H1Parser *s = self(p);
        s->m_inValue = true;
        const HeaderField *previous = s->previousField();
        collectRepeat(s->m_value, at, len, previous ? &previous->value : nullptr);
        return s->checkHeadSize(qint64(len)) ? 0 : 1;
    }
    static int headersComplete(http_parser *p)
    {
        const int skip = self(p)->onHeadersComplete();
        http_parser_pause(p, 1);
        return skip;
    }
    static int body(http_parser *p, const char *at, size_t len)
    {
        H1Parser *s = self(p);
        s->m_body = QByteArrayView(at, qsizetype(len));
        s->m_pending = Event::Body;
        http_parser_pause(p, 1);
        return 0;
    }
    static int messageComplete(http_parser *p)
    {
        H1Parser *s = self(p);
        if (s->m_inValue && !s->storeField())
            return 1;
        s->m_upgrade = s->m_upgrade || p->upgrade;
        s->m_phase = Phase::Idle;
        s->m_pending = Event::MessageComplete;
        http_parser_pause(p, 1);
        return 0;
    }

    static const http_parser_settings &settings()
    {
        static const http_parser_settings s = [] {
            http_parser_settings v;
            http_parser_settings_init(&v);
            v.on_message_begin = &messageBegin;
            v.on_url = &url;
            v.on_status = &status;
            v.on_header_field = &headerField;
            v.on_header_value = &headerValue;
            v.on_headers_complete = &headersComplete;
            v.on_body = &body;
            v.on_message_complete = &messageComplete;
            return v;
        }();
        return s;
    }
};

H1Parser::H1Parser(Mode mode, H1Limits limits)
    : m_mode(mode)
    , m_limits(limits)
    , m_parser(std::make_unique<http_parser>())
{
    // The library's compile-time 80 KiB header cap is process-global; we enforce our own
    // (configurable) limits instead, so lift it once.
    static std::once_flag lifted;
    std::call_once(lifted, [] { http_parser_set_max_header_size(UINT32_MAX); });
    http_parser_init(m_parser.get(), mode == Mode::Request ? HTTP_REQUEST : HTTP_RESPONSE);
    m_parser->data = this;
}

H1Parser::~H1Parser() = default;

void H1Parser::setRequestMethod(QByteArrayView method)
{
    m_requestIsHead = method == "HEAD";
    m_requestIsConnect = method == "CONNECT";
}

void H1Parser::reuseHeaderStorage(std::vector<HeaderField> &&storage)
{
    if (m_mode != Mode::Request || m_phase != Phase::Idle
        || storage.capacity() <= m_request.headers.fields().capacity())
        return;
    storage.clear();
    m_request.headers.fields() = std::move(storage);
}

/// Keeps a head field (shared, not copied) for the next message's repeats; a field that was
/// itself a repeat is already there.
void H1Parser::rememberField(const QByteArray &name, const QByteArray &value)
{
    if (m_fieldIndex >= m_previous.size()) {
        m_previous.push_back({ name, value });
        return;
    }
    HeaderField &previous = m_previous[m_fieldIndex];
    if (!sameBytes(previous.name, name))
        previous.name = name;
    if (!sameBytes(previous.value, value))
        previous.value = value;
}

/// The finished head becomes the one the next message is compared with.
void H1Parser::rememberHead()
{
    if (m_headBytes > kRememberedHeadBytes) { // an idle connection should not pin a large head
        m_previous.clear();
        m_previousTarget.clear();
        return;
    }
    if (m_previous.size() > m_fieldIndex)
        m_previous.erase(m_previous.begin() + qsizetype(m_fieldIndex), m_previous.end());
    if (m_mode == Mode::Request && !sameBytes(m_previousTarget, m_request.target))
        m_previousTarget = m_request.target;
}

void H1Parser::beginMessage()
{
    m_phase = Phase::Head;
    // Field by field rather than `= RequestHead()`: the header vectors keep their capacity.
    m_request.method.clear();
    m_request.target.clear();
    m_request.version = {};
    m_request.headers.clear();
    m_response.status = 200;
    m_response.reason.clear();
    m_response.version = {};
    m_response.headers.clear();
    // One allocation for a typical head instead of the vector growing 1, 2, 4, 8, 16.
    (m_mode == Mode::Request ? m_request.headers : m_response.headers).fields().reserve(16);
    m_fieldIndex = 0;
    m_trailers.clear();
    m_field.clear();
    m_value.clear();
    m_inValue = false;
    m_framing = BodyFraming::None;
    m_contentLength = -1;
    m_headBytes = 0;
    m_rawHeadBytes = 0;
    m_upgrade = false;
    m_lastWasLf = false;
}

void H1Parser::fail(int status, QByteArray message)
{
    if (m_errorStatus != 0)
        return;
    m_errorStatus = status;
    m_errorMessage = std::move(message);
}

bool H1Parser::checkHeadSize(qint64 extra)
{
    m_headBytes += extra;
    if (m_headBytes <= m_limits.maxHeaderBytes)
        return true;
    fail(431,
        QByteArrayLiteral("header section larger than ")
            + QByteArray::number(m_limits.maxHeaderBytes) + " bytes");
    return false;
}

bool H1Parser::storeField()
{
    // RFC 9112 §5.1: whitespace between a field name and the colon is rejected, never repaired.
    if (std::any_of(
            m_field.cbegin(), m_field.cend(), [](char c) { return c == ' ' || c == '\t'; })) {
        fail(400, QByteArrayLiteral("whitespace between header field name and colon"));
        return false;
    }
    HeaderList &target = m_phase == Phase::Body ? m_trailers
        : m_mode == Mode::Request               ? m_request.headers
                                                : m_response.headers;
    const QByteArrayView trimmed = trimmedRight(m_value);
    if (trimmed.size() != m_value.size())
        m_value = trimmed.toByteArray();
    if (m_phase == Phase::Head) {
        rememberField(m_field, m_value);
        ++m_fieldIndex;
    }
    target.fields().push_back(HeaderField { std::move(m_field), std::move(m_value) });
    m_field = QByteArray();
    m_value = QByteArray();
    m_inValue = false;
    return true;
}

/// Returns http-parser's "skip body" code: 0 normal, 1 no body, 2 no body + protocol switch.
int H1Parser::onHeadersComplete()
{
    http_parser *p = m_parser.get();
    if (m_inValue && !storeField())
        return -1;
    m_phase = Phase::Body;
    m_pending = Event::Head;
    rememberHead();
    m_keepAlive = http_should_keep_alive(p) != 0;
    const Version version { p->http_major, p->http_minor };
    const bool chunked = (p->flags & F_CHUNKED) != 0;
    const bool hasLength = p->content_length != ULLONG_MAX;
    if (m_mode == Mode::Request) {
        m_request.version = version;
        m_request.method
            = QByteArray::fromRawData(http_method_str(static_cast<http_method>(p->method)),
                qsizetype(std::strlen(http_method_str(static_cast<http_method>(p->method)))));
        // RFC 9112 §6.3: a request Transfer-Encoding other than chunked-last cannot be framed.
        if (p->uses_transfer_encoding && !chunked) {
            fail(400, QByteArrayLiteral("transfer-encoding without final \"chunked\""));
            return 1;
        }
        m_framing = chunked ? BodyFraming::Chunked
            : hasLength     ? BodyFraming::ContentLength
                            : BodyFraming::None;
        m_contentLength = hasLength && !chunked ? qint64(p->content_length) : -1;
        return 0;
    }
    m_response.version = version;
    m_response.status = int(p->status_code);
    const int status = m_response.status;
    // RFC 9112 §6.3: HEAD responses, 1xx, 204 and 304 never have a body whatever they declare;
    // a 2xx to CONNECT and a 101 switch the connection to another protocol.
    if (status == 101 || (m_requestIsConnect && status / 100 == 2)) {
        m_upgrade = true;
        return 2;
    }
    if (m_requestIsHead || status / 100 == 1 || status == 204 || status == 304)
        return 1;
    m_framing = chunked ? BodyFraming::Chunked
        : hasLength     ? BodyFraming::ContentLength
                        : BodyFraming::UntilClose;
    m_contentLength = hasLength && !chunked ? qint64(p->content_length) : -1;
    return 0;
}

/// RFC 9112 §5.2: obsolete line folding (a header line starting with SP/HT) is rejected.
bool H1Parser::scanObsFold(const char *data, size_t len)
{
    // RFC 9112 §5.2: a line starting with SP or HTAB inside the head is obsolete folding.
    const char *p = data;
    const char *const end = data + len;
    if (len > 0 && m_lastWasLf && (*p == ' ' || *p == '\t'))
        return failObsFold();
    while ((p = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p))))) {
        if (++p == end) {
            m_lastWasLf = true;
            return true;
        }
        if (*p == ' ' || *p == '\t')
            return failObsFold();
    }
    m_lastWasLf = m_lastWasLf && len == 0;
    return true;
}

bool H1Parser::failObsFold()
{
    fail(400, QByteArrayLiteral("obsolete line folding in header section"));
    return false;
}

H1Parser::Result H1Parser::mapParserError(size_t consumed)
{
    const auto err = HTTP_PARSER_ERRNO(m_parser.get());
    const int status = err == HPE_HEADER_OVERFLOW ? 431 : 400;
    fail(status,
        QByteArrayLiteral("malformed ") + (m_mode == Mode::Request ? "request: " : "response: ")
            + http_errno_description(err));
    return { Event::Error, consumed };
}

H1Parser::Result H1Parser::parse(const char *data, size_t len)
{
    Q_ASSERT(len > 0);
    if (m_errorStatus != 0)
        return { Event::Error, 0 };
    http_parser *p = m_parser.get();
    http_parser_pause(p, 0);
    const bool inHead = m_phase != Phase::Body;
    m_pending = Event::NeedMore;
    const size_t n = http_parser_execute(p, &Callbacks::settings(), data, len);
    if (m_errorStatus != 0)
        return { Event::Error, n };
    const auto err = HTTP_PARSER_ERRNO(p);
    if (err != HPE_OK && err != HPE_PAUSED)
        return mapParserError(n);
    if (inHead && (m_pending == Event::Head || m_phase == Phase::Head)) {
        if (!scanObsFold(data, n))
            return { Event::Error, n };
        // The callbacks bound what we accumulate; this counts the head as sent, framing included.
        m_rawHeadBytes += qint64(n);
        if (m_rawHeadBytes > m_limits.maxHeaderBytes) {
            fail(431,
                QByteArrayLiteral("header section larger than ")
                    + QByteArray::number(m_limits.maxHeaderBytes) + " bytes");
            return { Event::Error, n };
        }
    }
    return { m_pending, n };
}

H1Parser::Result H1Parser::finish()
{
    if (m_errorStatus != 0)
        return { Event::Error, 0 };
    http_parser *p = m_parser.get();
    http_parser_pause(p, 0);
    m_pending = Event::NeedMore;
    const bool wasInMessage = m_phase != Phase::Idle;
    http_parser_execute(p, &Callbacks::settings(), nullptr, 0);
    const auto err = HTTP_PARSER_ERRNO(p);
    if (err != HPE_OK && err != HPE_PAUSED)
        return mapParserError(0);
    if (wasInMessage && m_pending != Event::MessageComplete) {
        fail(400, QByteArrayLiteral("connection closed in the middle of a message"));
        return { Event::Error, 0 };
    }
    return { m_pending, 0 };
}

} // namespace portico::http
