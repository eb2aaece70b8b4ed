#pragma once

#include "core/common/header_list.h"
#include "core/http/message.h"

#include <QByteArray>
#include <QByteArrayView>

#include <nghttp2/nghttp2.h>
#include <optional>
#include <vector>

/// Header conversion between HTTP/2 header blocks (RFC 9113 §8.2-8.3) and the protocol-independent
/// RequestHead / ResponseHead.
namespace portico::http::h2 {

/// One request's header block as nghttp2 delivers it, field by field. nghttp2 has already checked
/// the block (pseudo-header rules, lower-case names, connection-specific fields refused, RFC 9113
/// §8.2.2); this maps it onto a RequestHead with one copy per field.
class RequestHeadBuilder
{
public:
    /// `maxBytes`: the entry point's maxHeaderBytes, counted like SETTINGS_MAX_HEADER_LIST_SIZE
    /// (name + value + 32 per field, RFC 9113 §6.5.2).
    explicit RequestHeadBuilder(qint64 maxBytes)
        : m_maxBytes(maxBytes)
    { }

    /// Adds a request field (pseudo-headers fill method/target/:authority). Fields beyond the
    /// limit are dropped and tooLarge() turns true.
    void addRequestField(RequestHead &head, QByteArrayView name, QByteArrayView value);
    /// Adds a trailer field (after the body); pseudo-headers are not allowed there.
    void addTrailerField(HeaderList &trailers, QByteArrayView name, QByteArrayView value);
    /// The block is complete: `:authority` becomes Host (RFC 9113 §8.3.1), cookie crumbs are joined
    /// with "; " (§8.2.3), the version becomes 2.0, a CONNECT target is the authority.
    void finish(RequestHead &head);
    bool tooLarge() const { return m_tooLarge; }

private:
    bool count(QByteArrayView name, QByteArrayView value);

    qint64 m_maxBytes;
    qint64 m_bytes = 0;
    QByteArray m_authority;
    int m_cookies = 0;
    bool m_tooLarge = false;
};

/// The HTTP/1 spelling of a lower-case HTTP/2 field name (`content-type` → `Content-Type`, like
/// Go's CanonicalHeaderKey). Frequent names come from a static table without allocating.
QByteArray canonicalName(QByteArrayView lowerName);

/// True for fields that are meaningful only on one HTTP/1.1 connection and must not appear in an
/// HTTP/2 message (RFC 9113 §8.2.2).
bool isConnectionSpecific(QByteArrayView name);

/// True when `input` starts with the HTTP/2 client connection preface (RFC 9113 §3.4).
bool startsWithClientPreface(QByteArrayView input);

/// An HTTP/1.1 request asking for `Upgrade: h2c` (RFC 7540 §3.2): `Connection: Upgrade,
/// HTTP2-Settings`, exactly one HTTP2-Settings field. Returns its decoded SETTINGS payload, or
/// nothing when the request does not ask for h2c or the field does not decode.
std::optional<QByteArray> h2cUpgradeSettings(const HeaderList &headers);

/// True when the request names h2c in Upgrade (whether or not it can be honoured).
bool asksForH2c(const HeaderList &headers);

/// Removes an h2c upgrade offer (h2c from Upgrade, HTTP2-Settings) from a request that stays on
/// HTTP/1.1, so it is never forwarded to an upstream that might accept it.
void removeH2cUpgrade(HeaderList &headers);

/// Builds the name/value array for nghttp2_submit_* from a response head or a trailer list:
/// `:status` first, names lower-cased into one reused buffer, connection-specific fields left out.
/// Values point into the given HeaderList, which must outlive the submit call (nghttp2 copies).
class NvList
{
public:
    /// A response head (`status` 100-999).
    void build(int status, const HeaderList &headers);
    /// Trailer fields only.
    void buildTrailers(const HeaderList &trailers);
    const nghttp2_nv *data() const { return m_nv.data(); }
    size_t size() const { return m_nv.size(); }

private:
    void addFields(const HeaderList &headers);

    std::vector<nghttp2_nv> m_nv;
    QByteArray m_names;
    char m_status[3] = { '2', '0', '0' };
};

} // namespace portico::http::h2
