#include "core/http/request_target.h"

#include "core/common/ascii.h"

#include <array>

namespace portico::http {

namespace {

enum CharClass : unsigned char {
    Unreserved = 1, ///< RFC 3986 §2.3: ALPHA DIGIT - . _ ~
    PathSafe = 2, ///< left alone by Go's escape(s, encodePath): unreserved + $ & + , / : ; = @
    ValidInPath = 4, ///< accepted verbatim by Go's validEncoded(s, encodePath) (besides `%`)
    RoutingReserved
    = 8, ///< stays encoded in the routing path: : / ? # [ ] @ ! $ & ' ( ) * + , ; = %
};

constexpr std::array<unsigned char, 256> makeClasses()
{
    std::array<unsigned char, 256> t {};
    for (int c = 0; c < 256; ++c) {
        const bool alnum
            = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum || c == '-' || c == '.' || c == '_' || c == '~')
            t[size_t(c)] |= Unreserved | PathSafe | ValidInPath;
    }
    for (char c : { '$', '&', '+', ',', '/', ':', ';', '=', '@' })
        t[size_t(c)] |= PathSafe | ValidInPath;
    for (char c : { '!', '\'', '(', ')', '*', '[', ']' })
        t[size_t(c)] |= ValidInPath;
    for (char c : { ':', '/', '?', '#', '[', ']', '@', '!', '$', '&', '\'', '(', ')', '*', '+', ',',
             ';', '=', '%' })
        t[size_t(c)] |= RoutingReserved;
    return t;
}

constexpr std::array<unsigned char, 256> kClasses = makeClasses();

bool is(char c, CharClass cls)
{
    return (kClasses[static_cast<unsigned char>(c)] & cls) != 0;
}

/// The byte encoded by `%xx` at `i`, or -1 when the sequence is malformed.
int decodedAt(QByteArrayView s, qsizetype i)
{
    if (i + 2 >= s.size())
        return -1;
    const int hi = ascii::hexValue(s[i + 1]);
    const int lo = ascii::hexValue(s[i + 2]);
    return (hi < 0 || lo < 0) ? -1 : hi * 16 + lo;
}

void appendEncoded(QByteArray &out, unsigned char byte)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += '%';
    out += kHex[byte >> 4];
    out += kHex[byte & 15];
}

/// Checks a raw path the way Go's request parsing and Traefik's denyFragment do; sets
/// `allValid` to whether every byte is acceptable verbatim in an escaped path.
Error pathError(QString message)
{
    return Error { std::move(message), {}, {} };
}

Expected<void> validatePath(QByteArrayView path, bool &allValid)
{
    allValid = true;
    for (qsizetype i = 0; i < path.size(); ++i) {
        const auto c = static_cast<unsigned char>(path[i]);
        if (c == '#')
            return pathError(QStringLiteral("fragment \"#\" not allowed in request path"));
        if (c < 0x20 || c == 0x7f)
            return pathError(QStringLiteral("control character 0x%1 in request path")
                                 .arg(int(c), 2, 16, QLatin1Char('0')));
        if (c == '%') {
            if (decodedAt(path, i) < 0) {
                const QByteArrayView bad = path.sliced(i, std::min<qsizetype>(3, path.size() - i));
                return pathError(QStringLiteral("invalid percent-encoding \"%1\" in request path")
                                     .arg(QString::fromLatin1(bad)));
            }
            i += 2;
        } else if (!is(char(c), ValidInPath)) {
            allValid = false;
        }
    }
    return {};
}

/// RFC 3986 §6.2.2: decodes unreserved `%xx` (§2.3) and upper-cases the hex of the others.
QByteArray decodeUnreserved(QByteArrayView path)
{
    QByteArray out;
    out.reserve(path.size());
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (path[i] != '%') {
            out += path[i];
            continue;
        }
        const int byte = decodedAt(path, i);
        if (is(char(byte), Unreserved))
            out += char(byte);
        else
            appendEncoded(out, static_cast<unsigned char>(byte));
        i += 2;
    }
    return out;
}

QByteArrayView trimmedView(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

/// Splits a request-target into [path start, path end) for origin- and absolute-form targets;
/// false for `*` and authority-form.
bool locatePath(QByteArrayView target, qsizetype &begin, qsizetype &end)
{
    begin = 0;
    if (!target.startsWith('/')) {
        const qsizetype scheme = target.indexOf("://");
        if (scheme <= 0 || target.first(scheme).contains('/'))
            return false;
        begin = scheme + 3;
        while (begin < target.size() && target[begin] != '/' && target[begin] != '?')
            ++begin;
    }
    const qsizetype question = target.indexOf('?', begin);
    end = question < 0 ? target.size() : question;
    return true;
}

} // namespace

bool splitHostPort(QByteArrayView addr, QByteArrayView &host, QByteArrayView &port)
{
    qsizetype portStart = 0;
    if (addr.startsWith('[')) {
        const qsizetype end = addr.indexOf(']');
        if (end < 0 || end + 1 >= addr.size() || addr[end + 1] != ':')
            return false;
        host = addr.sliced(1, end - 1);
        portStart = end + 2;
    } else {
        const qsizetype colon = addr.lastIndexOf(':');
        if (colon < 0)
            return false;
        host = addr.first(colon);
        if (host.contains(':'))
            return false;
        portStart = colon + 1;
    }
    port = addr.sliced(portStart);
    return !host.contains('[') && !host.contains(']') && !port.contains('[') && !port.contains(']');
}

QByteArray canonicalHost(QByteArrayView hostHeader)
{
    QByteArrayView host = trimmedView(hostHeader);
    if (host.contains(':')) {
        QByteArrayView split;
        QByteArrayView port;
        if (splitHostPort(host, split, port))
            host = split;
        else if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
            host = host.sliced(1, host.size() - 2);
    }
    host = trimmedView(host);
    if (host.endsWith('.'))
        host.chop(1);
    QByteArray out = host.toByteArray();
    for (char &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = char(c + 32);
    }
    return out;
}

Expected<QByteArray> normalizePath(QByteArrayView path, bool sanitize)
{
    bool allValid = true;
    if (auto valid = validatePath(path, allValid); !valid)
        return valid.error();
    // Go's URL.EscapedPath() gives up on a raw path holding characters that need escaping and
    // re-escapes the decoded path instead, so Traefik's normalised form is that re-escaping.
    if (allValid && !path.contains('%'))
        return sanitize ? cleanPath(path) : path.toByteArray(); // the common case: one copy
    QByteArray escaped = allValid ? decodeUnreserved(path) : escapePath(percentDecode(path));
    return sanitize ? cleanPath(escaped) : escaped;
}

QByteArray routingPath(QByteArrayView normalizedPath)
{
    if (!normalizedPath.contains('%'))
        return normalizedPath.toByteArray(); // nothing to decode: one copy, no per-byte appends
    QByteArray out;
    out.reserve(normalizedPath.size());
    for (qsizetype i = 0; i < normalizedPath.size(); ++i) {
        const int byte = normalizedPath[i] == '%' ? decodedAt(normalizedPath, i) : -1;
        if (byte < 0) {
            out += normalizedPath[i];
            continue;
        }
        if (is(char(byte), RoutingReserved))
            appendEncoded(out, static_cast<unsigned char>(byte));
        else
            out += char(byte);
        i += 2;
    }
    return out;
}

QByteArray requestHost(const RequestHead &request)
{
    const QByteArrayView target(request.target);
    const qsizetype scheme = target.startsWith('/') ? -1 : target.indexOf("://");
    if (scheme > 0) {
        qsizetype end = scheme + 3;
        while (
            end < target.size() && target[end] != '/' && target[end] != '?' && target[end] != '#')
            ++end;
        QByteArrayView authority = target.sliced(scheme + 3, end - scheme - 3);
        if (const qsizetype at = authority.lastIndexOf('@'); at >= 0)
            authority = authority.sliced(at + 1);
        if (!authority.isEmpty())
            return authority.toByteArray();
    }
    return request.headers.value("Host");
}

Expected<QByteArray> normalizeTarget(
    QByteArrayView target, bool sanitize, bool encodeQuerySemicolons)
{
    qsizetype begin = 0;
    qsizetype end = 0;
    if (target == QByteArrayView("*") || !locatePath(target, begin, end))
        return target.toByteArray();
    auto path = normalizePath(target.sliced(begin, end - begin), sanitize);
    if (!path)
        return path.error();
    QByteArray out = path->isEmpty() ? QByteArrayLiteral("/") : std::move(*path);
    if (end < target.size()) {
        const qsizetype queryStart = out.size() + 1;
        out += target.sliced(end);
        // Go's http.AllowQuerySemicolons (Traefik's default) or Traefik's encodeQuerySemicolons.
        for (qsizetype i = queryStart; i < out.size(); ++i) {
            if (out[i] == ';')
                out.replace(
                    i, 1, encodeQuerySemicolons ? QByteArrayView("%3B") : QByteArrayView("&"));
        }
    }
    return out;
}

bool isNormalTarget(QByteArrayView target)
{
    if (!target.startsWith('/'))
        return false;
    qsizetype i = 0;
    qsizetype segment = 0; // start of the current path segment (after its `/`)
    for (; i < target.size() && target[i] != '?'; ++i) {
        const char c = target[i];
        if (c != '/') {
            if (!is(c, ValidInPath))
                return false; // `%`, `#`, controls, bytes to escape: the full pipeline
            continue;
        }
        // cleanPath() would drop an empty (`//`), `.` or `..` segment.
        const QByteArrayView previous = target.sliced(segment, i - segment);
        if (i > 0 && (previous.isEmpty() || previous == "." || previous == ".."))
            return false;
        segment = i + 1;
    }
    const QByteArrayView last = target.sliced(segment, i - segment);
    if (last == "." || last == "..")
        return false;
    return !target.sliced(i).contains(';'); // the query's `;` becomes `&`
}

QByteArray rewriteTargetPath(QByteArrayView target, QByteArrayView newPath)
{
    qsizetype begin = 0;
    qsizetype end = 0;
    const bool located = locatePath(target, begin, end);
    QByteArray out = newPath.isEmpty() ? QByteArrayLiteral("/") : newPath.toByteArray();
    if (located && end < target.size())
        out += target.sliced(end);
    return out;
}

QByteArray percentDecode(QByteArrayView escaped)
{
    QByteArray out;
    out.reserve(escaped.size());
    for (qsizetype i = 0; i < escaped.size(); ++i) {
        const int byte = escaped[i] == '%' ? decodedAt(escaped, i) : -1;
        if (byte < 0) {
            out += escaped[i];
        } else {
            out += char(byte);
            i += 2;
        }
    }
    return out;
}

QByteArray escapePath(QByteArrayView decodedPath)
{
    QByteArray out;
    out.reserve(decodedPath.size());
    for (const char c : decodedPath) {
        if (is(c, PathSafe))
            out += c;
        else
            appendEncoded(out, static_cast<unsigned char>(c));
    }
    return out;
}

QByteArray escapedPath(QByteArrayView rawPath, QByteArrayView decodedPath)
{
    bool valid = !rawPath.isEmpty();
    for (qsizetype i = 0; valid && i < rawPath.size(); ++i) {
        if (rawPath[i] == '%')
            valid = decodedAt(rawPath, i) >= 0;
        else
            valid = is(rawPath[i], ValidInPath);
    }
    if (valid && percentDecode(rawPath) == decodedPath)
        return rawPath.toByteArray();
    return escapePath(decodedPath);
}

QByteArray cleanPath(QByteArrayView path)
{
    // URL.JoinPath cleans a path without a leading slash as if it had one, then drops it again.
    const bool rooted = path.startsWith('/');
    QByteArray out("/");
    out.reserve(path.size() + 1);
    qsizetype pos = 0;
    while (pos < path.size()) {
        qsizetype next = path.indexOf('/', pos);
        if (next < 0)
            next = path.size();
        const QByteArrayView segment = path.sliced(pos, next - pos);
        pos = next + 1;
        if (segment.isEmpty() || segment == QByteArrayView("."))
            continue;
        if (segment == QByteArrayView("..")) {
            out.truncate(std::max<qsizetype>(1, out.lastIndexOf('/')));
            continue;
        }
        if (out.size() > 1)
            out += '/';
        out += segment;
    }
    // path.Join drops a trailing slash; JoinPath puts one back (an empty path counts as `/`).
    if ((path.isEmpty() || path.endsWith('/')) && !out.endsWith('/'))
        out += '/';
    if (!rooted && !path.isEmpty())
        out.remove(0, 1);
    return out;
}

bool hasDotSegment(QByteArrayView path)
{
    qsizetype pos = 0;
    while (pos <= path.size()) {
        qsizetype next = path.indexOf('/', pos);
        if (next < 0)
            next = path.size();
        const QByteArrayView segment = path.sliced(pos, next - pos);
        if (segment == QByteArrayView(".") || segment == QByteArrayView(".."))
            return true;
        pos = next + 1;
    }
    return false;
}

} // namespace portico::http
