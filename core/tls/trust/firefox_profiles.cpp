#include "core/tls/trust/firefox_profiles.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>

namespace portico::tls::trust {

namespace {

bool hasNssDatabase(const QString &directory)
{
    const QDir dir(directory);
    return dir.exists(QStringLiteral("cert9.db")) || dir.exists(QStringLiteral("cert8.db"));
}

QStringList profilesFromIni(const QString &root)
{
    const QString iniPath = root + QStringLiteral("/profiles.ini");
    if (!QFileInfo::exists(iniPath))
        return {};
    QSettings ini(iniPath, QSettings::IniFormat);
    QStringList result;
    for (const QString &group : ini.childGroups()) {
        if (!group.startsWith(QStringLiteral("Profile")))
            continue; // [General], [Install...] and [BackgroundTasksProfiles] hold no profiles
        const QString path = ini.value(group + QStringLiteral("/Path")).toString();
        if (path.isEmpty())
            continue;
        const bool relative = ini.value(group + QStringLiteral("/IsRelative"), 1).toInt() != 0;
        result.append(relative ? QDir(root).filePath(path) : path);
    }
    return result;
}

// Profiles missing from profiles.ini (copied in, or a Firefox that never wrote the file).
QStringList profilesOnDisk(const QString &root)
{
    QStringList result;
    for (const QString &parent : { root, root + QStringLiteral("/Profiles") }) {
        const QDir dir(parent);
        for (const QString &sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
            result.append(dir.filePath(sub));
    }
    return result;
}

} // namespace

QStringList firefoxProfileRoots(const QString &home)
{
#ifdef Q_OS_WIN
    return { home + QStringLiteral("/Mozilla/Firefox") };
#else
    return { home + QStringLiteral("/.mozilla/firefox"),
        home + QStringLiteral("/snap/firefox/common/.mozilla/firefox"),
        home + QStringLiteral("/.var/app/org.mozilla.firefox/.mozilla/firefox") };
#endif
}

QStringList firefoxProfiles(const QStringList &roots)
{
    QStringList result;
    for (const QString &root : roots) {
        for (const QString &candidate : profilesFromIni(root) + profilesOnDisk(root)) {
            const QString canonical = QFileInfo(candidate).canonicalFilePath();
            if (!canonical.isEmpty() && hasNssDatabase(canonical) && !result.contains(canonical))
                result.append(canonical);
        }
    }
    return result;
}

} // namespace portico::tls::trust
