// Start at login on Linux: an XDG Autostart entry (freedesktop.org Desktop Application Autostart
// Specification), honoured by GNOME, KDE, Xfce and most other desktops.
#include "ui/settings/autostart.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>

namespace portico::ui {

QString autostartLocation()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation)
        + QStringLiteral("/autostart/portico.desktop");
}

bool startsAtLogin()
{
    return QFileInfo::exists(autostartLocation());
}

Expected<void> setStartAtLogin(bool enabled, const QString &program)
{
    const QString path = autostartLocation();
    if (!enabled) {
        if (QFileInfo::exists(path) && !QFile::remove(path))
            return Error { QStringLiteral("cannot remove \"%1\"").arg(path), {}, {} };
        return {};
    }
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error { QStringLiteral("cannot write \"%1\": %2").arg(path, file.errorString()), {},
            {} };
    // Exec quoting: the Desktop Entry Specification's rules for arguments with spaces.
    QString exec = program;
    exec.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    file.write("[Desktop Entry]\n"
               "Type=Application\n"
               "Name=Portico\n"
               "Comment=Local reverse proxy for development\n"
               "Exec=\""
        + exec.toUtf8()
        + "\"\n"
          "Icon=portico\n"
          "Terminal=false\n"
          "X-GNOME-Autostart-enabled=true\n");
    if (!file.commit())
        return Error { QStringLiteral("cannot write \"%1\": %2").arg(path, file.errorString()), {},
            {} };
    return {};
}

} // namespace portico::ui
