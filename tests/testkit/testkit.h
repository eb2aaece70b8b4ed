#pragma once

#include <QByteArray>
#include <QString>

namespace portico::testkit {

/// Absolute path of a file in the source tree (tests/golden/..., etc.).
QString sourcePath(const QString &relative);

/// Reads a whole file; fails the current test (QVERIFY) and returns empty when it cannot.
QByteArray readFile(const QString &path);

} // namespace portico::testkit
