#pragma once

#include "core/common/expected.h"
#include "core/config/static_spec.h"
#include "core/http/forwarded.h"
#include "core/http/h1_parser.h"

#include <QString>

#include <memory>

namespace portico::proxy {

/// What the data plane needs of one entry point, prepared once from its EntryPointSpec and
/// shared read-only by every engine thread.
struct EntryPointContext
{
    QString name;
    http::ForwardedTrust trust;
    http::H1Limits limits;
    qint64 readTimeoutMs = 60000; ///< a request head must arrive within this (→ 408)
    qint64 idleTimeoutMs = 180000; ///< keep-alive connections without a request are closed
    bool tls = false; ///< connections that completed a TLS handshake (X-Forwarded-Proto https)
    /// The same entry point as its TLS connections see it (`tls` true, TLS routers); set on the
    /// plain context create() returns, null on the twin itself.
    std::shared_ptr<const EntryPointContext> secure;

    /// Validates the spec (trusted IPs) and fills in the limits and timeouts.
    static Expected<std::shared_ptr<const EntryPointContext>> create(
        const config::EntryPointSpec &spec);
};

using EntryPointContextPtr = std::shared_ptr<const EntryPointContext>;

} // namespace portico::proxy
