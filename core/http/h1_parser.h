#pragma once

#include "core/common/header_list.h"
#include "core/http/message.h"

#include <QByteArray>
#include <QByteArrayView>

#include <memory>
#include <vector>

struct http_parser;

namespace portico::http {

/// Limits an HTTP/1.x parser enforces on outside input.
struct H1Limits
{
    qint64 maxHeaderBytes = 1 << 20; ///< request line + header section (and trailers) → 431
    qint64 maxUriBytes = 64 * 1024; ///< request-target length → 414
};

/// How the body of a parsed message is delimited (RFC 9112 §6.3).
enum class BodyFraming {
    None, ///< no body (no length on a request, HEAD/1xx/204/304 responses)
    ContentLength, ///< exactly contentLength() bytes
    Chunked, ///< chunked transfer coding
    UntilClose, ///< response body delimited by the connection closing
};

/// Incremental, pull-style HTTP/1.x parser (http-parser 2.9, strict) for requests or responses.
///
/// Each parse() call stops at the next event and says how many bytes it consumed; the caller keeps
/// the rest and calls again with it. Body events point into the caller's buffer (no copy). After
/// MessageComplete the parser is ready for the next message, so pipelined messages are taken one
/// at a time and answered in order. Trailers of chunked bodies are collected (http-parser reports
/// them through its header callbacks once the last chunk was seen) and available at
/// MessageComplete. Errors are final: errorStatus() gives the status to answer (400, 414, 431).
class H1Parser
{
public:
    enum class Mode { Request, Response };
    enum class Event {
        NeedMore, ///< every byte given was consumed; call again with more input
        Head, ///< request() / response() is complete; framing() tells how the body comes
        Body, ///< body() holds the next piece of body (view into the input)
        MessageComplete, ///< message done; trailers() holds chunked trailers
        Error, ///< malformed input; see errorStatus() and errorMessage()
    };
    struct Result
    {
        Event event = Event::NeedMore;
        size_t consumed = 0;
    };

    explicit H1Parser(Mode mode, H1Limits limits = {});
    ~H1Parser();
    H1Parser(const H1Parser &) = delete;
    H1Parser &operator=(const H1Parser &) = delete;

    /// Parses `data` up to and including the next event. `len` must be > 0 (use finish() for EOF).
    Result parse(const char *data, size_t len);
    /// The peer closed its side: completes an UntilClose body (MessageComplete), NeedMore when
    /// between messages, Error when a message was cut short.
    Result finish();

    /// Response mode: the method of the request being answered, set before its response head is
    /// parsed (a response to HEAD has no body; a 2xx to CONNECT starts a tunnel).
    void setRequestMethod(QByteArrayView method);

    /// Request mode, between messages: the storage of a finished request's header list, cleared
    /// and used for the next head (a keep-alive connection then allocates no vector per request).
    void reuseHeaderStorage(std::vector<HeaderField> &&storage);

    RequestHead &request() { return m_request; }
    ResponseHead &response() { return m_response; }
    /// The last body piece (valid until the next parse() call on the same input).
    QByteArrayView body() const { return m_body; }
    const HeaderList &trailers() const { return m_trailers; }
    BodyFraming framing() const { return m_framing; }
    /// Declared Content-Length when framing() is ContentLength, else -1.
    qint64 contentLength() const { return m_contentLength; }
    /// After Head: the sender allows the connection to stay open after this message.
    bool keepAlive() const { return m_keepAlive; }
    /// After MessageComplete: the connection switches protocol (101, CONNECT, upgrade request);
    /// the bytes after the consumed ones belong to the new protocol.
    bool upgrade() const { return m_upgrade; }
    /// True while a message has started but not completed.
    bool inMessage() const { return m_phase != Phase::Idle; }
    /// True once the head of the current message was parsed.
    bool headComplete() const { return m_phase == Phase::Body; }

    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorMessage() const { return m_errorMessage; }

private:
    enum class Phase { Idle, Head, Body };
    struct Callbacks;
    friend struct Callbacks;

    void beginMessage();
    void fail(int status, QByteArray message);
    bool checkHeadSize(qint64 extra);
    bool scanObsFold(const char *data, size_t len);
    bool failObsFold();
    int onHeadersComplete();
    bool storeField();
    /// The field at the same position in the previous message's head, if any.
    const HeaderField *previousField() const
    {
        return m_phase == Phase::Head && m_fieldIndex < m_previous.size()
            ? &m_previous[m_fieldIndex]
            : nullptr;
    }
    void rememberField(const QByteArray &name, const QByteArray &value);
    void rememberHead();
    Result mapParserError(size_t consumed);

    Mode m_mode;
    H1Limits m_limits;
    std::unique_ptr<http_parser> m_parser;
    Phase m_phase = Phase::Idle;
    Event m_pending = Event::NeedMore;
    RequestHead m_request;
    ResponseHead m_response;
    HeaderList m_trailers;
    QByteArray m_field;
    QByteArray m_value;
    bool m_inValue = false;
    size_t m_fieldIndex = 0; ///< position of the field being collected in the head
    std::vector<HeaderField> m_previous; ///< the previous head's fields (shared) for repeats
    QByteArray m_previousTarget; ///< the previous request-target (shared) for repeats
    QByteArrayView m_body;
    BodyFraming m_framing = BodyFraming::None;
    qint64 m_contentLength = -1;
    qint64 m_headBytes = 0; ///< field contents accumulated (bounds memory inside one read)
    qint64 m_rawHeadBytes = 0; ///< bytes of the head as received
    bool m_keepAlive = true;
    bool m_upgrade = false;
    bool m_lastWasLf = false;
    bool m_requestIsHead = false;
    bool m_requestIsConnect = false;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};

} // namespace portico::http
