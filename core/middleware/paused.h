#pragma once

#include "core/middleware/middleware.h"

#include <memory>

namespace portico::middleware {

/// Answers every request of a paused router with 503 and a page saying it is paused and how to
/// resume it, instead of forwarding. Internal: the TableBuilder puts it first in a paused router's
/// chain, so the router keeps its definition and its name keeps answering.
class PausedPage : public Middleware
{
public:
    /// `router` is the qualified router name (`shop@state`).
    explicit PausedPage(const QString &router);

    std::optional<LocalResponse> handleRequest(RequestContext &context) const override;

    /// The media type the page is sent as for an Accept field value (RFC 9110 §12.5.1): the
    /// best-ranked of text/html, application/json and text/plain; HTML when nothing is preferred.
    static QByteArray negotiate(const QByteArray &accept);

private:
    QByteArray m_html;
    QByteArray m_json;
    QByteArray m_text;
};

/// A PausedPage for `router`, shared between engine threads.
std::shared_ptr<const Middleware> pausedPage(const QString &router);

} // namespace portico::middleware
