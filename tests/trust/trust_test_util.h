#pragma once

#include "core/tls/local_ca.h"
#include "core/tls/trust/trusted_ca.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <initializer_list>
#include <optional>

/// QVERIFY for an Expected, printing its error only when there is one (QVERIFY2 always
/// evaluates its message).
#define VERIFY_EXPECTED(expected)                                                                  \
    QVERIFY2((expected), (expected) ? "" : qPrintable((expected).error().toString()))

namespace portico::tls::testing {

/// What an external tool printed and returned.
struct ToolRun
{
    int exitCode = -1; ///< -1 when it could not start or timed out
    QString output; ///< stdout and stderr merged
};

/// Runs a real tool to completion (60 s deadline) in `environment` (the test's own by default).
ToolRun runTool(const QString &program, const QStringList &arguments,
    const std::optional<QProcessEnvironment> &environment = std::nullopt);

/// A QStringList from ASCII literals (QT_NO_CAST_FROM_ASCII forbids the implicit conversion).
QStringList strings(std::initializer_list<const char *> items);

/// A fresh CA in `directory` and its trust-store view; fails the test on error.
std::optional<LocalCa> makeCa(const QString &directory);
/// The TrustedCa of `ca` (its current ca.pem).
trust::TrustedCa trustedCa(const LocalCa &ca);

/// Issues a leaf for `name` with `ca` and writes `<dir>/<name>.crt` and `<dir>/<name>.key`;
/// returns the certificate path, empty on failure.
QString writeLeaf(const LocalCa &ca, const QString &name, const QString &directory);

/// Creates an empty NSS database (cert9.db) in `directory` with the real certutil.
bool createNssDatabase(const QString &directory);
/// `certutil -L` nicknames of the database in `directory`.
QStringList nssNicknames(const QString &directory);

/// Writes `content` to `path`, creating parent directories.
bool writeText(const QString &path, const QByteArray &content);

} // namespace portico::tls::testing
