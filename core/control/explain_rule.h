#pragma once

#include "core/rules/request_facts.h"

#include <QString>

namespace portico::control {

/// Why `rule` does not match the request, naming the top-level matchers that failed and the
/// request value they looked at, e.g. `Host(`a.localhost`) did not match host "b.localhost"`.
/// Works on the rule's text: each top-level `&&` operand (and each `||` alternative) is compiled
/// and evaluated on its own.
QString mismatchReason(const QString &rule, const rules::RequestFacts &facts);

} // namespace portico::control
