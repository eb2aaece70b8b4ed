#include "core/control/api/instance_file.h"

#include "core/common/paths.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace portico::control::api {

Expected<void> writeInstanceFile(const QUrl &api)
{
    if (auto home = paths::ensureHomeDir(); !home)
        return home.error();
    const QJsonObject instance {
        { QStringLiteral("api"), api.toString() },
        { QStringLiteral("pid"), QCoreApplication::applicationPid() },
        { QStringLiteral("version"), QStringLiteral(PORTICO_VERSION) },
    };
    QSaveFile file(paths::instancePath());
    if (!file.open(QIODevice::WriteOnly)) {
        return Error {
            QStringLiteral("cannot write \"%1\": %2").arg(file.fileName(), file.errorString()), {},
            {}
        };
    }
    file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    file.write(QJsonDocument(instance).toJson(QJsonDocument::Compact) + '\n');
    if (!file.commit())
        return Error {
            QStringLiteral("cannot write \"%1\": %2").arg(file.fileName(), file.errorString()), {},
            {}
        };
    return {};
}

bool removeInstanceFileIfOurs(const QUrl &api)
{
    QFile file(paths::instancePath());
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject instance = QJsonDocument::fromJson(file.readAll()).object();
    file.close();
    if (instance.value(QStringLiteral("pid")).toInteger() != QCoreApplication::applicationPid()
        || instance.value(QStringLiteral("api")).toString() != api.toString())
        return false;
    return file.remove();
}

} // namespace portico::control::api
