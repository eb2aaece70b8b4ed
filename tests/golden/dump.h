#pragma once

#include "core/config/loader.h"

#include <QString>

namespace portico::golden {

/// A stable, line-oriented text form of a parsed dynamic configuration and its errors.
QString dumpDynamic(const config::DynamicConfig &config);

/// The same for a static configuration result.
QString dumpStatic(const config::StaticConfigResult &result);

} // namespace portico::golden
