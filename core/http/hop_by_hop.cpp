#include "core/http/hop_by_hop.h"

#include "core/http/forwarded.h"

#include <QVarLengthArray>

#include <algorithm>

namespace portico::http {

namespace {

// RFC 9110 §7.6.1 plus the legacy fields Go's ReverseProxy also drops (hopHeaders).
constexpr QByteArrayView kHopByHop[] = {
    "Connection",
    "Proxy-Connection",
    "Keep-Alive",
    "Proxy-Authenticate",
    "Proxy-Authorization",
    "TE",
    "Trailer",
    "Transfer-Encoding",
    "Upgrade",
};

bool isFixedHopByHop(QByteArrayView name)
{
    return std::any_of(std::begin(kHopByHop), std::end(kHopByHop),
        [&](QByteArrayView hop) { return HeaderList::nameEquals(name, hop); });
}

/// The field names listed in every Connection line, minus the ones that must survive.
QVarLengthArray<QByteArray, 8> connectionOptions(const HeaderList &headers)
{
    QVarLengthArray<QByteArray, 8> names;
    for (const HeaderField &field : headers) {
        if (!HeaderList::nameEquals(field.name, "Connection"))
            continue;
        for (const QByteArray &token : field.value.split(',')) {
            const QByteArray name = token.trimmed();
            if (!name.isEmpty() && isConnectionOptionRemovable(name)
                && !isManagedForwardedHeader(name))
                names.append(name);
        }
    }
    return names;
}

} // namespace

void removeHopByHopHeaders(HeaderList &headers, bool keepUpgrade)
{
    const QByteArray upgrade
        = keepUpgrade && isUpgradeRequest(headers) ? headers.value("Upgrade") : QByteArray();
    const auto named = connectionOptions(headers);
    auto &fields = headers.fields();
    fields.erase(std::remove_if(fields.begin(), fields.end(),
                     [&](const HeaderField &f) {
                         if (isFixedHopByHop(f.name))
                             return true;
                         return std::any_of(named.begin(), named.end(), [&](const QByteArray &n) {
                             return HeaderList::nameEquals(f.name, n);
                         });
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
