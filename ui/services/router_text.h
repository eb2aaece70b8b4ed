#pragma once

#include "core/common/error.h"
#include "core/control/runtime_state.h"

#include <QString>
#include <QUrl>

#include <map>
#include <vector>

namespace portico::ui {

/// An error as a person reads it in a table cell: `routes.yaml:4:13: unknown matcher …` (file name
/// without its directory, config path left out when there is a file position; toString() has both).
QString shortErrorText(const Error &error);

/// The errors of an object for one table cell: the first one, and `(+N more)`.
QString errorsCell(const std::vector<Error> &errors);

/// Every error, one per line, with full paths (tooltips, detail pane).
QString errorsTooltip(const std::vector<Error> &errors);

/// The address a browser reaches a router at, derived from its rule's first Host(`…`) and first
/// Path/PathPrefix (when the rule has no `||`) on the first entry point it is mounted on; a rule
/// without Host is reached on `localhost`. Invalid when the router is disabled, the rule only
/// matches patterns (HostRegexp, …) or its entry points are not bound.
QUrl routerUrl(const control::RouterState &router, const std::map<QString, quint16> &ports);

/// The first Host(`…`) of `rule`; empty when it has none.
QString ruleHost(const QString &rule);

/// False for Portico's own routers (provider `internal`, e.g. portico.localhost → the API): the
/// services list and the tray show what the user runs, not Portico itself.
bool isUserRouter(const control::RouterState &router);

} // namespace portico::ui
