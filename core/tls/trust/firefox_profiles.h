#pragma once

#include <QString>
#include <QStringList>

namespace portico::tls::trust {

/// Firefox installations' profile roots for a home directory: `~/.mozilla/firefox` and the snap
/// and flatpak copies on Linux, `%APPDATA%/Mozilla/Firefox` on Windows (`home` is then APPDATA).
QStringList firefoxProfileRoots(const QString &home);

/// Every profile directory under `roots`: those listed in each root's profiles.ini (relative and
/// absolute `Path=`) plus any sub-directory (or `Profiles/` sub-directory) holding an NSS
/// database; canonical paths, without duplicates.
QStringList firefoxProfiles(const QStringList &roots);

} // namespace portico::tls::trust
