#pragma once

#include "core/common/header_list.h"
#include "core/config/dynamic_spec.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <vector>

namespace portico::service {

/// A load balancer's sticky-session cookie with Traefik v3 semantics: the cookie holds a hash of
/// the chosen server's URL and brings the client back to that server while it stays healthy.
class StickyCookie
{
public:
    /// Builds the cookie of service `qualifiedService` (e.g. `api@file`) from its spec.
    StickyCookie(const QString &qualifiedService, const config::StickyCookieSpec &spec);

    /// Traefik's generated name: `_` + the first 5 hex digits of SHA-1("_TRAEFIK_BACKEND_" +
    /// service).
    static QByteArray defaultName(const QString &qualifiedService);
    /// A configured name with every character outside the RFC 2616 §2.2 token set replaced by `_`.
    static QByteArray sanitizeName(const QString &name);
    /// The value naming a server: the first 16 hex digits of SHA-256 of its configured URL.
    static QByteArray valueFor(const QString &serverUrl);
    /// Older values Traefik still honours (raw URL, FNV-64 hex, FNV-64 of that); a request that
    /// carries one is served by that server and gets the cookie rewritten.
    static std::vector<QByteArray> legacyValuesFor(const QString &serverUrl);

    const QByteArray &name() const { return m_name; }
    /// The cookie's value in the request (first match over all Cookie lines, RFC 6265 §5.4),
    /// unquoted; a null QByteArray when absent.
    QByteArray read(const HeaderList &requestHeaders) const;
    /// The Set-Cookie field value for `value`, attributes in Go net/http's order and spelling.
    QByteArray setCookie(const QByteArray &value) const;

private:
    QByteArray m_name;
    QByteArray m_attributes; ///< everything after `name=value`, precomputed
};

} // namespace portico::service
