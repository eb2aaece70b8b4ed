#pragma once

#include <QByteArray>
#include <QString>

namespace portico::testkit {

/// Absolute path of a file in the source tree (tests/golden/..., etc.).
QString sourcePath(const QString &relative);

/// Reads a whole file; fails the current test (QVERIFY) and returns empty when it cannot.
QByteArray readFile(const QString &path);

/// A loopback port nothing listens on: one the kernel just gave out and took back.
quint16 closedLoopbackPort();
/// `http://127.0.0.1:<closedLoopbackPort()>`: an upstream that refuses connections.
QString closedLoopbackUrl();

} // namespace portico::testkit
