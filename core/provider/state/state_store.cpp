#include "core/provider/state/state_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace portico::provider {

namespace {

const QString kHint = QStringLiteral(
    "fix or remove the file; Portico keeps the last good state and will not overwrite it");

/// 1-based line and column of a byte offset, for JSON parse errors.
SourceLocation locate(const QByteArray &content, int offset, const QString &path)
{
    SourceLocation where { path, 1, 1, {} };
    for (int i = 0; i < offset && i < content.size(); ++i) {
        if (content[i] == '\n') {
            ++where.line;
            where.column = 1;
        } else {
            ++where.column;
        }
    }
    return where;
}

Error schemaError(const QString &path, const QString &field, const QString &message)
{
    return Error { message, SourceLocation { path, 0, 0, field }, kHint };
}

Expected<std::map<QString, QString>> parseAliases(const QJsonValue &value, const QString &path)
{
    std::map<QString, QString> aliases;
    if (value.isUndefined() || value.isNull())
        return aliases;
    if (!value.isObject())
        return schemaError(
            path, QStringLiteral("aliases"), QStringLiteral("expected an object of name → URL"));
    const QJsonObject object = value.toObject();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!it.value().isString())
            return schemaError(path, QStringLiteral("aliases.") + it.key(),
                QStringLiteral("expected a URL string for alias \"%1\"").arg(it.key()));
        aliases[it.key()] = it.value().toString();
    }
    return aliases;
}

Expected<QStringList> parsePaused(const QJsonValue &value, const QString &path)
{
    QStringList paused;
    if (value.isUndefined() || value.isNull())
        return paused;
    if (!value.isArray())
        return schemaError(
            path, QStringLiteral("paused"), QStringLiteral("expected a list of router names"));
    for (const QJsonValue &entry : value.toArray()) {
        if (!entry.isString())
            return schemaError(path, QStringLiteral("paused"),
                QStringLiteral("expected router names, found %1")
                    .arg(QString::fromUtf8(
                        QJsonDocument(QJsonArray { entry }).toJson(QJsonDocument::Compact))));
        paused << entry.toString();
    }
    paused.removeDuplicates();
    paused.sort();
    return paused;
}

} // namespace

QByteArray serializeState(const PersistentState &state)
{
    QJsonObject aliases;
    for (const auto &[name, target] : state.aliases)
        aliases.insert(name, target);
    const QJsonObject root { { QStringLiteral("version"), 1 },
        { QStringLiteral("aliases"), aliases },
        { QStringLiteral("paused"), QJsonArray::fromStringList(state.paused) } };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

Expected<PersistentState> parseState(const QByteArray &content, const QString &path)
{
    if (content.trimmed().isEmpty())
        return PersistentState {};
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(content, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error { QStringLiteral("invalid JSON: %1").arg(parseError.errorString()),
            locate(content, parseError.offset, path), kHint };
    if (!document.isObject())
        return Error { QStringLiteral("expected a JSON object"), SourceLocation { path, 1, 1, {} },
            kHint };
    const QJsonObject root = document.object();
    auto aliases = parseAliases(root.value(QLatin1String("aliases")), path);
    if (!aliases)
        return aliases.error();
    auto paused = parsePaused(root.value(QLatin1String("paused")), path);
    if (!paused)
        return paused.error();
    return PersistentState { std::move(aliases.value()), std::move(paused.value()) };
}

StateStore::StateStore(QString path)
    : m_path(std::move(path))
{ }

Expected<void> StateStore::load()
{
    QFile file(m_path);
    if (!file.exists()) {
        m_loadError.reset();
        m_state = {};
        return {};
    }
    if (!file.open(QIODevice::ReadOnly)) {
        m_loadError
            = Error { QStringLiteral("cannot read the state file: %1").arg(file.errorString()),
                  SourceLocation { m_path, 0, 0, {} }, QStringLiteral("check its permissions") };
        return *m_loadError;
    }
    auto parsed = parseState(file.readAll(), m_path);
    if (!parsed) {
        m_loadError = parsed.error();
        return parsed.error();
    }
    m_loadError.reset();
    m_state = std::move(parsed.value());
    return {};
}

Expected<void> StateStore::save(const PersistentState &state)
{
    if (m_loadError)
        return Error { QStringLiteral("refusing to overwrite the state file, which could not be "
                                      "read: %1")
                           .arg(m_loadError->toString()),
            SourceLocation { m_path, 0, 0, {} }, kHint };
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSaveFile file(m_path);
    const bool written = file.open(QIODevice::WriteOnly)
        && file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        && file.write(serializeState(state)) >= 0 && file.commit();
    if (!written)
        return Error { QStringLiteral("cannot write the state file: %1").arg(file.errorString()),
            SourceLocation { m_path, 0, 0, {} },
            QStringLiteral("check the permissions of its directory") };
    m_state = state;
    return {};
}

} // namespace portico::provider
