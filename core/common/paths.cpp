#include "core/common/paths.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace portico::paths {

QString homeDir()
{
    const QString overridden = qEnvironmentVariable("PORTICO_HOME");
    if (!overridden.isEmpty())
        return QDir::cleanPath(overridden);
    // GenericConfigLocation: the application name is not set in every shell (tests, tools).
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/portico");
}

Expected<void> ensureHomeDir()
{
    const QString dir = homeDir();
    if (!QDir().mkpath(dir))
        return Error { QStringLiteral("cannot create \"%1\"").arg(dir), {},
            QStringLiteral("check the permissions of its parent directory or set PORTICO_HOME") };
    QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return {};
}

QString caDir()
{
    return homeDir() + QStringLiteral("/ca");
}

QString apiTokenPath()
{
    return homeDir() + QStringLiteral("/api-token");
}

QString instancePath()
{
    return homeDir() + QStringLiteral("/instance.json");
}

QString statePath()
{
    return homeDir() + QStringLiteral("/state.json");
}

} // namespace portico::paths
