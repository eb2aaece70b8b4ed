#pragma once

#include "core/common/expected.h"
#include "core/http/message.h"

#include <QByteArray>
#include <QByteArrayView>

// The entry-point request-target pipeline Traefik v3 applies before routing
// (docs/traefik-behaviour.md, "Entry-point request pipeline"), with Go's net/url escaping rules:
//
//   target ──normalizeTarget──▶ origin-form `path?query`, forwarded upstream as is
//              │  deny raw `#` → normalizePath (decode unreserved %xx, upper-case the rest)
//              │  → sanitise (`.`/`..`/`//`) → query `;`→`&`
//   path of it ──routingPath──▶ what Path/PathPrefix/PathRegexp match
//
// Traefik forwards the normalised and sanitised path (its sanitizePath rewrites RequestURI, and
// the proxy builds the upstream request line from it), so the data plane replaces the request's
// target with normalizeTarget()'s result before routing and sends that upstream.

namespace portico::http {

/// The canonical host used for routing: from the Host header (or a non-empty absolute-form
/// authority), port and IPv6 brackets stripped, lower-cased, trimmed, one trailing dot removed.
QByteArray canonicalHost(QByteArrayView hostHeader);

/// Go's net.SplitHostPort: `host:port` or `[v6]:port` (port may be empty); false when `addr`
/// has no port or is malformed (`::1`, `[::1]`, `a:b:c`).
bool splitHostPort(QByteArrayView addr, QByteArrayView &host, QByteArrayView &port);

/// Traefik's entry-point path normalisation (v3.4.1+): decodes percent-encoded unreserved
/// characters, upper-cases the hex of the rest, then (sanitize) removes `.`/`..` segments and
/// duplicate slashes. Errors (→ 400): bad percent-encoding, a raw `#` in the target.
Expected<QByteArray> normalizePath(QByteArrayView path, bool sanitize = true);

/// The routing path matchers see: a normalised path with every percent-encoding decoded except
/// the reserved characters `: / ? # [ ] @ ! $ & ' ( ) * + , ; = %`, which stay encoded.
QByteArray routingPath(QByteArrayView normalizedPath);

/// The host a request addresses, verbatim (port kept): the authority of an absolute-form target
/// when it is non-empty (RFC 9112 §3.2.2: it overrides Host), else the Host header.
QByteArray requestHost(const RequestHead &request);

/// Runs the whole entry-point target pipeline on a request-target and returns the origin-form
/// target to route on and forward (`/a/b?x=1&y=2`). `*` and authority-form targets come back
/// unchanged. `encodeQuerySemicolons` turns `;` into `%3B` instead of `&` in the query.
Expected<QByteArray> normalizeTarget(
    QByteArrayView target, bool sanitize = true, bool encodeQuerySemicolons = false);

/// True when normalizeTarget(target) is `target` itself (default options): an origin-form target
/// whose path needs no decoding, escaping or cleaning and whose query has no `;`. A quick scan
/// that lets the data plane keep the received bytes (no copy) in the common case.
bool isNormalTarget(QByteArrayView target);

/// `target` with its path replaced by `newPath` (an escaped path), in origin-form; the query
/// (with its `?`) is kept. An empty `newPath` becomes `/`, as Go's URL.RequestURI does.
QByteArray rewriteTargetPath(QByteArrayView target, QByteArrayView newPath);

/// Decodes every well-formed `%xx`; malformed ones are copied through.
QByteArray percentDecode(QByteArrayView escaped);

/// Go's `url.PathEscape`-style escaping of a decoded path (escape(s, encodePath)): keeps
/// unreserved characters and `$ & + , / : ; = @`, encodes everything else as upper-case `%XX`.
QByteArray escapePath(QByteArrayView decodedPath);

/// Go's URL.EscapedPath(): `rawPath` when it only holds characters valid in a path and decodes
/// to `decodedPath`, else escapePath(decodedPath). Path-rewriting middlewares keep both forms.
QByteArray escapedPath(QByteArrayView rawPath, QByteArrayView decodedPath);

/// Go's path.Clean on an escaped path as URL.JoinPath applies it: removes `.`/`..` segments and
/// duplicate slashes; a trailing slash is kept; an empty path becomes `/`.
QByteArray cleanPath(QByteArrayView path);

/// True when a `/`-separated segment of `path` is `.` or `..`.
bool hasDotSegment(QByteArrayView path);

} // namespace portico::http
