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
        return QByteArrayLiteral("Continue");
    case 101:
        return QByteArrayLiteral("Switching Protocols");
    case 200:
        return QByteArrayLiteral("OK");
    case 201:
        return QByteArrayLiteral("Created");
    case 202:
        return QByteArrayLiteral("Accepted");
    case 204:
        return QByteArrayLiteral("No Content");
    case 206:
        return QByteArrayLiteral("Partial Content");
    case 301:
        return QByteArrayLiteral("Moved Permanently");
    case 302:
        return QByteArrayLiteral("Found");
    case 303:
        return QByteArrayLiteral("See Other");
    case 304:
        return QByteArrayLiteral("Not Modified");
    case 307:
        return QByteArrayLiteral("Temporary Redirect");
    case 308:
        return QByteArrayLiteral("Permanent Redirect");
    case 400:
        return QByteArrayLiteral("Bad Request");
    case 401:
        return QByteArrayLiteral("Unauthorized");
    case 403:
        return QByteArrayLiteral("Forbidden");
    case 404:
        return QByteArrayLiteral("Not Found");
    case 405:
        return QByteArrayLiteral("Method Not Allowed");
    case 408:
        return QByteArrayLiteral("Request Timeout");
    case 411:
        return QByteArrayLiteral("Length Required");
    case 413:
        return QByteArrayLiteral("Content Too Large");
    case 414:
        return QByteArrayLiteral("URI Too Long");
    case 417:
        return QByteArrayLiteral("Expectation Failed");
    case 421:
        return QByteArrayLiteral("Misdirected Request");
    case 426:
        return QByteArrayLiteral("Upgrade Required");
    case 429:
        return QByteArrayLiteral("Too Many Requests");
    case 431:
        return QByteArrayLiteral("Request Header Fields Too Large");
    case 499:
        return QByteArrayLiteral("Client Closed Request");
    case 500:
        return QByteArrayLiteral("Internal Server Error");
    case 501:
        return QByteArrayLiteral("Not Implemented");
    case 502:
        return QByteArrayLiteral("Bad Gateway");
    case 503:
        return QByteArrayLiteral("Service Unavailable");
    case 504:
        return QByteArrayLiteral("Gateway Timeout");
    case 505:
        return QByteArrayLiteral("HTTP Version Not Supported");
    default:
        return QByteArrayLiteral("Unknown");
    }
}

} // namespace portico::http
