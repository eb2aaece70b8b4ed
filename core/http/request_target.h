#pragma once

#include "core/common/expected.h"

#include <QByteArray>
#include <QByteArrayView>

namespace portico::http {

/// The canonical host used for routing: from the Host header (or a non-empty absolute-form
/// authority), port and IPv6 brackets stripped, lower-cased, trimmed, one trailing dot removed.
QByteArray canonicalHost(QByteArrayView hostHeader);

/// Traefik's entry-point path normalisation (v3.4.1+): decodes percent-encoded unreserved
/// characters, upper-cases the hex of the rest, then (sanitize) removes `.`/`..` segments and
/// duplicate slashes. Errors (→ 400): bad percent-encoding, a raw `#` in the target.
Expected<QByteArray> normalizePath(QByteArrayView path, bool sanitize = true);

/// The routing path matchers see: a normalised path with every percent-encoding decoded except
/// the reserved characters `: / ? # [ ] @ ! $ & ' ( ) * + , ; = %`, which stay encoded.
QByteArray routingPath(QByteArrayView normalizedPath);

} // namespace portico::http
