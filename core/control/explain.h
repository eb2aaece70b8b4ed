#pragma once

#include "core/common/expected.h"
#include "core/common/header_list.h"
#include "core/config/static_spec.h"
#include "core/control/runtime_state.h"
#include "core/proxy/routing_table.h"

#include <QHostAddress>
#include <QJsonObject>
#include <QUrl>

#include <map>
#include <vector>

namespace portico::control {

/// A request to explain: what a client would send, not sent anywhere.
struct ExplainRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url; ///< absolute: `http://shop.localhost:8080/cart?x=1`
    HeaderList headers; ///< extra request headers; a Host here overrides the URL's authority
    QString entryPoint; ///< empty: chosen by the URL's port, else every default entry point
    QHostAddress clientIp = QHostAddress(QHostAddress::LocalHost);
};

/// How one router fared against the request.
enum class Verdict {
    Winner, ///< matched with the highest priority: it serves the request
    Matched, ///< matched, but a router of higher priority (or earlier at equal priority) won
    NotMatched, ///< its rule does not match the request
    Disabled, ///< not serving at all (its errors say why)
    OtherScheme, ///< a TLS router for a plain request, or a plain router for a TLS one
};

/// `winner`, `matched`, `not-matched`, `disabled`, `other-scheme` (API and CLI spelling).
QString verdictName(Verdict verdict);

/// One router of the entry point in the order routing tries them.
struct RouterExplanation
{
    QString name; ///< qualified
    QString rule;
    qint64 priority = 0;
    bool tls = false; ///< serves TLS connections (else plain ones)
    Verdict verdict = Verdict::NotMatched;
    QString reason; ///< one sentence: why it lost (or why it won)
};

/// A server of the winner's load balancer, and whether the balancer would pick it.
struct ServerExplanation
{
    QString url;
    int weight = 1;
    bool healthy = true;
};

/// The explanation for one entry point.
struct EntryPointExplanation
{
    QString entryPoint;
    QString why; ///< how it was chosen (`--entrypoint`, `port 8080`, `default entry point`)
    bool tls = false; ///< the URL is https: TLS routers apply
    std::vector<RouterExplanation> routers; ///< priority order (the routing order)
    int winner = -1; ///< index in `routers`, -1: no router matches (404)
    // The winner's pipeline.
    QString service;
    QStringList middlewares;
    bool paused = false; ///< paused by hand: the paused page answers
    std::vector<ServerExplanation> servers;
    QString chosenServer; ///< empty when no server is available (503) or internal
    QString serverNote; ///< `round robin: ...`, `sticky cookie ...`, `only healthy server`
};

/// The request as routing sees it plus one explanation per entry point considered.
struct Explanation
{
    QByteArray method;
    QByteArray host; ///< canonical
    QByteArray path; ///< routing path
    QByteArray query;
    std::vector<EntryPointExplanation> entryPoints;
};

/// What the explainer reads: the routing table in force, the runtime state of the same build,
/// the static entry points and the ports they are bound to.
struct ExplainContext
{
    proxy::RoutingTablePtr table;
    const RuntimeState *state = nullptr;
    std::vector<config::EntryPointSpec> entryPoints;
    std::map<QString, quint16> boundPorts; ///< entry point → port actually bound
};

/// Evaluates every router of the chosen entry points against `request` without side effects
/// (the load balancer's round-robin position is not advanced). Errors: a URL that is not
/// absolute http(s), an unknown entry point, no routing table yet.
Expected<Explanation> explain(const ExplainRequest &request, const ExplainContext &context);

/// The JSON form of the API (`GET /api/portico/explain`).
QJsonObject toJson(const Explanation &explanation);

} // namespace portico::control
