#include "core/provider/ports/ports_choices.h"

#include "core/common/paths.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace portico::provider::ports {

PortsChoices::PortsChoices(QString path)
    : m_path(std::move(path))
{ }

Expected<void> PortsChoices::load()
{
    m_choices.clear();
    QFile file(m_path);
    if (!file.exists())
        return {};
    if (!file.open(QIODevice::ReadOnly))
        return Error { QStringLiteral("cannot read \"%1\": %2").arg(m_path, file.errorString()), {},
            {} };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject())
        return Error {
            QStringLiteral("\"%1\" is not a JSON object: %2").arg(m_path, parseError.errorString()),
            {}, {}
        };
    for (const QJsonValue &value : document.object().value(QLatin1String("servers")).toArray()) {
        const QJsonObject entry = value.toObject();
        m_choices[{ entry.value(QLatin1String("root")).toString(),
            entry.value(QLatin1String("command")).toString() }]
            = Choice { entry.value(QLatin1String("name")).toString(),
                  entry.value(QLatin1String("published")).toBool(true) };
    }
    return {};
}

std::optional<Choice> PortsChoices::find(const QString &root, const QString &command) const
{
    const auto found = m_choices.find({ root, command });
    if (found == m_choices.end())
        return std::nullopt;
    return found->second;
}

Expected<void> PortsChoices::set(const QString &root, const QString &command, const Choice &choice)
{
    m_choices[{ root, command }] = choice;
    return save();
}

Expected<void> PortsChoices::save() const
{
    QJsonArray servers;
    for (const auto &[key, choice] : m_choices) {
        servers.append(QJsonObject { { QStringLiteral("root"), key.first },
            { QStringLiteral("command"), key.second }, { QStringLiteral("name"), choice.name },
            { QStringLiteral("published"), choice.published } });
    }
    if (const auto home = paths::ensureHomeDir(); !home.ok())
        return home.error();
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return Error { QStringLiteral("cannot write \"%1\": %2").arg(m_path, file.errorString()),
            {}, {} };
    file.write(QJsonDocument(QJsonObject { { QStringLiteral("servers"), servers } })
                   .toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error { QStringLiteral("cannot write \"%1\": %2").arg(m_path, file.errorString()),
            {}, {} };
    return {};
}

} // namespace portico::provider::ports
