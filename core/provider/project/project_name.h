#pragma once

#include <QString>

namespace portico::provider {

/// What a working directory belongs to: the name to route it under, its root and, in a linked git
/// worktree, the worktree's branch.
struct Project
{
    /// DNS-safe name to route under: `shop`, or `fix-ui.shop` in a linked worktree on `fix/ui`.
    /// Empty when nothing usable was found.
    QString name;
    /// The project's root: the top of the git work tree holding the directory, else the directory.
    QString root;
    /// The branch checked out in a linked git worktree (raw, e.g. `fix/ui`); empty in the main
    /// work tree, outside git or on a detached HEAD.
    QString branch;
};

/// Names the project `directory` belongs to, reading files only (no `git` process): the nearest
/// package.json `name` (npm scope dropped) up to the git top, else the repository's directory
/// name (the main repository's for a linked worktree), else the directory's own name.
Project identifyProject(const QString &directory);

/// Turns `text` into one DNS label (RFC 1035 §2.3.1, RFC 1123 §2.1): lower-case letters, digits
/// and inner hyphens, at most 63 characters; other runs become one `-`. Empty when nothing is left.
QString dnsLabel(const QString &text);

} // namespace portico::provider
