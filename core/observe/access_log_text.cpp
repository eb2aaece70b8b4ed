#include "core/observe/access_log_fields.h"

#include <QDateTime>
#include <QString>

// Text renderings that must match Go byte for byte: string quoting, JSON escaping, timestamps.
namespace portico::observe::accesslog {

namespace {

const char hexDigits[] = "0123456789abcdef";

void appendHexByte(QByteArray &out, const char *prefix, uchar byte)
{
    out += prefix;
    out += hexDigits[byte >> 4];
    out += hexDigits[byte & 0xf];
}

/// `+hh:mm` / `-hh:mm` (RFC 3339) or `+hhmm` (CLF) for an offset in seconds.
QByteArray zoneOffset(int seconds, bool colon)
{
    const char sign = seconds < 0 ? '-' : '+';
    const int minutes = qAbs(seconds) / 60;
    return sign + QByteArray::number(minutes / 60).rightJustified(2, '0') + (colon ? ":" : "")
        + QByteArray::number(minutes % 60).rightJustified(2, '0');
}

QDateTime toDateTime(qint64 utcMicros, bool utc)
{
    const qint64 ms = utcMicros / 1000;
    return utc ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
               : QDateTime::fromMSecsSinceEpoch(ms, Qt::LocalTime);
}

} // namespace

QByteArray goQuote(const QByteArray &text)
{
    QByteArray out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char c : text) {
        const uchar byte = uchar(c);
        switch (c) {
        case '"':
            out += "\\\"";
            continue;
        case '\\':
            out += "\\\\";
            continue;
        case '\a':
            out += "\\a";
            continue;
        case '\b':
            out += "\\b";
            continue;
        case '\f':
            out += "\\f";
            continue;
        case '\n':
            out += "\\n";
            continue;
        case '\r':
            out += "\\r";
            continue;
        case '\t':
            out += "\\t";
            continue;
        case '\v':
            out += "\\v";
            continue;
        default:
            break;
        }
        if (byte < 0x20 || byte == 0x7f)
            appendHexByte(out, "\\x", byte);
        else
            out += c; // printable ASCII, or a byte of a UTF-8 sequence (kept as is)
    }
    out += '"';
    return out;
}

QByteArray jsonString(const QByteArray &text)
{
    // Through QString: invalid UTF-8 becomes U+FFFD, as Go's encoder replaces it.
    const QString decoded = QString::fromUtf8(text);
    QByteArray out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const QChar ch : decoded) {
        const char16_t u = ch.unicode();
        if (u == '"' || u == '\\') {
            out += '\\';
            out += char(u);
        } else if (u == '\n') {
            out += "\\n";
        } else if (u == '\r') {
            out += "\\r";
        } else if (u == '\t') {
            out += "\\t";
        } else if (u < 0x20 || u == '<' || u == '>' || u == '&' || u == 0x2028 || u == 0x2029) {
            out += "\\u" + QByteArray::number(u, 16).rightJustified(4, '0');
        } else {
            out += QString(ch).toUtf8();
        }
    }
    out += '"';
    return out;
}

QByteArray rfc3339Nano(qint64 utcMicros, bool utc)
{
    const QDateTime when = toDateTime(utcMicros, utc);
    QByteArray out = when.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss")).toLatin1();
    const qint64 micros = ((utcMicros % 1000000) + 1000000) % 1000000;
    if (micros != 0) {
        QByteArray fraction = QByteArray::number(micros * 1000).rightJustified(9, '0');
        while (fraction.endsWith('0'))
            fraction.chop(1);
        out += '.' + fraction;
    }
    const int offset = utc ? 0 : when.offsetFromUtc();
    out += offset == 0 ? QByteArray("Z") : zoneOffset(offset, true);
    return out;
}

QByteArray rfc3339Local(qint64 utcMicros)
{
    const QDateTime when = toDateTime(utcMicros, false);
    const int offset = when.offsetFromUtc();
    return when.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss")).toLatin1()
        + (offset == 0 ? QByteArray("Z") : zoneOffset(offset, true));
}

QByteArray clfTime(qint64 utcMicros, bool utc)
{
    static const char *const months[]
        = { "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    const QDateTime when = toDateTime(utcMicros, utc);
    const QDate date = when.date();
    // Month names are English whatever the locale (Go's layout `02/Jan/2006:15:04:05 -0700`).
    return QByteArray::number(date.day()).rightJustified(2, '0') + '/' + months[date.month() - 1]
        + '/' + QByteArray::number(date.year()) + ':'
        + when.time().toString(QStringLiteral("HH:mm:ss")).toLatin1() + ' '
        + zoneOffset(utc ? 0 : when.offsetFromUtc(), false);
}

QByteArray canonicalHeaderName(const QByteArray &name)
{
    for (const char c : name) {
        // Go leaves names with bytes outside the token set untouched.
        if (c == ' ' || uchar(c) < 0x21 || uchar(c) > 0x7e)
            return name;
    }
    QByteArray out = name;
    bool upper = true;
    for (char &c : out) {
        if (upper && c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
        else if (!upper && c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
        upper = c == '-';
    }
    return out;
}

} // namespace portico::observe::accesslog
