#include "core/http/message.h"

namespace portico::http {

QByteArray Version::toByteArray() const
{
    return QByteArrayLiteral("HTTP/") + QByteArray::number(major) + '.' + QByteArray::number(minor);
}

namespace {

/// Offset where the path starts in an absolute-form target (`http://h/p` → index of `/p`).
qsizetype pathStart(const QByteArray &target)
{
    if (target.startsWith('/'))
        return 0;
    const qsizetype scheme = target.indexOf("://");
    if (scheme < 0)
        return -1;
    const qsizetype slash = target.indexOf('/', scheme + 3);
    const qsizetype question = target.indexOf('?', scheme + 3);
    if (slash < 0 || (question >= 0 && question < slash))
        return question < 0 ? target.size() : question;
    return slash;
}

} // namespace

QByteArray RequestHead::path() const
{
    const qsizetype start = pathStart(target);
    if (start < 0)
        return QByteArrayLiteral("/");
    const qsizetype question = target.indexOf('?', start);
    const QByteArray p = target.mid(start, question < 0 ? -1 : question - start);
    return p.isEmpty() ? QByteArrayLiteral("/") : p;
}

QByteArray RequestHead::query() const
{
    const qsizetype question = target.indexOf('?');
    if (question < 0)
        return {};
    const qsizetype hash = target.indexOf('#', question);
    return target.mid(question + 1, hash < 0 ? -1 : hash - question - 1);
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 101:
        return "Switching Protocols";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 206:
        return "Partial Content";
    case 301:
        return "Moved Permanently";
    case 302:
        return "Found";
    case 303:
        return "See Other";
    case 304:
        return "Not Modified";
    case 307:
        return "Temporary Redirect";
    case 308:
        return "Permanent Redirect";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 417:
        return "Expectation Failed";
    case 421:
        return "Misdirected Request";
    case 426:
        return "Upgrade Required";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 499:
        return "Client Closed Request";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Unknown";
    }
}

} // namespace portico::http
