#pragma once

// Internal to core/config: the schema readers behind loader.h. Each reads one part of a parsed
// YAML document into spec structs and reports every problem it finds (it never stops early).

#include "core/config/dynamic_spec.h"
#include "core/config/reader.h"
#include "core/config/static_spec.h"

namespace portico::config::schema {

/// The whole static document (Traefik v3 layout plus `portico:`).
void readStatic(const Node &root, StaticConfig &config, Errors &errors);
/// `entryPoints:`; also folds each `transport.lifeCycle.graceTimeOut` into config.graceTimeout.
void readEntryPoints(const Node &node, StaticConfig &config, Errors &errors);
/// `serversTransport:`.
void readServersTransport(const Node &node, ServersTransportSpec &spec, Errors &errors);
/// The fields the static `serversTransport` and dynamic `http.serversTransports` share:
/// insecureSkipVerify, rootCAs, maxIdleConnsPerHost and the three forwarding timeouts
/// (transport_schema.cpp).
void readTransportFields(
    MapReader &r, MapReader &timeouts, ServersTransportSpec &spec, Errors &errors);
/// `http.serversTransports.<name>`; problems land in the object's Origin.
ServersTransportObjectSpec readServersTransportObject(const Node::Entry &entry);

/// The whole dynamic document (`http:`; `tcp`, `udp`, `tls` are refused as not supported yet).
void readDynamic(const Node &root, DynamicConfig &config);
/// `http.services.<name>`; per-object problems land in the service's Origin.
ServiceSpec readService(const Node::Entry &entry);
/// `tcp:` of a dynamic document: routers, services and middlewares (tcp_schema.cpp).
void readTcp(const Node &node, DynamicConfig &config);
/// `tls:` of a dynamic document: certificates, options and stores (tls_schema.cpp).
void readTls(const Node &node, DynamicConfig &config);

/// Where a named object (router, service, middleware) is defined: its key in the document.
Origin originOf(const Node::Entry &entry);
/// A field every object of its kind needs; reported at the object's name when absent or empty
/// (a value of the wrong type was already reported where it is).
void requireField(const Node::Entry &entry, const Node &node, const QString &value, Errors &errors);
/// `tls.domains[]` of a router or entry point: `main` and `sans`, the names a certificate is
/// requested for.
void readTlsDomains(const Node &node, std::vector<RouterTlsSpec::Domain> &domains, Errors &errors);

} // namespace portico::config::schema
