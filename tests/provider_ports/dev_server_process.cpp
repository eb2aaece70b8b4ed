#include "tests/provider_ports/dev_server_process.h"

#include "tests/testkit/wait.h"

#include <QRegularExpression>

namespace portico::testkit {

bool DevServerProcess::start(const QString &directory, const QStringList &arguments)
{
    m_process.setWorkingDirectory(directory);
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start(QStringLiteral("python3"), QStringList { QStringLiteral("-u") } + arguments);
    if (!m_process.waitForStarted(10000))
        return false;
    static const QRegularExpression portLine(QStringLiteral("port (\\d+)"));
    QByteArray output;
    waitUntil(
        [&] {
            output += m_process.readAll();
            m_port = quint16(portLine.match(QString::fromUtf8(output)).captured(1).toUInt());
            return m_port != 0 || m_process.state() != QProcess::Running;
        },
        15000);
    if (m_port == 0)
        qWarning("server did not start: %s", output.constData());
    return m_port != 0;
}

bool DevServerProcess::startHttpServer(const QString &directory, const QString &address)
{
    return start(directory,
        { QStringLiteral("-m"), QStringLiteral("http.server"), QStringLiteral("--bind"), address,
            QStringLiteral("0") });
}

void DevServerProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.kill();
    m_process.waitForFinished(10000);
}

} // namespace portico::testkit
