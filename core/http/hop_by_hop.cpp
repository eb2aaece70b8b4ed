#include "core/http/hop_by_hop.h"

#include "core/common/ascii.h"
#include "core/http/forwarded.h"

#include <QVarLengthArray>

#include <algorithm>

namespace portico::http {

namespace {

/// RFC 9110 §7.6.1 plus the legacy fields Go's ReverseProxy also drops (hopHeaders):
/// Connection, Proxy-Connection, Keep-Alive, Proxy-Authenticate, Proxy-Authorization, TE,
/// Trailer, Transfer-Encoding, Upgrade.
bool isFixedHopByHop(QByteArrayView name)
{
    // Every field of every message passes here: the length picks the one or two candidates.
    const auto is = [&](QByteArrayView hop) { return ascii::equalsIgnoreCase(name, hop); };
    switch (name.size()) {
    case 2:
        return is("TE");
    case 7:
        return is("Trailer") || is("Upgrade");
    case 10:
        return is("Connection") || is("Keep-Alive");
    case 16:
        return is("Proxy-Connection");
    case 17:
        return is("Transfer-Encoding");
    case 18:
        return is("Proxy-Authenticate");
    case 19:
        return is("Proxy-Authorization");
    default:
        return false;
    }
}

/// The field names listed in every Connection line, minus the ones that must survive. The views
/// point into `lines`, shared copies of the Connection values that outlive the field erasure
/// (no per-token allocations on the request path).
QVarLengthArray<QByteArrayView, 8> connectionOptions(
    const HeaderList &headers, QVarLengthArray<QByteArray, 2> &lines)
{
    QVarLengthArray<QByteArrayView, 8> names;
    for (const HeaderField &field : headers) {
        if (ascii::equalsIgnoreCase(field.name, "Connection"))
            lines.append(field.value);
    }
    for (const QByteArray &line : lines) {
        forEachListToken(line, [&](QByteArrayView name) {
            if (isConnectionOptionRemovable(name) && !isManagedForwardedHeader(name))
                names.append(name);
        });
    }
    return names;
}

} // namespace

void removeHopByHopHeaders(HeaderList &headers, bool keepUpgrade)
{
    // Most requests carry no hop-by-hop field at all. Without one there is no Connection line,
    // hence nothing named in it and no upgrade to keep: one cheap pass settles it.
    if (std::none_of(headers.begin(), headers.end(),
            [](const HeaderField &f) { return isFixedHopByHop(f.name); }))
        return;
    const QByteArray upgrade
        = keepUpgrade && isUpgradeRequest(headers) ? headers.value("Upgrade") : QByteArray();
    QVarLengthArray<QByteArray, 2> lines;
    const auto named = connectionOptions(headers, lines);
    auto &fields = headers.fields();
    fields.erase(std::remove_if(fields.begin(), fields.end(),
                     [&](const HeaderField &f) {
                         if (isFixedHopByHop(f.name))
                             return true;
                         return std::any_of(named.begin(), named.end(),
                             [&](QByteArrayView n) { return ascii::equalsIgnoreCase(f.name, n); });
                     }),
        fields.end());
    // Go's ReverseProxy: an upgrade handshake is forwarded as `Connection: Upgrade` + `Upgrade: x`.
    if (!upgrade.isEmpty()) {
        headers.add(QByteArrayLiteral("Connection"), QByteArrayLiteral("Upgrade"));
        headers.add(QByteArrayLiteral("Upgrade"), upgrade);
    }
}

bool isUpgradeRequest(const HeaderList &headers)
{
    return headers.hasToken("Connection", "upgrade") && !headers.value("Upgrade").isEmpty();
}

bool acceptsTrailers(const HeaderList &headers)
{
    return headers.hasToken("TE", "trailers");
}

bool isConnectionOptionRemovable(QByteArrayView name)
{
    for (QByteArrayView kept : { QByteArrayView("Host"), QByteArrayView("Content-Length"),
             QByteArrayView("Transfer-Encoding"), QByteArrayView("Connection"),
             QByteArrayView("Upgrade") }) {
        if (HeaderList::nameEquals(name, kept))
            return false;
    }
    return true;
}

} // namespace portico::http
