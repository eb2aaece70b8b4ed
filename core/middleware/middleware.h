#pragma once

#include "core/http/message.h"

#include <QHostAddress>
#include <QString>

#include <optional>

namespace portico::middleware {

/// The request as it will be forwarded, plus facts about its connection. Middlewares may edit
/// `request`; per-request state lives here, never in the middleware.
struct RequestContext
{
    http::RequestHead &request;
    QHostAddress clientIp;
    bool tls = false;
    QString entryPoint;
};

/// A response produced by Portico itself instead of forwarding (redirect, auth failure, …).
struct LocalResponse
{
    http::ResponseHead head;
    QByteArray body;
};

/// One configured middleware. Holds only immutable configuration; shared between engine threads.
class Middleware
{
public:
    virtual ~Middleware() = default;
    /// Edits the request, or returns a response that ends the exchange (nothing is forwarded).
    virtual std::optional<LocalResponse> handleRequest(RequestContext &context) const = 0;
    /// Edits the upstream response head before it goes downstream.
    virtual void handleResponse(const RequestContext &, http::ResponseHead &) const { }
};

} // namespace portico::middleware
