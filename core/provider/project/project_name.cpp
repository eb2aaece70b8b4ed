#include "core/provider/project/project_name.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include <optional>

namespace portico::provider {

namespace {

/// Where git keeps a work tree's data, found from its `.git` entry.
struct GitLocation
{
    QString top; ///< the work tree's top directory
    QString gitDir; ///< its private git directory (`.git` or `.git/worktrees/<id>`)
    QString commonDir; ///< the repository's shared git directory
    bool linked = false; ///< a worktree added with `git worktree add`
};

QString readTrimmed(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll()).trimmed();
}

QString resolve(const QString &base, const QString &path)
{
    return QDir::cleanPath(QDir(base).absoluteFilePath(path));
}

/// Reads `<top>/.git`: a directory in a main work tree, a `gitdir: PATH` file in a linked worktree
/// or a submodule; only a linked worktree's git directory holds a `commondir` file.
std::optional<GitLocation> gitAt(const QString &top)
{
    const QFileInfo dotGit(top + QStringLiteral("/.git"));
    if (dotGit.isDir())
        return GitLocation { top, dotGit.absoluteFilePath(), dotGit.absoluteFilePath(), false };
    if (!dotGit.isFile())
        return std::nullopt;
    const QString content = readTrimmed(dotGit.absoluteFilePath());
    if (!content.startsWith(QLatin1String("gitdir:")))
        return std::nullopt;
    const QString gitDir = resolve(top, content.mid(7).trimmed());
    const QString common = readTrimmed(gitDir + QStringLiteral("/commondir"));
    if (common.isEmpty())
        return GitLocation { top, gitDir, gitDir, false };
    return GitLocation { top, gitDir, resolve(gitDir, common), true };
}

std::optional<GitLocation> findGit(const QString &directory)
{
    QDir dir(directory);
    do {
        if (auto found = gitAt(dir.absolutePath()))
            return found;
    } while (dir.cdUp());
    return std::nullopt;
}

/// `name` of the nearest package.json from `directory` up to `stop` (inclusive), scope dropped.
QString packageName(const QString &directory, const QString &stop)
{
    QDir dir(directory);
    do {
        QFile file(dir.absoluteFilePath(QStringLiteral("package.json")));
        if (file.open(QIODevice::ReadOnly)) {
            QString name = QJsonDocument::fromJson(file.readAll())
                               .object()
                               .value(QLatin1String("name"))
                               .toString();
            if (name.startsWith(QLatin1Char('@')))
                name = name.mid(name.indexOf(QLatin1Char('/')) + 1);
            if (!dnsLabel(name).isEmpty())
                return name;
        }
        if (dir.absolutePath() == stop)
            break;
    } while (dir.cdUp());
    return {};
}

/// The repository's own name: the directory holding `.git`, or a bare `shop.git` without suffix.
QString repositoryName(const QString &commonDir)
{
    const QFileInfo info(commonDir);
    if (info.fileName() == QLatin1String(".git"))
        return QFileInfo(info.absolutePath()).fileName();
    QString name = info.fileName();
    if (name.endsWith(QLatin1String(".git")))
        name.chop(4);
    return name;
}

/// The branch a worktree has checked out, from `HEAD` (`ref: refs/heads/fix/ui`); empty when
/// detached.
QString checkedOutBranch(const QString &gitDir)
{
    const QString head = readTrimmed(gitDir + QStringLiteral("/HEAD"));
    const QLatin1String prefix("ref: refs/heads/");
    return head.startsWith(prefix) ? head.mid(prefix.size()) : QString();
}

} // namespace

Project identifyProject(const QString &directory)
{
    const QString start = QDir::cleanPath(QDir(directory).absolutePath());
    const std::optional<GitLocation> git = findGit(start);
    Project project;
    project.root = git ? git->top : start;
    QString base = packageName(start, project.root);
    if (base.isEmpty())
        base = git ? repositoryName(git->commonDir) : QFileInfo(start).fileName();
    project.name = dnsLabel(base);
    if (git && git->linked && !project.name.isEmpty()) {
        project.branch = checkedOutBranch(git->gitDir);
        // A detached worktree still needs a name of its own: use git's id for it.
        const QString prefix = dnsLabel(
            project.branch.isEmpty() ? QFileInfo(git->gitDir).fileName() : project.branch);
        if (!prefix.isEmpty())
            project.name = prefix + QLatin1Char('.') + project.name;
    }
    return project;
}

QString dnsLabel(const QString &text)
{
    QString label;
    label.reserve(text.size());
    for (const QChar c : text.toLower()) {
        const bool keep = (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
            || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
        if (keep)
            label.append(c);
        else if (!label.isEmpty() && !label.endsWith(QLatin1Char('-')))
            label.append(QLatin1Char('-'));
    }
    label.truncate(63);
    while (label.endsWith(QLatin1Char('-')))
        label.chop(1);
    return label;
}

} // namespace portico::provider
