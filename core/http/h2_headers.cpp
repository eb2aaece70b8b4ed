#include "core/http/h2_headers.h"

#include <QByteArrayList>

#include <algorithm>
#include <cstring>

namespace portico::http::h2 {

namespace {

/// RFC 9113 §6.5.2: the size of a field list counts 32 octets of overhead per field.
constexpr qint64 kFieldOverhead = 32;

/// Names most requests carry, canonical spelling stored once (QByteArray::fromRawData: no
/// allocation per request).
constexpr QByteArrayView kCanonical[] = {
    "Accept",
    "Accept-Encoding",
    "Accept-Language",
    "Authorization",
    "Cache-Control",
    "Content-Length",
    "Content-Type",
    "Cookie",
    "Grpc-Timeout",
    "If-Modified-Since",
    "If-None-Match",
    "Origin",
    "Pragma",
    "Referer",
    "Sec-Fetch-Dest",
    "Sec-Fetch-Mode",
    "Sec-Fetch-Site",
    "Te",
    "Upgrade-Insecure-Requests",
    "User-Agent",
};

constexpr QByteArrayView kConnectionSpecific[] = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "http2-settings",
};

QByteArray copy(QByteArrayView v)
{
    return QByteArray(v.data(), v.size());
}

bool isCookie(const HeaderField &f)
{
    return f.name.size() == 6 && HeaderList::nameEquals(f.name, "Cookie");
}

} // namespace

QByteArray canonicalName(QByteArrayView lowerName)
{
    for (QByteArrayView known : kCanonical) {
        if (known.size() == lowerName.size() && HeaderList::nameEquals(known, lowerName))
            return QByteArray::fromRawData(known.data(), known.size());
    }
    QByteArray name = copy(lowerName);
    bool upper = true;
    for (char &c : name) {
        if (upper && c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
        upper = c == '-';
    }
    return name;
}

bool isConnectionSpecific(QByteArrayView name)
{
    return std::any_of(std::begin(kConnectionSpecific), std::end(kConnectionSpecific),
        [&](QByteArrayView n) { return HeaderList::nameEquals(n, name); });
}

bool RequestHeadBuilder::count(QByteArrayView name, QByteArrayView value)
{
    m_bytes += name.size() + value.size() + kFieldOverhead;
    if (m_bytes > m_maxBytes)
        m_tooLarge = true;
    return !m_tooLarge;
}

void RequestHeadBuilder::addRequestField(
    RequestHead &head, QByteArrayView name, QByteArrayView value)
{
    if (!count(name, value))
        return;
    if (name.startsWith(':')) {
        if (name == ":method")
            head.method = copy(value);
        else if (name == ":path")
            head.target = copy(value);
        else if (name == ":authority")
            m_authority = copy(value);
        // :scheme is not needed: the entry point knows whether it terminates TLS.
        return;
    }
    if (name == "cookie")
        ++m_cookies;
    head.headers.fields().push_back({ canonicalName(name), copy(value) });
}

void RequestHeadBuilder::addTrailerField(
    HeaderList &trailers, QByteArrayView name, QByteArrayView value)
{
    if (count(name, value) && !name.startsWith(':'))
        trailers.fields().push_back({ canonicalName(name), copy(value) });
}

void RequestHeadBuilder::finish(RequestHead &head)
{
    head.version = Version { 2, 0 };
    auto &fields = head.headers.fields();
    if (!m_authority.isEmpty()) {
        // RFC 9113 §8.3.1: the authority replaces any Host field; it goes first like in HTTP/1.1.
        head.headers.remove("Host");
        fields.insert(fields.begin(), HeaderField { QByteArrayLiteral("Host"), m_authority });
        if (head.method == "CONNECT" && head.target.isEmpty())
            head.target = m_authority; // RFC 9113 §8.5: CONNECT carries only :authority
    }
    if (m_cookies > 1) {
        // RFC 9113 §8.2.3: crumbs are concatenated with "; " before going to HTTP/1.1.
        auto first = std::find_if(fields.begin(), fields.end(), isCookie);
        for (auto it = first + 1; it != fields.end(); ++it) {
            if (isCookie(*it))
                first->value += "; " + it->value;
        }
        fields.erase(std::remove_if(first + 1, fields.end(), isCookie), fields.end());
    }
}

bool startsWithClientPreface(QByteArrayView input)
{
    constexpr QByteArrayView preface(NGHTTP2_CLIENT_MAGIC, NGHTTP2_CLIENT_MAGIC_LEN);
    return input.startsWith(preface);
}

bool asksForH2c(const HeaderList &headers)
{
    return headers.hasToken("Upgrade", "h2c");
}

std::optional<QByteArray> h2cUpgradeSettings(const HeaderList &headers)
{
    if (!asksForH2c(headers) || !headers.hasToken("Connection", "upgrade")
        || !headers.hasToken("Connection", "http2-settings"))
        return std::nullopt;
    const auto values = headers.values("HTTP2-Settings");
    if (values.size() != 1)
        return std::nullopt;
    // RFC 7540 §3.2.1: base64url without padding.
    auto decoded = QByteArray::fromBase64Encoding(values[0].trimmed(),
        QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded || decoded.decoded.size() % 6 != 0)
        return std::nullopt;
    return std::move(decoded.decoded);
}

void removeH2cUpgrade(HeaderList &headers)
{
    headers.remove("HTTP2-Settings");
    QByteArrayList kept;
    for (const QByteArray &value : headers.values("Upgrade")) {
        for (const QByteArray &token : value.split(',')) {
            if (!HeaderList::nameEquals(token.trimmed(), "h2c"))
                kept.append(token.trimmed());
        }
    }
    headers.remove("Upgrade");
    if (!kept.isEmpty())
        headers.add(QByteArrayLiteral("Upgrade"), kept.join(", "));
}

void NvList::build(int status, const HeaderList &headers)
{
    m_nv.clear();
    m_status[0] = char('0' + (status / 100) % 10);
    m_status[1] = char('0' + (status / 10) % 10);
    m_status[2] = char('0' + status % 10);
    m_nv.push_back({ const_cast<uint8_t *>(reinterpret_cast<const uint8_t *>(":status")),
        reinterpret_cast<uint8_t *>(m_status), 7, 3, NGHTTP2_NV_FLAG_NONE });
    addFields(headers);
}

void NvList::buildTrailers(const HeaderList &trailers)
{
    m_nv.clear();
    addFields(trailers);
}

void NvList::addFields(const HeaderList &headers)
{
    // Lower-case every name into one buffer sized up front, so pointers into it stay valid.
    qsizetype total = 0;
    for (const HeaderField &f : headers)
        total += f.name.size();
    m_names.resize(total);
    char *p = m_names.data();
    for (const HeaderField &f : headers) {
        if (f.name.isEmpty() || isConnectionSpecific(f.name)
            || HeaderList::nameEquals(f.name, "TE"))
            continue;
        for (qsizetype i = 0; i < f.name.size(); ++i) {
            const char c = f.name[i];
            p[i] = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
        }
        m_nv.push_back({ reinterpret_cast<uint8_t *>(p),
            const_cast<uint8_t *>(reinterpret_cast<const uint8_t *>(f.value.constData())),
            size_t(f.name.size()), size_t(f.value.size()), NGHTTP2_NV_FLAG_NONE });
        p += f.name.size();
    }
}

} // namespace portico::http::h2
