// Start at login on Windows: a value in the current user's Run key, which Explorer reads at
// logon. Compiled on Windows only (see ui/CMakeLists.txt).
#include "ui/settings/autostart.h"

#include <QDir>
#include <QSettings>

namespace portico::ui {

namespace {

const QString runKey
    = QStringLiteral("HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run");

} // namespace

QString autostartLocation()
{
    return runKey + QStringLiteral("\\Portico");
}

bool startsAtLogin()
{
    return QSettings(runKey, QSettings::NativeFormat).contains(QStringLiteral("Portico"));
}

Expected<void> setStartAtLogin(bool enabled, const QString &program)
{
    QSettings run(runKey, QSettings::NativeFormat);
    if (enabled)
        run.setValue(QStringLiteral("Portico"),
            QLatin1Char('"') + QDir::toNativeSeparators(program) + QLatin1Char('"'));
    else
        run.remove(QStringLiteral("Portico"));
    run.sync();
    if (run.status() != QSettings::NoError)
        return Error { QStringLiteral("cannot change \"%1\"").arg(autostartLocation()), {}, {} };
    return {};
}

} // namespace portico::ui
