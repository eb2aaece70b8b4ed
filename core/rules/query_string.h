#pragma once

#include <QByteArrayView>
#include <QVarLengthArray>

namespace portico::rules::query {

/// True when every `%` starts a two-hex-digit escape (Go's url.QueryUnescape would succeed).
bool validEscapes(QByteArrayView encoded);

/// True when `encoded`, percent-decoded with `+` as space, equals `plain`; no allocation.
bool decodedEquals(QByteArrayView encoded, QByteArrayView plain);

/// Percent-decodes `encoded` (`+` as space) into `out`; `encoded` must have validEscapes().
void decodeInto(QByteArrayView encoded, QVarLengthArray<char, 256> &out);

/// Calls `visit(key, value)` (both still encoded) for each pair of a raw query as Go's
/// url.ParseQuery keeps them: pairs split on `&` and `;` (Traefik turns `;` into `&` by
/// default), empty pairs skipped, pairs with a bad escape in key or value dropped. Stops when
/// `visit` returns true and returns true then.
template <typename Visit> bool forEachPair(QByteArrayView raw, Visit &&visit)
{
    while (!raw.isEmpty()) {
        qsizetype end = 0;
        while (end < raw.size() && raw[end] != '&' && raw[end] != ';')
            ++end;
        const QByteArrayView pair = raw.first(end);
        raw = end < raw.size() ? raw.sliced(end + 1) : QByteArrayView();
        if (pair.isEmpty())
            continue;
        const qsizetype eq = pair.indexOf('=');
        const QByteArrayView key = eq < 0 ? pair : pair.first(eq);
        const QByteArrayView value = eq < 0 ? QByteArrayView() : pair.sliced(eq + 1);
        if (!validEscapes(key) || !validEscapes(value))
            continue;
        if (visit(key, value))
            return true;
    }
    return false;
}

} // namespace portico::rules::query
