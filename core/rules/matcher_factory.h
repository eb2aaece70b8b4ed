#pragma once

#include "core/rules/node.h"

#include <QStringList>

namespace portico::rules {

/// Builds a matcher node from its name as written in the rule and its arguments; checks the
/// name (four accepted spellings), the argument count and empty arguments. `nameColumn` locates
/// errors about the name and the count.
Expected<NodePtr> makeMatcher(
    const QString &name, int nameColumn, const std::vector<Argument> &args);

/// Traefik registers each matcher under exactly four spellings: as documented, lower case,
/// upper case, and capitalised lower case (`PathPrefix`, `pathprefix`, `PATHPREFIX`, `Pathprefix`).
bool matcherSpelledAs(const QString &written, QLatin1String name);

/// The canonical matcher names, in documentation order.
QStringList matcherNames();

} // namespace portico::rules
