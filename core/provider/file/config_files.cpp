#include "core/provider/file/config_files.h"

#include "core/config/loader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace portico::provider {

namespace {

Error fileError(const QString &path, QString message, QString hint = {})
{
    return Error { std::move(message), { path, 0, 0, QString() }, std::move(hint) };
}

/// `.yaml`/`.yml` are read; `.toml` is refused with advice; anything else is not ours.
enum class FileKind { Yaml, Toml, Other };

FileKind kindOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("yaml") || suffix == QLatin1String("yml"))
        return FileKind::Yaml;
    if (suffix == QLatin1String("toml"))
        return FileKind::Toml;
    return FileKind::Other;
}

Error tomlError(const QString &path)
{
    return fileError(path, QStringLiteral("TOML is not supported; convert it to YAML"));
}

/// Depth-first, sorted by name within each directory: Traefik's traversal order.
void collectTree(const QString &dir, FileSetRead &read, QStringList &yamlFiles)
{
    read.directories.append(dir);
    const QFileInfoList entries
        = QDir(dir).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo &info : entries) {
        const QString path = QDir(dir).filePath(info.fileName());
        if (info.isDir()) {
            collectTree(path, read, yamlFiles);
        } else if (kindOf(path) == FileKind::Yaml) {
            yamlFiles.append(path);
        } else if (kindOf(path) == FileKind::Toml) {
            read.failures.push_back(tomlError(path));
        }
    }
}

/// Reads and parses one file; a syntax error or unreadable file becomes a failure.
void readOne(const QString &path, FileSetRead &read, QCryptographicHash &digest)
{
    read.files.append(path);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        read.failures.push_back(
            fileError(path, QStringLiteral("cannot read file: ") + f.errorString().toLower()));
        return;
    }
    const QByteArray bytes = f.readAll();
    digest.addData(path.toUtf8() + '\0' + QByteArray::number(bytes.size()) + '\0');
    digest.addData(bytes);
    Expected<config::DynamicConfig> parsed = config::tryParseDynamicConfig(bytes, path);
    if (!parsed) {
        read.failures.push_back(parsed.error());
        return;
    }
    if (!read.config)
        read.config = config::DynamicConfig {};
    mergeDynamicConfig(*read.config, std::move(parsed).value());
}

QStringList filesToRead(const config::FileProviderSpec &spec, FileSetRead &read)
{
    QStringList files;
    if (!spec.directory.isEmpty()) {
        if (!QFileInfo(spec.directory).isDir())
            read.failures.push_back(
                fileError(spec.directory, QStringLiteral("cannot read directory: not found")));
        else
            collectTree(spec.directory, read, files);
        read.directories.append(QFileInfo(spec.directory).absolutePath());
        return files;
    }
    read.directories.append(QFileInfo(spec.filename).absolutePath());
    switch (kindOf(spec.filename)) {
    case FileKind::Yaml:
        files.append(spec.filename);
        break;
    case FileKind::Toml:
        read.failures.push_back(tomlError(spec.filename));
        break;
    case FileKind::Other:
        read.failures.push_back(
            fileError(spec.filename, QStringLiteral("unsupported file extension"),
                QStringLiteral("name the file .yaml or .yml")));
        break;
    }
    return files;
}

template <typename Spec>
void mergeObjects(
    std::vector<Spec> &into, std::vector<Spec> &&from, const char *what, std::vector<Error> &errors)
{
    for (Spec &object : from) {
        const auto same = [&](const Spec &seen) { return seen.name == object.name; };
        const auto first = std::find_if(into.begin(), into.end(), same);
        if (first == into.end()) {
            into.push_back(std::move(object));
            continue;
        }
        const SourceLocation &at = first->origin.where;
        const QString place = QStringLiteral("%1:%2:%3").arg(at.file).arg(at.line).arg(at.column);
        errors.push_back(Error { QStringLiteral("%1 \"%2\" already defined in %3")
                                     .arg(QLatin1String(what), object.name, place),
            object.origin.where, QStringLiteral("the first definition wins") });
    }
}

} // namespace

void mergeDynamicConfig(config::DynamicConfig &into, config::DynamicConfig &&from)
{
    mergeObjects(into.routers, std::move(from.routers), "router", into.errors);
    mergeObjects(into.services, std::move(from.services), "service", into.errors);
    mergeObjects(into.middlewares, std::move(from.middlewares), "middleware", into.errors);
    mergeObjects(
        into.serversTransports, std::move(from.serversTransports), "serversTransport", into.errors);
    into.errors.insert(into.errors.end(), from.errors.begin(), from.errors.end());
}

FileSetRead readConfigFiles(const config::FileProviderSpec &spec)
{
    FileSetRead read;
    if (spec.filename.isEmpty() && spec.directory.isEmpty()) {
        read.failures.push_back(Error { QStringLiteral("neither filename nor directory is defined"),
            { QString(), 0, 0, QStringLiteral("providers.file") }, {} });
        return read;
    }
    QCryptographicHash digest(QCryptographicHash::Sha256);
    for (const QString &path : filesToRead(spec, read))
        readOne(path, read, digest);
    if (!read.failures.empty()) {
        read.config.reset();
        for (const Error &e : read.failures)
            digest.addData(e.toString().toUtf8() + '\n');
    } else if (!read.config) {
        read.config = config::DynamicConfig {}; // an empty directory is a valid, empty config
    }
    read.fingerprint = digest.result();
    return read;
}

} // namespace portico::provider
