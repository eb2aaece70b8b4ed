#pragma once

#include "core/common/header_list.h"
#include "core/http/message.h"

#include <QByteArray>
#include <QByteArrayView>

namespace portico::http {

/// Serialises HTTP/1.1 messages (RFC 9112): heads, chunked framing with trailers. Every function
/// appends to `out`, so a head and the first body bytes can leave in one write.
namespace h1 {

/// `METHOD target HTTP/1.1` + header fields + empty line. The head's fields are written verbatim
/// (framing fields such as Content-Length / Transfer-Encoding are the caller's choice).
void writeRequestHead(QByteArray &out, const RequestHead &head);

/// `HTTP/1.1 status reason` (the standard phrase when head.reason is empty) + fields + empty line.
void writeResponseHead(QByteArray &out, const ResponseHead &head);

/// Exactly the bytes writeRequestHead() produces, for callers that write into their own buffer.
qsizetype requestHeadSize(const RequestHead &head);
/// Writes requestHeadSize(head) bytes at `out` (no allocation); returns the end of what it wrote.
char *writeRequestHead(char *out, const RequestHead &head);

/// Exactly the bytes writeResponseHead() produces.
qsizetype responseHeadSize(const ResponseHead &head);
/// Writes responseHeadSize(head) bytes at `out` (no allocation); returns the end of what it wrote.
char *writeResponseHead(char *out, const ResponseHead &head);

/// Header fields only, each `name: value` CRLF.
void writeFields(QByteArray &out, const HeaderList &fields);

/// One chunk (RFC 9112 §7.1): hex size CRLF data CRLF. Empty data writes nothing (an empty chunk
/// would end the body).
void writeChunk(QByteArray &out, QByteArrayView data);

/// Just the chunk-size line, for callers that send the data separately.
void writeChunkHeader(QByteArray &out, qint64 size);

/// Room writeChunkHeader(char *, ...) needs at most: 16 hex digits + CRLF.
constexpr qsizetype kMaxChunkHeader = 18;
/// The chunk-size line written at `out` (kMaxChunkHeader bytes of room); returns its length.
qsizetype writeChunkHeader(char *out, qint64 size);

/// The last chunk, optional trailer fields (RFC 9112 §7.1.2) and the final empty line.
void writeLastChunk(QByteArray &out, const HeaderList &trailers = {});

/// A complete response with a fixed body: head (Content-Length set) then body.
QByteArray serializeResponse(ResponseHead head, QByteArrayView body);

} // namespace h1

} // namespace portico::http
