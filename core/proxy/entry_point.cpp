#include "core/proxy/entry_point.h"

namespace portico::proxy {

Expected<std::shared_ptr<const EntryPointContext>> EntryPointContext::create(
    const config::EntryPointSpec &spec)
{
    auto trust = http::ForwardedTrust::create(
        spec.forwardedHeaders.trustedIPs, spec.forwardedHeaders.insecure);
    if (!trust) {
        Error e = trust.error();
        if (e.where.isEmpty())
            e.where = spec.where;
        if (e.where.path.isEmpty())
            e.where.path
                = QStringLiteral("entryPoints.%1.forwardedHeaders.trustedIPs").arg(spec.name);
        return e;
    }
    auto ctx = std::make_shared<EntryPointContext>();
    ctx->name = spec.name;
    ctx->trust = std::move(*trust);
    ctx->limits.maxHeaderBytes = spec.maxHeaderBytes > 0 ? spec.maxHeaderBytes : (1 << 20);
    // No separate knob in Traefik (Go counts the target in maxHeaderBytes); 64 KiB keeps the
    // 414 answer meaningful without refusing URLs any browser would send.
    ctx->limits.maxUriBytes = std::min<qint64>(64 * 1024, ctx->limits.maxHeaderBytes);
    ctx->readTimeoutMs = spec.respondingTimeouts.readTimeout.count();
    ctx->idleTimeoutMs = spec.respondingTimeouts.idleTimeout.count();
    // Every entry point accepts TLS as well as plain HTTP (Traefik sniffs each connection).
    auto secure = std::make_shared<EntryPointContext>(*ctx);
    secure->tls = true;
    ctx->secure = std::move(secure);
    return std::shared_ptr<const EntryPointContext>(std::move(ctx));
}

} // namespace portico::proxy
