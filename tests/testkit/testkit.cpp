#include "tests/testkit/testkit.h"

#include <QFile>
#include <QTcpServer>
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

quint16 closedLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort(); // closed when probe goes
}

QString closedLoopbackUrl()
{
    return QStringLiteral("http://127.0.0.1:%1").arg(closedLoopbackPort());
}

} // namespace portico::testkit
