#include "core/proxy/local_response.h"

#include <ctime>

namespace portico::proxy {

namespace local {

namespace {

middleware::LocalResponse textResponse(int status, QByteArray body)
{
    middleware::LocalResponse r;
    r.head.status = status;
    r.head.headers.add("Content-Type", "text/plain; charset=utf-8");
    r.head.headers.add("X-Content-Type-Options", "nosniff");
    r.body = std::move(body);
    return r;
}

} // namespace

middleware::LocalResponse notFound()
{
    return textResponse(404, QByteArrayLiteral("404 page not found\n"));
}

middleware::LocalResponse noAvailableServer()
{
    return textResponse(503, QByteArrayLiteral("no available server\n"));
}

middleware::LocalResponse gatewayError(int status)
{
    middleware::LocalResponse r;
    r.head.status = status;
    r.body = http::reasonPhrase(status);
    return r;
}

middleware::LocalResponse clientError(int status)
{
    middleware::LocalResponse r;
    r.head.status = status;
    r.head.headers.add("Content-Type", "text/plain; charset=utf-8");
    r.head.headers.add("Connection", "close");
    r.body = QByteArray::number(status) + ' ' + http::reasonPhrase(status);
    return r;
}

} // namespace local

const QByteArray &httpDate()
{
    thread_local QByteArray cached;
    thread_local std::time_t cachedAt = 0;
    const std::time_t now = std::time(nullptr);
    if (now != cachedAt) {
        std::tm tm;
#ifdef _WIN32
        gmtime_s(&tm, &now);
#else
        gmtime_r(&now, &tm);
#endif
        static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
        static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
            "Sep", "Oct", "Nov", "Dec" };
        char buf[40];
        std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
            tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
        cached = QByteArray(buf);
        cachedAt = now;
    }
    return cached;
}

} // namespace portico::proxy
