#include "core/service/sticky_cookie.h"

#include <QCryptographicHash>

#include <string_view>

namespace portico::service {

namespace {

/// RFC 2616 §2.2 token characters besides letters and digits (Traefik's sanitizeName list).
bool isTokenChar(char32_t c)
{
    if ((c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9'))
        return true;
    return c < 0x80 && std::string_view("!#$%&'*+-.^`|~").find(char(c)) != std::string_view::npos;
}

/// FNV-1 (not 1a) 64-bit, as Go's hash/fnv New64, printed like strconv.FormatUint(h, 16).
QByteArray fnv64Hex(const QByteArray &data)
{
    quint64 hash = 14695981039346656037ULL;
    for (char c : data) {
        hash *= 1099511628211ULL;
        hash ^= quint64(quint8(c));
    }
    return QByteArray::number(hash, 16);
}

QByteArray sameSiteAttribute(const QString &sameSite)
{
    const QString lower = sameSite.toLower();
    if (lower == QLatin1String("none"))
        return "; SameSite=None";
    if (lower == QLatin1String("lax"))
        return "; SameSite=Lax";
    if (lower == QLatin1String("strict"))
        return "; SameSite=Strict";
    return {}; // Traefik maps anything else to Go's SameSiteDefaultMode, which writes nothing
}

QByteArray attributesFor(const config::StickyCookieSpec &spec)
{
    QByteArray out;
    if (!spec.path.isEmpty())
        out += "; Path=" + spec.path.toUtf8();
    if (!spec.domain.isEmpty()) {
        // Go drops one leading dot (RFC 6265 §5.2.3 ignores it anyway).
        const QString domain = spec.domain.startsWith(u'.') ? spec.domain.mid(1) : spec.domain;
        out += "; Domain=" + domain.toUtf8();
    }
    if (spec.maxAge > 0)
        out += "; Max-Age=" + QByteArray::number(spec.maxAge);
    else if (spec.maxAge < 0)
        out += "; Max-Age=0"; // Go: a negative MaxAge means "delete now"
    if (spec.httpOnly)
        out += "; HttpOnly";
    if (spec.secure)
        out += "; Secure";
    return out + sameSiteAttribute(spec.sameSite);
}

} // namespace

StickyCookie::StickyCookie(const QString &qualifiedService, const config::StickyCookieSpec &spec)
    : m_name(spec.name.isEmpty() ? defaultName(qualifiedService) : sanitizeName(spec.name))
    , m_attributes(attributesFor(spec))
{ }

QByteArray StickyCookie::defaultName(const QString &qualifiedService)
{
    const QByteArray digest = QCryptographicHash::hash(
        "_TRAEFIK_BACKEND_" + qualifiedService.toUtf8(), QCryptographicHash::Sha1);
    return '_' + digest.toHex().left(5);
}

QByteArray StickyCookie::sanitizeName(const QString &name)
{
    QByteArray out;
    for (char32_t c : name.toUcs4())
        out += isTokenChar(c) ? char(c) : '_';
    return out;
}

QByteArray StickyCookie::valueFor(const QString &serverUrl)
{
    return QCryptographicHash::hash(serverUrl.toUtf8(), QCryptographicHash::Sha256)
        .toHex()
        .left(16);
}

std::vector<QByteArray> StickyCookie::legacyValuesFor(const QString &serverUrl)
{
    const QByteArray raw = serverUrl.toUtf8();
    const QByteArray once = fnv64Hex(raw);
    return { raw, once, fnv64Hex(once) };
}

QByteArray StickyCookie::read(const HeaderList &requestHeaders) const
{
    for (const QByteArray &line : requestHeaders.values("cookie")) {
        for (const QByteArray &pair : line.split(';')) {
            const QByteArray trimmed = pair.trimmed();
            const qsizetype eq = trimmed.indexOf('=');
            if (eq <= 0 || trimmed.left(eq) != m_name)
                continue;
            QByteArray value = trimmed.mid(eq + 1);
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            return value.isNull() ? QByteArray("") : value;
        }
    }
    return {};
}

QByteArray StickyCookie::setCookie(const QByteArray &value) const
{
    return m_name + '=' + value + m_attributes;
}

} // namespace portico::service
