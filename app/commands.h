#pragma once

#include <QStringList>

namespace portico::app {

/// `portico serve [options]`: runs the routing core headless until SIGTERM/SIGINT. Exit code.
int runServe(const QStringList &arguments);

/// `portico check [options]`: loads the static and dynamic configuration, prints every error and
/// the resulting routing; exit code 1 when anything is in error.
int runCheck(const QStringList &arguments);

/// `portico trust [--check]` / `portico untrust`: installs, checks or removes the local CA in
/// every trust store of this user and machine. `verb` is "trust" or "untrust".
int runTrust(const QString &verb, const QStringList &arguments);

/// `portico ca [show|rotate|env]`: the local CA's details, rotation, and the environment
/// variables that make Node, Python, Ruby and curl trust it.
int runCa(const QStringList &arguments);

/// `portico alias NAME PORT|URL`, `portico unalias NAME`, `portico list [--json]`: persisted
/// routes made on the command line (clients of the running instance's control API).
int runAlias(const QString &verb, const QStringList &arguments);

/// `portico discover [--json]`, `portico publish ID|PORT [NAME]`, `portico unpublish ID|PORT`:
/// dev servers the running instance found listening, and routing them under a name.
int runDiscover(const QString &verb, const QStringList &arguments);

/// `portico run [--name NAME] -- COMMAND...`: runs COMMAND on a free port routed to
/// NAME.localhost while it runs.
int runRun(const QStringList &arguments);

/// `portico explain URL [-H 'Name: value']... [--method M] [--entrypoint NAME] [--json]`: which
/// router of the running instance would serve the request, and why each other one would not.
int runExplain(const QStringList &arguments);

/// `portico requests [--follow] [--host H] [--status 5xx] [--method M] [--router R] [--json]
/// [--limit N]`: the requests the running instance captured; --follow streams new ones.
int runRequests(const QStringList &arguments);

/// `portico hosts sync|clean`: the managed block of the hosts file for extra TLDs.
int runHosts(const QStringList &arguments);

} // namespace portico::app
