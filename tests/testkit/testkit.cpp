#include "tests/testkit/testkit.h"

#include <QFile>
#include <QTest>

namespace portico::testkit {

QString sourcePath(const QString &relative)
{
    return QString::fromLocal8Bit(qgetenv("PORTICO_SOURCE_DIR")) + u'/' + relative;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        QTest::qFail(qPrintable(QStringLiteral("cannot read ") + path), __FILE__, __LINE__);
        return {};
    }
    return file.readAll();
}

} // namespace portico::testkit
