#pragma once

#include "core/config/loader.h"

#include <QString>
#include <QStringList>

namespace portico::golden {

/// A stable, line-oriented text form of a parsed dynamic configuration and its errors.
QString dumpDynamic(const config::DynamicConfig &config);

/// The same for a static configuration result.
QString dumpStatic(const config::StaticConfigResult &result);

/// The TLS parts of an entry point (`http.tls`, `http.redirections`), when present (dump_tls.cpp).
void dumpEntryPointTls(const config::EntryPointSpec &ep, QStringList &out);
/// The dynamic `tls` section (certificates, options, stores), when present.
void dumpTlsSection(const config::DynamicConfig &config, QStringList &out);

} // namespace portico::golden
