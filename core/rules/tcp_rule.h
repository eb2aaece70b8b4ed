#pragma once

#include "core/rules/node.h"

#include <QStringList>

namespace portico::rules {

/// Parses a Traefik v3 TCP router rule: `HostSNI`, `HostSNIRegexp`, `ClientIP` and `ALPN`
/// combined with `&&`, `||`, `!` and parentheses (pkg/muxer/tcp). The result matches
/// RequestFacts whose `host` is the canonical TLS server name (empty without SNI), `clientIp`
/// the peer and `alpn` the offered protocols. Errors carry the 1-based column.
Expected<Rule> parseTcpRule(QStringView text);

/// Builds one TCP matcher (the MatcherBuilder of parseTcpRule).
Expected<NodePtr> makeTcpMatcher(
    const QString &name, int nameColumn, const std::vector<Argument> &args);

/// The canonical TCP matcher names, in documentation order.
QStringList tcpMatcherNames();

} // namespace portico::rules
