#pragma once

#include "core/rules/node.h"

#include <QStringList>

namespace portico::rules {

/// Builds a matcher node from its name as written in the rule and its arguments; checks the
/// name (four accepted spellings), the argument count and empty arguments. `nameColumn` locates
/// errors about the name and the count.
Expected<NodePtr> makeMatcher(
    const QString &name, int nameColumn, const std::vector<Argument> &args);

/// The canonical matcher names, in documentation order.
QStringList matcherNames();

} // namespace portico::rules
