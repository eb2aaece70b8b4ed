#pragma once

#include "core/tls/trust/trust_store.h"

#include <QString>
#include <QStringList>

namespace portico::tls::trust {

/// Where to look for trust stores; fromProcess() reads the real environment, tests point it
/// at temporary directories.
struct StoreEnvironment
{
    QString home; ///< $HOME (Linux) or %APPDATA% (Windows, for Firefox profiles)
    QString systemRoot; ///< prefix of the system store's paths; empty = the real machine
    QString javaHome; ///< $JAVA_HOME; empty = the JDK of `java` on PATH
    bool includeJava = true;

    /// $HOME / %APPDATA% and $JAVA_HOME of this process.
    static StoreEnvironment fromProcess();
};

/// Every trust store of this platform, available or not, in the order they are shown: the OS
/// store first, then browsers' NSS databases, then Java. The only list of store kinds.
TrustStoreList discoverTrustStores(const StoreEnvironment &environment);

/// The kinds `--store` accepts on this platform (`system`, `nss`, `firefox`, `java`, ...).
QStringList trustStoreKinds();

} // namespace portico::tls::trust
