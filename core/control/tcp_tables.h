#pragma once

#include "core/control/table_builder.h"

namespace portico::control {

/// Builds the TCP part of a routing table (Traefik's `tcp` section): validates TCP services,
/// middlewares and routers one by one — a bad object is disabled with its error (file:line:col,
/// did-you-mean hints), the rest serves — and compiles rules and balancers into
/// RoutingTable::tcp. Records every TCP object in result.state. Leaves result.table untouched
/// when no provider defines a TCP router, so HTTP-only setups do not change at all.
void addTcpRoutes(const Snapshots &snapshots,
    const std::vector<config::EntryPointSpec> &entryPoints, TableBuilder::Result &result);

} // namespace portico::control
